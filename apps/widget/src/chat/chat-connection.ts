import { backoffDelay } from './backoff';
import { type ChatClientFrame, type ChatServerFrame, parseServerFrame } from './protocol';
import type { Timers } from './timers';

export const PING_INTERVAL_MS = 20_000;
/** A socket that has said nothing (not even a pong) for this long is treated as dropped. */
export const SILENCE_LIMIT_MS = 50_000;
/** The close code given to a socket found dead by its silence. */
export const CLOSE_SILENT = 1006;

/** The part of WebSocket used here. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: (() => void) | null;
}

export interface ConnectionDeps {
  socketUrl: string;
  openSocket: (url: string) => SocketLike;
  timers: Timers;
  random?: () => number;
}

export interface ConnectionHandlers {
  open(): void;
  frame(frame: ChatServerFrame): void;
  /** The socket closed or was found dead; the owner decides whether to `retry`. */
  closed(code: number): void;
}

/**
 * One socket at a time to the platform: opened on demand, pinged every 20 s, dropped when
 * silent, and opened again on `retry` after a backoff that grows with each failure until the
 * platform answers (`settled`).
 */
export class ChatConnection {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private lastFrameAt = 0;
  private pingTimer: unknown = null;
  private retryTimer: unknown = null;

  constructor(
    private readonly deps: ConnectionDeps,
    private readonly handlers: ConnectionHandlers,
  ) {}

  /** A retry is scheduled. */
  get retrying(): boolean {
    return this.retryTimer !== null;
  }

  open(): void {
    if (this.socket) return;
    this.clearRetry();
    const socket = this.deps.openSocket(this.deps.socketUrl);
    this.socket = socket;
    socket.onopen = () => {
      this.lastFrameAt = this.deps.timers.now();
      this.schedulePing();
      this.handlers.open();
    };
    socket.onmessage = (event) => {
      this.lastFrameAt = this.deps.timers.now();
      const frame = parseServerFrame(event.data);
      if (frame) this.handlers.frame(frame);
    };
    socket.onclose = (event) => this.handleClose(event.code);
    socket.onerror = () => {};
  }

  send(frame: ChatClientFrame): boolean {
    if (!this.socket) return false;
    try {
      this.socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false; // Not open (yet, or any more): its close event takes it from here.
    }
  }

  /** The platform answered: the next drop's backoff starts from 1 s again. */
  settled(): void {
    this.attempt = 0;
  }

  /** Opens a new socket after the backoff's next delay, or at once. */
  retry(now = false): void {
    this.clearRetry();
    const delay = now ? 0 : backoffDelay(this.attempt++, this.deps.random);
    this.retryTimer = this.deps.timers.setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  /** The network is back (the browser said so): a scheduled retry happens now. */
  retryNow(): void {
    if (!this.retrying) return;
    this.attempt = 0;
    this.open();
  }

  /** Closes the socket without its close counting as a drop (no `closed`). */
  drop(): void {
    const socket = this.socket;
    this.clearPing();
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    this.socket = null;
    try {
      socket.close(1000);
    } catch {
      // Already closed.
    }
  }

  /** Stops for good: no socket, no retry. */
  close(): void {
    this.drop();
    this.clearRetry();
  }

  private handleClose(code: number): void {
    this.socket = null;
    this.clearPing();
    this.handlers.closed(code);
  }

  private schedulePing(): void {
    this.pingTimer = this.deps.timers.setTimeout(() => {
      this.pingTimer = null;
      if (!this.socket) return;
      if (this.deps.timers.now() - this.lastFrameAt > SILENCE_LIMIT_MS) {
        // Dead without a close (a lost network): the browser may take minutes to notice.
        this.drop();
        this.handlers.closed(CLOSE_SILENT);
        return;
      }
      this.send({ type: 'ping', t: this.deps.timers.now() });
      this.schedulePing();
    }, PING_INTERVAL_MS);
  }

  private clearPing(): void {
    if (this.pingTimer !== null) this.deps.timers.clearTimeout(this.pingTimer);
    this.pingTimer = null;
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.deps.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
