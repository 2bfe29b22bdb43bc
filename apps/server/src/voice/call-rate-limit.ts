import type { Clock } from '../clock.js';

export interface CallRatePolicy {
  /** Calls one source may have up at once. */
  concurrent: number;
  /** Calls one source may start within `windowMs`. */
  perWindow: number;
  windowMs: number;
}

export const DEFAULT_CALL_RATE: CallRatePolicy = { concurrent: 3, perWindow: 20, windowMs: 10 * 60_000 };

/**
 * Calls from the public web phone, limited per source address: a page anyone can open must not
 * let one visitor flood the queues or the media workers.
 */
export class CallRateLimit {
  private readonly active = new Map<string, number>();
  private readonly started = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: CallRatePolicy = DEFAULT_CALL_RATE,
  ) {}

  /** Takes a call slot for `source`, or says how many seconds until one frees up. */
  acquire(source: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.clock.now().getTime();
    const recent = (this.started.get(source) ?? []).filter((t) => now - t < this.policy.windowMs);
    if ((this.active.get(source) ?? 0) >= this.policy.concurrent) return { ok: false, retryAfterSeconds: 60 };
    if (recent.length >= this.policy.perWindow) {
      const oldest = recent[0] ?? now;
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.policy.windowMs - now) / 1000)),
      };
    }
    recent.push(now);
    this.started.set(source, recent);
    this.active.set(source, (this.active.get(source) ?? 0) + 1);
    return { ok: true };
  }

  release(source: string): void {
    const n = (this.active.get(source) ?? 0) - 1;
    if (n > 0) this.active.set(source, n);
    else this.active.delete(source);
  }
}
