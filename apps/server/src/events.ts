import type { AgentState, Notification } from '@parley/contract';

/** Internal domain events, published after the change they describe has been committed. */
export type DomainEvent =
  | { type: 'workspace.settingsChanged'; workspaceId: string }
  | { type: 'pauseReasons.changed'; workspaceId: string }
  /** Users, teams or campaigns changed: whose toolbar shows what may differ now. */
  | { type: 'directory.changed'; workspaceId: string }
  | { type: 'sessions.revoked'; userId: string; tokenHash?: string; reason: 'signed_out' | 'disabled' }
  | { type: 'notification.created'; userId: string; notification: Notification }
  | { type: 'notifications.cleared'; userId: string }
  /** A user's first toolbar channel opened, or their last one closed. */
  | { type: 'toolbar.connected'; userId: string; workspaceId: string }
  | { type: 'toolbar.disconnected'; userId: string; workspaceId: string }
  | { type: 'agent.stateChanged'; userId: string; workspaceId: string; agent: AgentState }
  /** Something waiting in this workspace's queues changed. */
  | { type: 'queues.changed'; workspaceId: string };

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
