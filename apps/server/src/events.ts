import type { AgentState, ChatMessage, ChatState, ContactKind, Notification } from '@parley/contract';

/** Internal domain events, published after the change they describe has been committed. */
export type DomainEvent =
  | { type: 'workspace.settingsChanged'; workspaceId: string }
  | { type: 'pauseReasons.changed'; workspaceId: string }
  /** Users, teams or campaigns changed: whose toolbar shows what may differ now. */
  | { type: 'directory.changed'; workspaceId: string }
  /** SIP trunks changed: the SIP side reloads them. */
  | { type: 'telephony.changed'; workspaceId: string }
  | { type: 'sessions.revoked'; userId: string; tokenHash?: string; reason: 'signed_out' | 'disabled' }
  | { type: 'notification.created'; userId: string; notification: Notification }
  | { type: 'notifications.cleared'; userId: string }
  /** A user's first toolbar channel opened, or their last one closed. */
  | { type: 'toolbar.connected'; userId: string; workspaceId: string }
  | { type: 'toolbar.disconnected'; userId: string; workspaceId: string }
  | { type: 'agent.stateChanged'; userId: string; workspaceId: string; agent: AgentState }
  /** Something waiting in this workspace's queues changed. */
  | { type: 'queues.changed'; workspaceId: string }
  /** A mailbox was added, changed or removed: the IMAP readers reconnect as it says now. */
  | { type: 'email.mailboxesChanged'; workspaceId: string; mailboxId: string }
  | ChatEvent
  | InteractionEvent;

/**
 * What the two sides of a chat see of each other. `userId`/`interactionId`: the agent who has the
 * chat and their interaction (queue entry), where there is one (their toolbar gets it); the
 * customer's sockets follow the chat by its id. (Not `entryId`: that names an InteractionEvent.)
 */
export type ChatEvent = { workspaceId: string; chatId: string; userId?: string; interactionId?: string } & (
  | { type: 'chat.message'; message: ChatMessage }
  | { type: 'chat.typing'; from: 'customer' | 'agent'; typing: boolean; name: string | null }
  | { type: 'chat.read'; by: 'customer' | 'agent'; seq: number }
  | { type: 'chat.state'; state: ChatState; agentName: string | null }
);

/** A step in one interaction's life; the timeline records each, and call control follows them. */
export type InteractionEvent = {
  workspaceId: string;
  entryId: string;
  kind: ContactKind;
  /** The agent it concerns, where there is one. */
  userId?: string;
} & (
  | { type: 'interaction.queued' }
  /** A call the agent placed (Manual Call, Agent Call) to `to`: the number in E.164, or the agent. */
  | { type: 'interaction.placed'; userId: string; to: string; callType: 'manual' | 'agent' | 'preview' }
  /** Convert to Outbound: an inbound call became an interaction of a lead on an outbound campaign. */
  | { type: 'interaction.converted'; userId: string; leadId: string; campaignId: string }
  /** The far end of a placed call answered. */
  | { type: 'call.answered'; userId: string; to: string }
  /** A placed call came to nothing: busy, no answer, unreachable... (`status`: the SIP status). */
  | { type: 'call.dialFailed'; userId: string; to: string; reason: string; status: number | null }
  | { type: 'interaction.offered'; userId: string }
  /** An offer taken back (ring timeout, the agent paused or lost voice): the contact waits again. */
  | { type: 'interaction.withdrawn'; userId: string }
  | { type: 'interaction.accepted'; userId: string }
  | { type: 'interaction.ended'; userId: string; by: EndedBy }
  | { type: 'interaction.wrapped'; userId: string; wrapCodeId: string | null }
  /** The contact went away before an agent took it. */
  | { type: 'interaction.abandoned'; by: EndedBy }
  | { type: 'call.held'; userId: string }
  | { type: 'call.resumed'; userId: string }
  | { type: 'call.recordingStarted'; userId?: string; recordingId: string; atMs: number }
  | { type: 'call.recordingStopped'; userId?: string; recordingId: string; atMs: number }
  | { type: 'call.recordingTagged'; userId: string; recordingId: string; atMs: number }
  /** The call could not be recorded, or its recording broke off (recordingId then); it went on. */
  | { type: 'call.recordingFailed'; userId?: string; recordingId: string | null; reason: string }
  /** Moves with more parties; `to`: the other party as the toolbar names them. */
  | { type: 'call.consultStarted'; userId: string; to: string }
  | { type: 'call.consultEnded'; userId?: string; to: string; reason: string }
  | { type: 'call.linesSwitched'; userId: string; line: 'customer' | 'consulted' }
  | { type: 'call.merged'; userId: string; to: string }
  /** The agent left a conference; the others talk on. */
  | { type: 'call.left'; userId: string }
  | { type: 'call.transferred'; userId: string; target: 'agent' | 'number' | 'workflow'; to: string }
  | { type: 'call.transferFailed'; userId: string; to: string; reason: string }
  | { type: 'call.announcementPlayed'; userId: string; announcementId: string; name: string }
  /** Agent Assist: the agent asked for help; a manager joined (listen, whisper, barge) or left. */
  | { type: 'call.assistRequested'; userId: string }
  | { type: 'call.supervised'; userId: string; mode: 'listen' | 'whisper' | 'barge' }
  | { type: 'call.supervisionEnded'; userId: string }
  /** Email: the message the interaction answers came in; the agent's reply was taken by the SMTP server. */
  | { type: 'email.received'; messageId: string; from: string }
  | { type: 'email.sent'; userId?: string; messageId: string; to: string[] }
  /** The reply was refused for good, ran out of retries, or bounced (a delivery report came back). */
  | {
      type: 'email.failed';
      userId?: string;
      messageId: string;
      subject: string;
      error: string;
      bounced: boolean;
    }
  /** The customer was put back at the head of the queue (a new interaction): why. */
  | { type: 'call.requeued'; reason: string }
);

export type EndedBy = 'agent' | 'customer' | 'system';

export interface EventBus {
  publish(event: DomainEvent): void;
  subscribe(listener: (event: DomainEvent) => void): () => void;
}

/**
 * The embedded bus: one process, synchronous fan-out. A Redis-backed bus with the same interface
 * carries events between processes at scale.
 */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Set<(event: DomainEvent) => void>();

  publish(event: DomainEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: (event: DomainEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
