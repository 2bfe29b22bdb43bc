import type { Clock } from '../clock.js';

export interface SearchRatePolicy {
  /** Searches one user may make within `windowMs`. */
  perWindow: number;
  windowMs: number;
}

/** Search as you type sends a search a keystroke or so: 20 in 10 s is a fast typist, not a script. */
export const DEFAULT_SEARCH_RATE: SearchRatePolicy = { perWindow: 20, windowMs: 10_000 };

/** Directory searches per user in a sliding window, so one client cannot flood Graph or the database. */
export class SearchRateLimit {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: SearchRatePolicy = DEFAULT_SEARCH_RATE,
  ) {}

  /** Counts a search by `userId`, or says in how many seconds one is allowed again. */
  take(userId: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.clock.now().getTime();
    const times = (this.recent.get(userId) ?? []).filter((t) => now - t < this.policy.windowMs);
    if (times.length >= this.policy.perWindow) {
      this.recent.set(userId, times);
      const oldest = times[0] ?? now;
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.policy.windowMs - now) / 1000)),
      };
    }
    times.push(now);
    this.recent.set(userId, times);
    if (this.recent.size > 10_000) this.prune(now);
    return { ok: true };
  }

  private prune(now: number): void {
    for (const [user, times] of this.recent)
      if (times.every((t) => now - t >= this.policy.windowMs)) this.recent.delete(user);
  }
}
