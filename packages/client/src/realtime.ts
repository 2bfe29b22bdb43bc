import {
  type ClientEvent,
  type ClientFrame,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_TIMEOUT_MS,
  type ServerFrame,
  type Snapshot,
  type VoiceHangupFrame,
  type VoiceOfferFrame,
  type VoiceServerFrame,
  type VoiceStandbyFrame,
} from '@parley/contract';
import { applyClientEvent } from './toolbar-state.js';

/** The part of a WebSocket this client uses: the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export type ConnectionStatus = 'connecting' | 'open' | 'down' | 'revoked';

export interface RealtimeListener {
  /** The whole toolbar state, after a snapshot or after each applied event. */
  state?(state: Snapshot, cause: 'snapshot' | ClientEvent): void;
  status?(status: ConnectionStatus): void;
  revoked?(reason: string): void;
  /** Web Connect signalling (voice.answer, voice.failed, voice.ended; voice.ring, voice.ringStopped, voice.callEnded). */
  voice?(frame: VoiceServerFrame): void;
}

export interface RealtimeClientOptions {
  connect: () => SocketLike;
  timers?: Timers;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  maxBackoffMs?: number;
}

/**
 * One toolbar's realtime channel: snapshot, then deltas in sequence; heartbeats both ways;
 * reconnects and resumes from the last sequence it applied, so nothing is missed or applied twice.
 */
export class RealtimeClient {
  private socket: SocketLike | undefined;
  private streamId: string | undefined;
  private seq = 0;
  private snapshot: Snapshot | undefined;
  private status: ConnectionStatus = 'down';
  private stopped = true;
  private attempts = 0;
  private heartbeatTimer: unknown;
  private reconnectTimer: unknown;
  private lastHeard = 0;
  private readonly timers: Timers;
  private readonly listeners = new Set<RealtimeListener>();

  constructor(private readonly options: RealtimeClientOptions) {
    this.timers = options.timers ?? realTimers;
  }

  get state(): Snapshot | undefined {
    return this.snapshot;
  }
  get connectionStatus(): ConnectionStatus {
    return this.status;
  }
  get lastSeq(): number {
    return this.seq;
  }

  subscribe(listener: RealtimeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearTimeout(this.heartbeatTimer);
    this.timers.clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'client stopped');
    if (this.status !== 'revoked') this.setStatus('down');
  }

  private open(): void {
    this.setStatus('connecting');
    let socket: SocketLike;
    try {
      socket = this.options.connect();
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.lastHeard = this.timers.now();
      const resume = this.streamId ? { streamId: this.streamId, seq: this.seq } : undefined;
      this.send({ type: 'hello', ...(resume ? { resume } : {}) });
      this.scheduleHeartbeat();
    };
    socket.onmessage = (ev) => {
      if (socket !== this.socket) return;
      this.lastHeard = this.timers.now();
      this.handle(JSON.parse(String(ev.data)) as ServerFrame);
    };
    socket.onerror = () => {};
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = undefined;
      this.timers.clearTimeout(this.heartbeatTimer);
      if (this.status === 'revoked' || this.stopped) return;
      this.setStatus('down');
      this.scheduleReconnect();
    };
  }

  private handle(frame: ServerFrame): void {
    switch (frame.type) {
      case 'snapshot':
        this.streamId = frame.streamId;
        this.seq = frame.seq;
        this.snapshot = frame.data;
        this.attempts = 0;
        this.setStatus('open');
        this.emitState('snapshot');
        return;
      case 'resumed':
        this.attempts = 0;
        this.setStatus('open');
        return;
      case 'event':
        // A delta at or below what we applied is a repeat: ignore it. A gap means we missed one.
        if (frame.seq <= this.seq) return;
        if (frame.seq !== this.seq + 1 || !this.snapshot) {
          this.streamId = undefined;
          this.socket?.close(4000, 'sequence gap');
          return;
        }
        this.seq = frame.seq;
        this.snapshot = applyClientEvent(this.snapshot, frame.event);
        this.emitState(frame.event);
        return;
      case 'ping':
        this.send({ type: 'pong', t: frame.t });
        return;
      case 'pong':
        return;
      case 'revoked':
        this.setStatus('revoked');
        for (const l of this.listeners) l.revoked?.(frame.reason);
        this.stop();
        return;
      case 'error':
        return;
      case 'voice.answer':
      case 'voice.failed':
      case 'voice.ended':
      case 'voice.ring':
      case 'voice.ringStopped':
      case 'voice.callEnded':
        for (const l of this.listeners) l.voice?.(frame);
        return;
    }
  }

  /** Sends Web Connect signalling on this channel; false when the channel is not open. */
  sendVoice(frame: VoiceOfferFrame | VoiceHangupFrame | VoiceStandbyFrame): boolean {
    if (this.socket?.readyState !== 1) return false;
    this.send(frame);
    return true;
  }

  private scheduleHeartbeat(): void {
    const interval = this.options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS;
    const timeout = this.options.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;
    this.heartbeatTimer = this.timers.setTimeout(() => {
      if (!this.socket) return;
      if (this.timers.now() - this.lastHeard > timeout) {
        // The server went silent: treat the channel as down and start again.
        const dead = this.socket;
        this.socket = undefined;
        dead.close(4008, 'heartbeat timeout');
        this.setStatus('down');
        this.scheduleReconnect();
        return;
      }
      this.send({ type: 'ping', t: this.timers.now() });
      this.scheduleHeartbeat();
    }, interval);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const max = this.options.maxBackoffMs ?? 10_000;
    const delay = Math.min(max, 250 * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
    this.attempts += 1;
    this.reconnectTimer = this.timers.setTimeout(() => {
      if (!this.stopped) this.open();
    }, delay);
  }

  private send(frame: ClientFrame): void {
    if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(frame));
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const l of this.listeners) l.status?.(status);
  }

  private emitState(cause: 'snapshot' | ClientEvent): void {
    const state = this.snapshot;
    if (!state) return;
    for (const l of this.listeners) l.state?.(state, cause);
  }
}
