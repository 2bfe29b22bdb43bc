import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';

export interface FailureRecord {
  failures: number;
  blockedUntil: Date | null;
}

/**
 * Failed attempts at a secret (a password, a call-in PIN), counted per key in the database
 * (`login_throttle`): every process sees the same counts, and a restart does not forgive them.
 * A key's count starts afresh when its window has passed since its first failure.
 */
export class FailureCounts {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The keys' records (those that have one). */
  async get(keys: string[]): Promise<Map<string, FailureRecord>> {
    const rows = await this.db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
    return new Map(rows.map((r) => [r.key, { failures: r.failures, blockedUntil: r.blocked_until }]));
  }

  /** Whether any of the keys is blocked now. */
  async blocked(keys: string[]): Promise<boolean> {
    const now = this.clock.now().getTime();
    return [...(await this.get(keys)).values()].some((r) => (r.blockedUntil?.getTime() ?? 0) > now);
  }

  /**
   * Counts one more failure for `key` and blocks it for `blockFor(count)` ms from now (0: not
   * blocked by this failure; an earlier block stands).
   */
  async record(key: string, windowMs: number, blockFor: (failures: number) => number): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('login_throttle')
        .selectAll()
        .where('key', '=', key)
        .forUpdate()
        .executeTakeFirst();
      const fresh = !row || now.getTime() - row.window_started_at.getTime() > windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const windowStartedAt = fresh ? now : row.window_started_at;
      const delay = blockFor(failures);
      const blockedUntil = delay > 0 ? new Date(now.getTime() + delay) : fresh ? null : row.blocked_until;
      const values = { failures, window_started_at: windowStartedAt, blocked_until: blockedUntil };
      await tx
        .insertInto('login_throttle')
        .values({ key, ...values })
        .onConflict((oc) => oc.column('key').doUpdateSet(values))
        .execute();
    });
  }

  async clear(keys: string[]): Promise<void> {
    await this.db.deleteFrom('login_throttle').where('key', 'in', keys).execute();
  }

  /**
   * Forgets counts whose window started more than `olderThanMs` ago and that block nothing now,
   * so a flood of made-up names does not fill the table. Returns how many went.
   */
  async prune(olderThanMs: number): Promise<number> {
    const now = this.clock.now();
    const res = await this.db
      .deleteFrom('login_throttle')
      .where('window_started_at', '<', new Date(now.getTime() - olderThanMs))
      .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now)]))
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
