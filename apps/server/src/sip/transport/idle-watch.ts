import type { Clock } from '../../clock.js';

export interface IdleWatchOptions {
  clock: Clock;
  /** Before the first complete message, for a message begun, and always when not trusted. */
  shortMs: number;
  /** Between messages on a trusted connection that has carried one. */
  longMs: number;
  trusted: boolean;
  /** A connection we opened ourselves starts as one that has carried a message. */
  established?: boolean;
  onIdle: () => void;
}

/**
 * The idle deadline of one TCP connection. Only complete messages (and, once one has come,
 * keep-alive pings) are activity: a peer trickling a byte at a time never completes one, so
 * bytes alone never move the deadline.
 */
export class IdleWatch {
  private readonly opts: IdleWatchOptions;
  private established: boolean;
  private lastActivity: number;
  /** When the message now being received began; undefined between messages. */
  private partialSince: number | undefined;
  private armedAt: number | undefined;
  private cancel: (() => void) | undefined;
  private stopped = false;

  constructor(opts: IdleWatchOptions) {
    this.opts = opts;
    this.established = opts.established ?? false;
    this.lastActivity = this.now();
    this.arm();
  }

  /** A complete SIP message arrived. */
  message(): void {
    this.established = true;
    this.lastActivity = this.now();
    this.partialSince = undefined;
    this.arm();
  }

  /** A keep-alive ping arrived: activity only on a connection that has carried a message. */
  ping(): void {
    if (!this.established) return;
    this.lastActivity = this.now();
    this.arm();
  }

  /** Whether bytes of an unfinished message are buffered after the latest chunk. */
  partial(pending: boolean): void {
    if (pending === (this.partialSince !== undefined)) return;
    this.partialSince = pending ? this.now() : undefined;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
  }

  private deadline(): number {
    const { shortMs, longMs, trusted } = this.opts;
    const quiet = this.lastActivity + (this.established && trusted ? longMs : shortMs);
    return this.partialSince === undefined ? quiet : Math.min(quiet, this.partialSince + shortMs);
  }

  private arm(): void {
    if (this.stopped) return;
    const at = this.deadline();
    if (at === this.armedAt) return;
    this.cancel?.();
    this.armedAt = at;
    this.cancel = this.opts.clock.setTimer(at - this.now(), () => this.fire());
  }

  private fire(): void {
    this.cancel = undefined;
    this.armedAt = undefined;
    if (this.stopped) return;
    if (this.now() < this.deadline()) {
      this.arm();
      return;
    }
    this.stop();
    this.opts.onIdle();
  }

  private now(): number {
    return this.opts.clock.now().getTime();
  }
}
