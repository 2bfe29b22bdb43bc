import { type Static, Type } from '@sinclair/typebox';
import { ContactKind } from './agents.js';
import { Timestamp, Uuid } from './common.js';
import { Lead } from './leads.js';

/** A lead on the information panel, and whether the agent may change its numbers. */
export const PanelLead = Type.Composite([Lead, Type.Object({ editNumbers: Type.Boolean() })]);
export type PanelLead = Static<typeof PanelLead>;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const InteractionState = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('offered'),
  Type.Literal('busy'),
  Type.Literal('wrapping'),
  Type.Literal('done'),
  Type.Literal('abandoned'),
]);

/** One interaction as a manager sees it in the list. */
export const InteractionSummary = Type.Object({
  id: Uuid,
  kind: ContactKind,
  state: InteractionState,
  campaignId: Uuid,
  campaignName: Type.String(),
  agentId: Nullable(Uuid),
  agentName: Nullable(Type.String()),
  label: Type.String(),
  enqueuedAt: Timestamp,
  customerPhone: Nullable(Type.String()),
  platformPhone: Nullable(Type.String()),
  /** The inbound channel's name (the information panel's "IVR Text"). */
  channelName: Nullable(Type.String()),
  /** The IVR workflow's parameter ("IVR Data"). */
  ivrData: Nullable(Type.String()),
  endedBy: Type.Union([Type.Literal('agent'), Type.Literal('customer'), Type.Literal('system'), Type.Null()]),
  outcome: Nullable(Type.String()),
  recordings: Type.Integer(),
});
export type InteractionSummary = Static<typeof InteractionSummary>;

export const InteractionList = Type.Array(InteractionSummary);
export type InteractionList = Static<typeof InteractionList>;

export const InteractionListQuery = Type.Object(
  {
    campaignId: Type.Optional(Uuid),
    agentId: Type.Optional(Uuid),
    state: Type.Optional(InteractionState),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    /** 1 to 500 (a query string, so written as digits). */
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|[1-4][0-9]{2}|500)$' })),
  },
  { additionalProperties: false },
);
export type InteractionListQuery = Static<typeof InteractionListQuery>;

export const TimelineEntry = Type.Object({
  at: Timestamp,
  /** interaction.queued, interaction.offered, interaction.accepted, call.held, ... */
  kind: Type.String(),
  userId: Nullable(Uuid),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const RecordingInfo = Type.Object({
  id: Uuid,
  mode: Type.Union([Type.Literal('mixed'), Type.Literal('stereo')]),
  startedAt: Timestamp,
  endedAt: Nullable(Timestamp),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  /** Stretches recorded, in ms from the start of the file; the rest is silence (recording stopped). */
  segments: Type.Array(
    Type.Object({ startMs: Type.Integer(), stopMs: Type.Union([Type.Integer(), Type.Null()]) }),
  ),
  /** Marks the agent put on the recording ("Tag call recording"), in ms from its start. */
  tags: Type.Array(Type.Object({ atMs: Type.Integer(), at: Timestamp })),
  /** Where to fetch the WAV. */
  audioUrl: Type.String(),
});
export type RecordingInfo = Static<typeof RecordingInfo>;

export const InteractionDetail = Type.Composite([
  InteractionSummary,
  Type.Object({
    timeline: Type.Array(TimelineEntry),
    recordingList: Type.Array(RecordingInfo),
    /** What the agent wrote on the interaction. */
    notes: Type.String(),
    transferNotes: Type.String(),
  }),
]);
export type InteractionDetail = Static<typeof InteractionDetail>;

/** What the toolbar shows about one of the agent's interactions (the information panel, D6). */
export const InteractionPanel = Type.Object({
  id: Uuid,
  kind: ContactKind,
  campaignId: Uuid,
  campaignName: Type.String(),
  /** The campaign's script with the interaction's fields put in ({agent.name}, {customer.phone}, …). */
  script: Type.String(),
  /** "Inbound Call", "Outbound Preview", "Outbound Predictive", "Manual Call", "Chat", "Email". */
  callType: Type.String(),
  customerPhone: Nullable(Type.String()),
  platformPhone: Nullable(Type.String()),
  /** The IVR workflow's parameter ("IVR Data") and the channel's name ("IVR Text"). */
  ivrData: Nullable(Type.String()),
  ivrText: Nullable(Type.String()),
  enqueuedAt: Timestamp,
  /** When the agent took it (talking time starts), when the conversation ended (wrapping starts). */
  acceptedAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  notes: Type.String(),
  transferNotes: Type.String(),
  /** The outcomes to wrap with (the campaign's wrap codes). */
  wrapCodes: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      /** What wrapping with it does to a lead (the "Complete Phone Number" icon, the callback picker). */
      completesLead: Type.Boolean(),
      completesPhoneNumber: Type.Boolean(),
      schedulesCallback: Type.Boolean(),
    }),
  ),
  /** The Outcome the agent has chosen so far (one of `wrapCodes`); null until they choose. */
  wrapCodeId: Nullable(Uuid),
  /** An interaction on a lead: the lead (fields, numbers, attempts, last outcome). */
  lead: Type.Union([PanelLead, Type.Null()]),
  /** A chat: the contact's name and the pre-chat survey's answers (D6), in the survey's order. */
  chat: Type.Optional(
    Type.Object({
      chatId: Uuid,
      contactName: Type.String(),
      survey: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), value: Type.String() })),
    }),
  ),
});
export type InteractionPanel = Static<typeof InteractionPanel>;

/** The agent chooses the interaction's Outcome while it is with them (null: none chosen). */
export const InteractionOutcomeBody = Type.Object(
  { wrapCodeId: Type.Union([Uuid, Type.Null()]) },
  { additionalProperties: false },
);
export type InteractionOutcomeBody = Static<typeof InteractionOutcomeBody>;

export const InteractionNotesBody = Type.Object(
  {
    notes: Type.Optional(Type.String({ maxLength: 10_000 })),
    transferNotes: Type.Optional(Type.String({ maxLength: 2_000 })),
  },
  { additionalProperties: false },
);
export type InteractionNotesBody = Static<typeof InteractionNotesBody>;
