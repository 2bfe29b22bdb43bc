import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { type Block, FailureCounts, type FailureLimit } from './failure-counts.js';

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
 * a source that sprays many accounts is locked on its own. A try is reserved before its password
 * is checked (`FailureCounts.reserve`), so guesses sent at once stop where one-by-one ones would.
 */
export class LoginThrottle {
  private readonly counts: FailureCounts;

  constructor(
    db: Db,
    clock: Clock,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {
    this.counts = new FailureCounts(db, clock);
  }

  private keys(username: string, source: string) {
    const account = username.trim().toLowerCase();
    return { pair: `pair:${account}|${source}`, account: `account:${account}`, source: `source:${source}` };
  }

  /**
   * One sign-in try: `verify` checks the password and gives what it proved (undefined: wrong).
   * Throws LOGIN_THROTTLED or LOGIN_LOCKED, without calling `verify`, when a try is not allowed
   * now. A right password clears the account's record from that source; the source's count stays.
   */
  async attempt<T>(
    username: string,
    source: string,
    verify: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const keys = this.keys(username, source);
    const reservation = await this.counts.reserve(this.limits(keys));
    if (!reservation.granted) throw this.refusal(keys.pair, keys.source, reservation.blocks);
    const { attempt } = reservation;
    try {
      const proved = await verify();
      if (proved === undefined) await attempt.failed();
      else await attempt.succeeded([keys.pair, keys.account]);
      return proved;
    } finally {
      await attempt.release(); // nothing once settled; gives the try back if verify threw
    }
  }

  private limits(keys: ReturnType<LoginThrottle['keys']>): FailureLimit[] {
    const p = this.policy;
    return [
      {
        key: keys.pair,
        windowMs: p.windowMs,
        blockFor: (failures) => {
          if (failures >= p.lockAfter) return p.lockMs;
          if (failures >= p.slowAfter) return Math.min(p.maxDelayMs, 1000 * 2 ** (failures - p.slowAfter));
          return 0;
        },
      },
      {
        key: keys.account,
        windowMs: p.windowMs,
        blockFor: (failures) => (failures >= p.accountSlowAfter ? p.accountDelayMs : 0),
      },
      {
        key: keys.source,
        windowMs: p.windowMs,
        blockFor: (failures) => (failures >= p.sourceLockAfter ? p.lockMs : 0),
      },
    ];
  }

  /** The longest wait any key asks for; a lock if the pair reached its lock or the source is locked. */
  private refusal(pair: string, source: string, blocks: Block[]): AppError {
    const retryAfterSeconds = Math.ceil(Math.max(...blocks.map((b) => b.retryAfterMs)) / 1000);
    const locked = blocks.some(
      (b) => (b.key === pair && b.failures >= this.policy.lockAfter) || b.key === source,
    );
    return locked
      ? new AppError('LOGIN_LOCKED', 'Too many failed sign-in attempts: sign-in is locked for a while', {
          retryAfterSeconds,
        })
      : new AppError('LOGIN_THROTTLED', 'Too many failed sign-in attempts: wait before trying again', {
          retryAfterSeconds,
        });
  }
}
