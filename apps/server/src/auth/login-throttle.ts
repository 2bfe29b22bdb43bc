import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';

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

interface Entry {
  failures: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
}

/**
 * Slows and then locks repeated sign-in failures. The hard lock is per account *and* source, so
 * an attacker elsewhere cannot lock a user out; the account-wide brake only slows, never locks;
 * a source that sprays many accounts is locked on its own.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  private keys(username: string, source: string) {
    const account = username.trim().toLowerCase();
    return { pair: `pair:${account}|${source}`, account: `account:${account}`, source: `source:${source}` };
  }

  /** Throws LOGIN_THROTTLED or LOGIN_LOCKED when a try is not allowed now. */
  async check(username: string, source: string): Promise<void> {
    const now = this.clock.now().getTime();
    const keys = this.keys(username, source);
    const rows = await this.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', 'in', [keys.pair, keys.account, keys.source])
      .execute();
    let waitUntil = 0;
    let locked = false;
    for (const row of rows) {
      const until = row.blocked_until?.getTime() ?? 0;
      if (until <= now) continue;
      if (until > waitUntil) waitUntil = until;
      if ((row.key === keys.pair && row.failures >= this.policy.lockAfter) || row.key === keys.source) {
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
    await this.bump(keys.pair, (failures) => {
      if (failures >= p.lockAfter) return p.lockMs;
      if (failures >= p.slowAfter) return Math.min(p.maxDelayMs, 1000 * 2 ** (failures - p.slowAfter));
      return 0;
    });
    await this.bump(keys.account, (failures) => (failures >= p.accountSlowAfter ? p.accountDelayMs : 0));
    await this.bump(keys.source, (failures) => (failures >= p.sourceLockAfter ? p.lockMs : 0));
  }

  /** A success clears the account's record from that source; the source's own count stays. */
  async recordSuccess(username: string, source: string): Promise<void> {
    const keys = this.keys(username, source);
    await this.db.deleteFrom('login_throttle').where('key', 'in', [keys.pair, keys.account]).execute();
  }

  private async bump(key: string, delayFor: (failures: number) => number): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('login_throttle')
        .selectAll()
        .where('key', '=', key)
        .forUpdate()
        .executeTakeFirst();
      const fresh = !row || now.getTime() - row.window_started_at.getTime() > this.policy.windowMs;
      const entry: Entry = fresh
        ? { failures: 1, windowStartedAt: now, blockedUntil: null }
        : {
            failures: row.failures + 1,
            windowStartedAt: row.window_started_at,
            blockedUntil: row.blocked_until,
          };
      const delay = delayFor(entry.failures);
      if (delay > 0) entry.blockedUntil = new Date(now.getTime() + delay);
      await tx
        .insertInto('login_throttle')
        .values({
          key,
          failures: entry.failures,
          window_started_at: entry.windowStartedAt,
          blocked_until: entry.blockedUntil,
        })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: entry.failures,
            window_started_at: entry.windowStartedAt,
            blocked_until: entry.blockedUntil,
          }),
        )
        .execute();
    });
  }
}
