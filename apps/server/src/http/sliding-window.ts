import type { Clock } from '../clock.js';

export interface WindowPolicy {
  /** Events one key may have within `windowMs`. */
  perWindow: number;
  windowMs: number;
}

export type WindowVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Events per key (a user, a source address) in a sliding window: `take` counts one, or says in
 * how many seconds the oldest leaves the window. Keys with nothing left in the window are pruned
 * once there are many, so made-up keys cannot grow it without bound.
 */
export class SlidingWindow {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: WindowPolicy,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string): WindowVerdict {
    const verdict = this.check(key);
    if (verdict.ok) this.count(key);
    return verdict;
  }

  /** Whether `key` may have one more now, without counting it. */
  check(key: string): WindowVerdict {
    const now = this.clock.now().getTime();
    const times = this.inWindow(key, now);
    if (times.length < this.policy.perWindow) return { ok: true };
    const oldest = times[0] ?? now;
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.policy.windowMs - now) / 1000)),
    };
  }

  /** Counts one for `key` now. */
  count(key: string): void {
    const now = this.clock.now().getTime();
    const times = this.inWindow(key, now);
    times.push(now);
    this.recent.set(key, times);
    if (this.recent.size > this.maxKeys) this.prune(now);
  }

  private inWindow(key: string, now: number): number[] {
    return (this.recent.get(key) ?? []).filter((t) => now - t < this.policy.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.recent)
      if (times.every((t) => now - t >= this.policy.windowMs)) this.recent.delete(key);
  }
}
