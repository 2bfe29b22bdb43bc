import {
  type ClientEvent,
  ClientFrame,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_TIMEOUT_MS,
  REALTIME_PATH,
  type ServerFrame,
  type VoiceOfferFrame,
  WS_CLOSE_HEARTBEAT,
  WS_CLOSE_REVOKED,
} from '@parley/contract';
import { Value } from '@sinclair/typebox/value';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { AuthSession } from '../auth/sessions.repository.js';
import type { Clock } from '../clock.js';
import type { DomainEvent, EventBus } from '../events.js';
import { currentSession, foreignOrigin } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import type { VoiceChannel } from '../voice/web-connect.service.js';
import type { ToolbarViews } from './toolbar-views.js';
import { type Sequenced, UserStream } from './user-stream.js';

export interface GatewayOptions {
  /** Web Connect signalling, when the media role runs in this process. */
  voice?: VoiceSignalling;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /** How long a user's stream is kept after their last toolbar disconnects, for resuming. */
  streamRetentionMs?: number;
}

/** Web Connect signalling, handled by the voice module when the media role runs here. */
export interface VoiceSignalling {
  offer(channel: VoiceChannel, frame: VoiceOfferFrame): Promise<void>;
  hangup(channel: VoiceChannel): Promise<void>;
  standby(channel: VoiceChannel): Promise<void>;
  channelClosed(channel: VoiceChannel): Promise<void>;
}

interface Connection {
  channel: VoiceChannel;
  socket: WebSocket;
  session: AuthSession;
  stream: UserStream;
  ready: boolean;
  lastHeard: number;
  lastPing: number;
  /** The last sequence number this connection was sent. */
  sentSeq: number;
}

/** The realtime role: one authenticated WebSocket per toolbar, snapshot then sequenced deltas. */
export class RealtimeGateway {
  private readonly streams = new Map<string, UserStream>();
  private readonly pendingQueues = new Set<string>();
  private readonly connections = new Set<Connection>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly interval: number;
  private readonly timeout: number;
  private readonly retention: number;
  private nextConnection = 1;
  private readonly voice: VoiceSignalling | undefined;

  constructor(
    private readonly views: ToolbarViews,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    options: GatewayOptions = {},
  ) {
    this.interval = options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS;
    this.timeout = options.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;
    this.retention = options.streamRetentionMs ?? 120_000;
    this.voice = options.voice;
  }

  register(app: FastifyInstance): void {
    app.get(
      REALTIME_PATH,
      {
        websocket: true,
        schema: { hide: true },
        onRequest: async (req) => {
          // Cookies ride along on a cross-site WebSocket too: the origin must be our own.
          if (foreignOrigin(req)) throw new AppError('CSRF_FAILED', 'Cross-site WebSocket refused');
        },
      },
      (socket, req) => this.accept(socket, currentSession(req)),
    );
    this.unsubscribe = this.bus.subscribe((event) => {
      this.dispatch(event).catch((err) =>
        this.log.error({ err, event: event.type }, 'realtime dispatch failed'),
      );
    });
    this.timer = setInterval(() => this.tick(), Math.min(this.interval, 1000));
    this.timer.unref();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  close(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    for (const c of this.connections) c.socket.close(1001, 'server shutting down');
    this.connections.clear();
  }

  private accept(socket: WebSocket, session: AuthSession): void {
    let stream = this.streams.get(session.userId);
    if (!stream) {
      stream = new UserStream(session.userId, session.workspaceId);
      this.streams.set(session.userId, stream);
    }
    stream.connections += 1;
    stream.idleSince = undefined;
    if (stream.connections === 1) {
      this.bus.publish({
        type: 'toolbar.connected',
        userId: session.userId,
        workspaceId: session.workspaceId,
      });
    }
    const now = this.clock.now().getTime();
    const conn: Connection = {
      channel: {
        id: `c${this.nextConnection++}`,
        userId: session.userId,
        workspaceId: session.workspaceId,
        send: (frame) => this.send(conn, frame),
      },
      socket,
      session,
      stream,
      ready: false,
      lastHeard: now,
      lastPing: now,
      sentSeq: 0,
    };
    this.connections.add(conn);
    socket.on('message', (data) => this.receive(conn, String(data)));
    socket.on('close', () => {
      this.connections.delete(conn);
      this.voice?.channelClosed(conn.channel).catch((err) => this.log.error({ err }, 'voice cleanup failed'));
      conn.stream.connections -= 1;
      if (conn.stream.connections === 0) {
        conn.stream.idleSince = this.clock.now().getTime();
        this.bus.publish({
          type: 'toolbar.disconnected',
          userId: session.userId,
          workspaceId: session.workspaceId,
        });
      }
    });
  }

  private receive(conn: Connection, text: string): void {
    conn.lastHeard = this.clock.now().getTime();
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.send(conn, { type: 'error', code: 'WS_INVALID_FRAME', message: 'Frames must be JSON' });
      return;
    }
    if (!Value.Check(ClientFrame, frame)) {
      this.send(conn, { type: 'error', code: 'WS_INVALID_FRAME', message: 'Unknown or malformed frame' });
      return;
    }
    switch (frame.type) {
      case 'hello':
        void this.hello(conn, frame.resume);
        return;
      case 'ping':
        this.send(conn, { type: 'pong', t: frame.t });
        return;
      case 'pong':
        return;
      case 'voice.offer':
        if (!this.voice) {
          this.send(conn, {
            type: 'voice.failed',
            requestId: frame.requestId,
            code: 'VOICE_UNAVAILABLE',
            message: 'No media role here',
          });
          return;
        }
        this.voice.offer(conn.channel, frame).catch((err) => this.log.error({ err }, 'voice offer failed'));
        return;
      case 'voice.hangup':
        this.voice?.hangup(conn.channel).catch((err) => this.log.error({ err }, 'voice hangup failed'));
        return;
      case 'voice.standby':
        this.voice?.standby(conn.channel).catch((err) => this.log.error({ err }, 'voice standby failed'));
        return;
    }
  }

  private async hello(
    conn: Connection,
    resume: { streamId: string; seq: number } | undefined,
  ): Promise<void> {
    const stream = conn.stream;
    await stream.enqueue(async () => {
      const missed = resume && resume.streamId === stream.id ? stream.since(resume.seq) : undefined;
      if (missed && resume) {
        conn.sentSeq = resume.seq;
        this.send(conn, { type: 'resumed', streamId: stream.id, seq: stream.seq });
        for (const item of missed) this.sendEvent(conn, item);
      } else {
        const data = await this.views.snapshot(conn.session.userId, conn.session.workspaceId);
        if (!data) return this.revoke(conn, 'disabled');
        stream.lastSent.set('me', JSON.stringify(data.me));
        stream.lastSent.set('assignments', JSON.stringify(data.assignments));
        stream.lastSent.set('queues', JSON.stringify(data.queues));
        // The Chat Panel asks for its list when it opens: from here on, only a change is news.
        stream.lastSent.set('waitingChats', JSON.stringify(this.views.acd.waitingCount(conn.session.userId)));
        conn.sentSeq = stream.seq;
        this.send(conn, { type: 'snapshot', streamId: stream.id, seq: stream.seq, data });
      }
      conn.ready = true;
    });
  }

  /** Turns one domain event into client events, per subscriber, in each stream's order. */
  private async dispatch(event: DomainEvent): Promise<void> {
    switch (event.type) {
      case 'sessions.revoked':
        for (const c of this.connections) {
          if (
            c.session.userId === event.userId &&
            (!event.tokenHash || event.tokenHash === c.session.tokenHash)
          ) {
            this.revoke(c, event.reason);
          }
        }
        if (!event.tokenHash) this.streams.delete(event.userId);
        return;
      case 'notification.created':
        return this.toUser(event.userId, async () => ({
          name: 'notification.created',
          data: { notification: event.notification },
        }));
      case 'notifications.cleared':
        return this.toUser(event.userId, async () => ({ name: 'notifications.cleared', data: {} }));
      case 'workspace.settingsChanged': {
        const settings = this.views.settings(event.workspaceId);
        return this.toWorkspace(event.workspaceId, async (s) => {
          const value = await settings;
          s.appendIfChanged('settings', value, {
            name: 'workspace.settingsChanged',
            data: { settings: value },
          });
        });
      }
      case 'pauseReasons.changed': {
        const list = this.views.pauseReasonList(event.workspaceId);
        return this.toWorkspace(event.workspaceId, async (s) => {
          const pauseReasons = await list;
          s.append({ name: 'pauseReasons.changed', data: { pauseReasons } });
        });
      }
      case 'agent.stateChanged':
        return this.toUser(event.userId, async () => ({
          name: 'agent.stateChanged',
          data: { agent: event.agent },
        }));
      case 'queues.changed':
        this.queuesChanged(event.workspaceId);
        return;
      case 'toolbar.connected':
      case 'toolbar.disconnected':
        return;
      // A chat's customer side reaches the agent who has it (their every toolbar).
      case 'email.failed': {
        const { entryId, messageId, subject, error } = event;
        if (!event.userId) return;
        return this.toUser(event.userId, async () => ({
          name: 'email.failed',
          data: { interactionId: entryId, messageId, subject, error },
        }));
      }
      case 'chat.message': {
        const { interactionId, chatId, message } = event;
        if (!event.userId || !interactionId) return;
        return this.toUser(event.userId, async () => ({
          name: 'chat.message',
          data: { interactionId, chatId, message },
        }));
      }
      case 'chat.typing': {
        const { interactionId, typing } = event;
        if (!event.userId || !interactionId || event.from !== 'customer') return;
        return this.toUser(event.userId, async () => ({
          name: 'chat.typing',
          data: { interactionId, typing },
        }));
      }
      case 'chat.read': {
        const { interactionId, seq } = event;
        if (!event.userId || !interactionId || event.by !== 'customer') return;
        return this.toUser(event.userId, async () => ({ name: 'chat.read', data: { interactionId, seq } }));
      }
      case 'chat.state':
        return;
      case 'directory.changed':
        return this.toWorkspace(event.workspaceId, async (s) => {
          const me = await this.views.me(s.userId);
          if (me) s.appendIfChanged('me', me, { name: 'me.updated', data: { me } });
          const assignments = await this.views.assignments(s.userId);
          s.appendIfChanged('assignments', assignments, {
            name: 'assignments.changed',
            data: { assignments },
          });
        });
    }
  }

  /** Queue counts change with every arrival: pushes are gathered per workspace, 100 ms at most. */
  private queuesChanged(workspaceId: string): void {
    if (this.pendingQueues.has(workspaceId)) return;
    this.pendingQueues.add(workspaceId);
    setTimeout(() => {
      this.pendingQueues.delete(workspaceId);
      this.toWorkspace(workspaceId, async (s) => {
        const queues = this.views.acd.queuesFor(s.userId);
        s.appendIfChanged('queues', queues, { name: 'queues.changed', data: { queues } });
        const total = this.views.acd.waitingCount(s.userId);
        s.appendIfChanged('waitingChats', total, { name: 'chats.waiting', data: { total } });
      }).catch((err) => this.log.error({ err }, 'queue push failed'));
    }, 100).unref();
  }

  private async toUser(userId: string, make: () => Promise<ClientEvent>): Promise<void> {
    const stream = this.streams.get(userId);
    if (!stream) return;
    await stream.enqueue(async () => {
      stream.append(await make());
      this.flush(stream);
    });
  }

  private async toWorkspace(workspaceId: string, work: (s: UserStream) => Promise<void>): Promise<void> {
    const streams = [...this.streams.values()].filter((s) => s.workspaceId === workspaceId);
    await Promise.all(
      streams.map((s) =>
        s.enqueue(async () => {
          await work(s);
          this.flush(s);
        }),
      ),
    );
  }

  /** Sends each ready connection of the stream what it has not had yet. */
  private flush(stream: UserStream): void {
    for (const c of this.connections) {
      if (c.stream !== stream || !c.ready) continue;
      const sent = c.sentSeq;
      for (const item of stream.since(sent) ?? []) this.sendEvent(c, item);
    }
  }

  private sendEvent(conn: Connection, item: Sequenced): void {
    conn.sentSeq = item.seq;
    this.send(conn, { type: 'event', seq: item.seq, event: item.event });
  }

  private revoke(conn: Connection, reason: 'signed_out' | 'disabled' | 'expired'): void {
    this.send(conn, { type: 'revoked', reason });
    conn.socket.close(WS_CLOSE_REVOKED, reason);
  }

  private tick(): void {
    const now = this.clock.now().getTime();
    for (const c of this.connections) {
      if (c.session.expiresAt.getTime() <= now) {
        this.revoke(c, 'expired');
      } else if (now - c.lastHeard > this.timeout) {
        this.send(c, { type: 'error', code: 'WS_HEARTBEAT_TIMEOUT', message: 'No heartbeat' });
        c.socket.close(WS_CLOSE_HEARTBEAT, 'heartbeat timeout');
      } else {
        if (now - c.lastPing >= this.interval) {
          c.lastPing = now;
          this.send(c, { type: 'ping', t: now });
        }
      }
    }
    for (const [userId, s] of this.streams) {
      if (s.connections === 0 && s.idleSince !== undefined && now - s.idleSince > this.retention) {
        this.streams.delete(userId);
      }
    }
  }

  private send(conn: Connection, frame: ServerFrame): void {
    if (conn.socket.readyState === 1) conn.socket.send(JSON.stringify(frame));
  }
}
