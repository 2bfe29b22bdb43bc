import { type Static, Type } from '@sinclair/typebox';
import { DialProgress } from './calls.js';
import { CampaignKind } from './catalog.js';
import { Timestamp, Uuid } from './common.js';
import { CallbackChoice } from './leads.js';
import { ConsultLine } from './transfers.js';

/** The reason the system itself gives when it pauses an agent (C2). */
export const AUTO_PAUSE = 'Auto Pause';

export const AgentStatus = Type.Union([
  Type.Object({ kind: Type.Literal('signed_out') }),
  Type.Object({ kind: Type.Literal('available') }),
  Type.Object({
    kind: Type.Literal('paused'),
    /** A workspace pause reason, or null for Auto Pause. */
    reasonId: Type.Union([Uuid, Type.Null()]),
    reasonName: Type.String(),
    /** Why the system paused the agent, for Auto Pause: shown beside the status. */
    detail: Type.Optional(Type.String()),
  }),
]);
export type AgentStatus = Static<typeof AgentStatus>;

/** What the agent asks for: Available, or a pause with one of the workspace's reasons. */
export const StatusChoice = Type.Union([
  Type.Object({ kind: Type.Literal('available') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('paused'), reasonId: Uuid }, { additionalProperties: false }),
]);
export type StatusChoice = Static<typeof StatusChoice>;

export const SetStatusBody = Type.Object({ status: StatusChoice }, { additionalProperties: false });
export type SetStatusBody = Static<typeof SetStatusBody>;

export const VOICE_STATES = ['none', 'connecting', 'connected', 'lost'] as const;
export const VoiceState = Type.Union(VOICE_STATES.map((s) => Type.Literal(s)));
export type VoiceState = (typeof VOICE_STATES)[number];

export const CONTACT_KINDS = ['voice', 'chat', 'email'] as const;
export const ContactKind = Type.Union(CONTACT_KINDS.map((k) => Type.Literal(k)));
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const AgentInteraction = Type.Object({
  id: Uuid,
  kind: ContactKind,
  state: Type.Union([Type.Literal('offered'), Type.Literal('busy'), Type.Literal('wrapping')]),
  campaignId: Uuid,
  campaignName: Type.String(),
  label: Type.String(),
  /** When the current state began (offered, answered, wrapping). */
  since: Timestamp,
  /** For an offer: when it times out into Auto Pause. */
  offerExpiresAt: Type.Optional(Timestamp),
  /** A call: the customer is on hold (hears music, does not hear the agent). */
  held: Type.Optional(Type.Boolean()),
  /** A call on hold: when it was put on hold (the card's "On hold" timer). */
  heldSince: Type.Optional(Timestamp),
  /** A call: the recording is running. */
  recording: Type.Optional(Type.Boolean()),
  /** A call with a second line: a consult, or the conference Merge Lines made. */
  consult: Type.Optional(ConsultLine),
  /** A call: the announcement playing now (its name); the conversation resumes when it ends. */
  announcement: Type.Optional(Type.String()),
  /** A call: the agent asked for help (Agent Assist) and no manager has joined yet. */
  assistRequested: Type.Optional(Type.Boolean()),
  /** A call transferred here by another agent: their name (their notes are the Transfer Notes). */
  transferredBy: Type.Optional(Type.String()),
  /**
   * A call an agent placed (Manual Call, Agent Call) or a preview lead. An Agent Call has no
   * customer: no hold, transfer, announcement or dial pad.
   */
  callType: Type.Optional(
    Type.Union([
      Type.Literal('manual'),
      Type.Literal('agent'),
      Type.Literal('preview'),
      Type.Literal('predictive'),
    ]),
  ),
  /** A lead presented to the agent, or the lead of a predictive call (its numbers and fields are on the information panel). */
  leadId: Type.Optional(Uuid),
  /** A call the agent placed (Manual Call, Agent Call): dialling, ringing, answered or failed. */
  dial: Type.Optional(DialProgress),
});
export type AgentInteraction = Static<typeof AgentInteraction>;

export const AgentState = Type.Object({
  status: AgentStatus,
  since: Timestamp,
  voice: VoiceState,
  interactions: Type.Array(AgentInteraction),
  /** Chosen during wrap-up; applied when the last interaction is wrapped (C3). */
  nextStatus: Type.Union([StatusChoice, Type.Null()]),
});
export type AgentState = Static<typeof AgentState>;

export const QueueSummary = Type.Object({
  campaignId: Uuid,
  campaignName: Type.String(),
  campaignKind: CampaignKind,
  waiting: Type.Integer(),
  /** When the longest-waiting contact was queued; null when none waits. */
  oldestSince: Type.Union([Timestamp, Type.Null()]),
});
export type QueueSummary = Static<typeof QueueSummary>;

export const EnqueueContactBody = Type.Object(
  {
    campaignId: Uuid,
    label: Type.String({ minLength: 1, maxLength: 200 }),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type EnqueueContactBody = Static<typeof EnqueueContactBody>;

export const QueueEntry = Type.Object({
  id: Uuid,
  campaignId: Uuid,
  kind: ContactKind,
  label: Type.String(),
  priority: Type.Integer(),
  enqueuedAt: Timestamp,
  state: Type.String(),
});
export type QueueEntry = Static<typeof QueueEntry>;

export const WrapBody = Type.Object(
  {
    wrapCodeId: Type.Optional(Uuid),
    /** A callback outcome: when, and whether it is the agent's own. */
    callback: Type.Optional(CallbackChoice),
    /** A lead's call: "Wrap and continue with Lead" (stay on it to call another number). */
    continueWithLead: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type WrapBody = Static<typeof WrapBody>;

export const AgentTimeReport = Type.Array(
  Type.Object({
    userId: Uuid,
    username: Type.String(),
    /** Seconds per state name ("Available", a pause reason, "Auto Pause", "Signed out" excluded). */
    seconds: Type.Record(Type.String(), Type.Number()),
  }),
);
export type AgentTimeReport = Static<typeof AgentTimeReport>;

export const HoldBody = Type.Object({ held: Type.Boolean() }, { additionalProperties: false });
export type HoldBody = Static<typeof HoldBody>;

export const RecordingBody = Type.Object({ recording: Type.Boolean() }, { additionalProperties: false });
export type RecordingBody = Static<typeof RecordingBody>;
