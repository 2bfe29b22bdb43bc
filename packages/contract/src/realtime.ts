import { type Static, Type } from '@sinclair/typebox';
import { AgentState, QueueSummary } from './agents.js';
import { SessionUser } from './auth.js';
import { CampaignKind, PauseReason } from './catalog.js';
import type { ChatMessage } from './chat.js';
import { Timestamp, Uuid } from './common.js';
import type { ErrorCode } from './errors.js';
import { VoiceHangupFrame, VoiceOfferFrame, type VoiceServerFrame, VoiceStandbyFrame } from './voice.js';

/** What every toolbar may know of its workspace's settings. */
export const ToolbarSettings = Type.Object({
  name: Type.String(),
  agentRingTimeoutSeconds: Type.Integer(),
  recordingControlsVisible: Type.Boolean(),
  agentAssistEnabled: Type.Boolean(),
});
export type ToolbarSettings = Static<typeof ToolbarSettings>;

export const Assignments = Type.Object({
  teams: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  campaigns: Type.Array(Type.Object({ id: Uuid, name: Type.String(), kind: CampaignKind })),
});
export type Assignments = Static<typeof Assignments>;

export const Notification = Type.Object({
  id: Uuid,
  level: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('error')]),
  text: Type.String(),
  createdAt: Timestamp,
});
export type Notification = Static<typeof Notification>;

export const Snapshot = Type.Object({
  me: SessionUser,
  settings: ToolbarSettings,
  pauseReasons: Type.Array(PauseReason),
  assignments: Assignments,
  notifications: Type.Array(Notification),
  /** This agent's status, voice connection and interactions, owned by the server. */
  agent: AgentState,
  /** The queues of the campaigns this agent serves. */
  queues: Type.Array(QueueSummary),
});
export type Snapshot = Static<typeof Snapshot>;

/**
 * The client event map: every delta the server pushes after a snapshot.
 * Each event carries the whole new value of what changed, so applying one twice is harmless.
 */
export interface ClientEventMap {
  'me.updated': { me: Static<typeof SessionUser> };
  'workspace.settingsChanged': { settings: ToolbarSettings };
  'pauseReasons.changed': { pauseReasons: PauseReason[] };
  'assignments.changed': { assignments: Assignments };
  'notification.created': { notification: Notification };
  'notifications.cleared': Record<string, never>;
  'agent.stateChanged': { agent: Static<typeof AgentState> };
  'queues.changed': { queues: Static<typeof QueueSummary>[] };
  /** A message in one of this agent's chats (theirs included: every toolbar of theirs sees it). */
  'chat.message': { interactionId: string; chatId: string; message: ChatMessage };
  /** The customer started or stopped typing. */
  'chat.typing': { interactionId: string; typing: boolean };
  /** The customer has read this agent's messages up to seq. */
  'chat.read': { interactionId: string; seq: number };
  /**
   * How many chats wait in the queues this agent serves changed: the Chat Panel fetches its list
   * (`GET /api/chats/waiting`) when it shows it. A count, not the list, so a long queue costs
   * every toolbar a few bytes a push.
   */
  'chats.waiting': { total: number };
  /** An email this agent sent was refused for good or bounced (it shows on the interaction too). */
  'email.failed': { interactionId: string; messageId: string; subject: string; error: string };
}
export type ClientEventName = keyof ClientEventMap;
export type ClientEvent = {
  [K in ClientEventName]: { name: K; data: ClientEventMap[K] };
}[ClientEventName];

/* Frames from the toolbar to the server. */
export const HelloFrame = Type.Object(
  {
    type: Type.Literal('hello'),
    resume: Type.Optional(
      Type.Object(
        { streamId: Type.String({ maxLength: 64 }), seq: Type.Integer({ minimum: 0 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export const PingFrame = Type.Object(
  { type: Type.Literal('ping'), t: Type.Number() },
  { additionalProperties: false },
);
export const PongFrame = Type.Object(
  { type: Type.Literal('pong'), t: Type.Number() },
  { additionalProperties: false },
);
export const ClientFrame = Type.Union([
  HelloFrame,
  PingFrame,
  PongFrame,
  VoiceOfferFrame,
  VoiceHangupFrame,
  VoiceStandbyFrame,
]);
export type ClientFrame = Static<typeof ClientFrame>;

/* Frames from the server to the toolbar. */
export type ServerFrame =
  | { type: 'snapshot'; streamId: string; seq: number; data: Snapshot }
  | { type: 'event'; seq: number; event: ClientEvent }
  | { type: 'resumed'; streamId: string; seq: number }
  | { type: 'ping'; t: number }
  | { type: 'pong'; t: number }
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: 'revoked'; reason: 'signed_out' | 'disabled' | 'expired' }
  | VoiceServerFrame;

export const REALTIME_PATH = '/api/realtime';
/** Both sides ping at this interval and give up after HEARTBEAT_TIMEOUT_MS of silence. */
export const HEARTBEAT_INTERVAL_MS = 10_000;
export const HEARTBEAT_TIMEOUT_MS = 30_000;
export const WS_CLOSE_REVOKED = 4001;
export const WS_CLOSE_HEARTBEAT = 4008;
