import type { Clock } from '../clock.js';
import { SlidingWindow, type WindowPolicy, type WindowVerdict } from '../http/sliding-window.js';

export interface CallRatePolicy extends WindowPolicy {
  /** Calls one source may have up at once (and start `perWindow` within `windowMs`). */
  concurrent: number;
}

export const DEFAULT_CALL_RATE: CallRatePolicy = { concurrent: 3, perWindow: 20, windowMs: 10 * 60_000 };

/**
 * Calls from the public web phone, limited per source address: a page anyone can open must not
 * let one visitor flood the queues or the media workers.
 */
export class CallRateLimit {
  private readonly active = new Map<string, number>();
  private readonly started: SlidingWindow;

  constructor(
    clock: Clock,
    private readonly policy: CallRatePolicy = DEFAULT_CALL_RATE,
  ) {
    this.started = new SlidingWindow(clock, policy);
  }

  /** Takes a call slot for `source`, or says how many seconds until one frees up. */
  acquire(source: string): WindowVerdict {
    if ((this.active.get(source) ?? 0) >= this.policy.concurrent) return { ok: false, retryAfterSeconds: 60 };
    const verdict = this.started.take(source);
    if (verdict.ok) this.active.set(source, (this.active.get(source) ?? 0) + 1);
    return verdict;
  }

  release(source: string): void {
    const n = (this.active.get(source) ?? 0) - 1;
    if (n > 0) this.active.set(source, n);
    else this.active.delete(source);
  }
}
