import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { FailureCounts } from './failure-counts.js';

export interface ThrottlePolicy {
  windowMs: number;
  /** Failures of one account from one source before each further try must wait. */
  slowAfter: number;
  /** Failures of one account from one source before that pair is locked out. */
  lockAfter: number;
  lockMs: number;
  maxDelayMs: number;
  /** Failures of one account from all sources together before every try waits accountDelayMs. */
  accountSlowAfter: number;
  accountDelayMs: number;
  /** Failures from one source across all accounts before that source is locked out. */
  sourceLockAfter: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  slowAfter: 5,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  maxDelayMs: 5 * 60_000,
  accountSlowAfter: 50,
  accountDelayMs: 30_000,
  sourceLockAfter: 100,
};

/**
 * Slows and then locks repeated sign-in failures. The hard lock is per account *and* source, so
 * an attacker elsewhere cannot lock a user out; the account-wide brake only slows, never locks;
 * a source that sprays many accounts is locked on its own.
 */
export class LoginThrottle {
  private readonly counts: FailureCounts;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {
    this.counts = new FailureCounts(db, clock);
  }

  private keys(username: string, source: string) {
    const account = username.trim().toLowerCase();
    return { pair: `pair:${account}|${source}`, account: `account:${account}`, source: `source:${source}` };
  }

  /** Throws LOGIN_THROTTLED or LOGIN_LOCKED when a try is not allowed now. */
  async check(username: string, source: string): Promise<void> {
    const now = this.clock.now().getTime();
    const keys = this.keys(username, source);
    const records = await this.counts.get([keys.pair, keys.account, keys.source]);
    let waitUntil = 0;
    let locked = false;
    for (const [key, record] of records) {
      const until = record.blockedUntil?.getTime() ?? 0;
      if (until <= now) continue;
      if (until > waitUntil) waitUntil = until;
      if ((key === keys.pair && record.failures >= this.policy.lockAfter) || key === keys.source) {
        locked = true;
      }
    }
    if (waitUntil > now) {
      const retryAfterSeconds = Math.ceil((waitUntil - now) / 1000);
      throw locked
        ? new AppError('LOGIN_LOCKED', 'Too many failed sign-in attempts: sign-in is locked for a while', {
            retryAfterSeconds,
          })
        : new AppError('LOGIN_THROTTLED', 'Too many failed sign-in attempts: wait before trying again', {
            retryAfterSeconds,
          });
    }
  }

  async recordFailure(username: string, source: string): Promise<void> {
    const keys = this.keys(username, source);
    const p = this.policy;
    await this.counts.record(keys.pair, p.windowMs, (failures) => {
      if (failures >= p.lockAfter) return p.lockMs;
      if (failures >= p.slowAfter) return Math.min(p.maxDelayMs, 1000 * 2 ** (failures - p.slowAfter));
      return 0;
    });
    await this.counts.record(keys.account, p.windowMs, (failures) =>
      failures >= p.accountSlowAfter ? p.accountDelayMs : 0,
    );
    await this.counts.record(keys.source, p.windowMs, (failures) =>
      failures >= p.sourceLockAfter ? p.lockMs : 0,
    );
  }

  /** A success clears the account's record from that source; the source's own count stays. */
  async recordSuccess(username: string, source: string): Promise<void> {
    const keys = this.keys(username, source);
    await this.counts.clear([keys.pair, keys.account]);
  }
}
