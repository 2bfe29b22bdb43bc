import type { Selectable, Transaction } from 'kysely';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Database, LoginThrottleTable } from '../db/schema.js';

export interface FailureRecord {
  failures: number;
  /** Attempts reserved and not yet settled. */
  pending: number;
  blockedUntil: Date | null;
}

/** One key an attempt is counted against, and its policy. */
export interface FailureLimit {
  key: string;
  /** A key's count starts afresh this long after its first failure. */
  windowMs: number;
  /** How long the key is blocked after its n-th failure, in ms (0: not blocked by that one). */
  blockFor: (failures: number) => number;
}

/** Why a key refused an attempt. */
export interface Block {
  key: string;
  /** The key's failures, counting the attempts still being checked as failures. */
  failures: number;
  retryAfterMs: number;
}

/** A reserved attempt, settled once: later settlements do nothing. */
export interface Attempt {
  /** The secret was wrong: a failure is counted against every key. */
  failed(): Promise<void>;
  /** The secret was right: the attempt is given back and the `forgive` keys' counts are cleared. */
  succeeded(forgive?: string[]): Promise<void>;
  /** Nothing was decided (an error, a stale challenge): the attempt is given back, uncounted. */
  release(): Promise<void>;
}

export type Reservation = { granted: true; attempt: Attempt } | { granted: false; blocks: Block[] };

type Row = Selectable<LoginThrottleTable>;
type Tx = Transaction<Database>;

class Refused extends Error {
  constructor(readonly blocks: Block[]) {
    super('attempt refused');
  }
}

/**
 * Failed attempts at a secret (a password, a call-in PIN, a desk phone's digest), counted per key
 * in the database (`login_throttle`): every process sees the same counts, and a restart does not
 * forgive them. An attempt is *reserved* before the secret is checked and settled after, with the
 * keys' rows locked each time, so concurrent guesses are decided one after another: while some are
 * being checked they count as failures, and no more start than the policy lets fail.
 */
export class FailureCounts {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /**
   * Reserves one attempt against every limit, or refuses it (reserving nothing) when a key is
   * blocked now, or would be blocked should the attempts being checked on it fail.
   */
  async reserve(limits: FailureLimit[]): Promise<Reservation> {
    const sorted = inLockOrder(limits);
    const now = this.clock.now();
    try {
      await this.db.transaction().execute(async (tx) => {
        const blocks: Block[] = [];
        const updates: [string, Partial<Row>][] = [];
        for (const limit of sorted) {
          const row = await lockRow(tx, limit.key, now);
          const decision = decide(row, limit, now.getTime());
          if ('block' in decision) blocks.push(decision.block);
          else updates.push([limit.key, decision.update]);
        }
        if (blocks.length > 0) throw new Refused(blocks);
        for (const [key, update] of updates) await setRow(tx, key, update);
      });
    } catch (err) {
      if (err instanceof Refused) return { granted: false, blocks: err.blocks };
      throw err;
    }
    return { granted: true, attempt: this.attempt(sorted) };
  }

  private attempt(limits: FailureLimit[]): Attempt {
    let settled = false;
    const settle = async (write: (tx: Tx, limit: FailureLimit) => Promise<void>) => {
      if (settled) return;
      await this.db.transaction().execute(async (tx) => {
        for (const limit of limits) await write(tx, limit);
      });
      settled = true;
    };
    return {
      failed: () => settle((tx, limit) => this.countFailure(tx, limit)),
      succeeded: (forgive = []) =>
        settle((tx, limit) =>
          forgive.includes(limit.key) ? clearRow(tx, limit.key) : giveBack(tx, limit.key),
        ),
      release: () => settle((tx, limit) => giveBack(tx, limit.key)),
    };
  }

  /** The n-th failure in the key's window blocks it for `blockFor(n)`; an earlier block stands. */
  private async countFailure(tx: Tx, limit: FailureLimit): Promise<void> {
    const now = this.clock.now();
    // The row may have gone meanwhile (a success forgave the key): it is made again.
    const row = await lockRow(tx, limit.key, now);
    const fresh = row.failures === 0 || now.getTime() - row.window_started_at.getTime() > limit.windowMs;
    const failures = fresh ? 1 : row.failures + 1;
    const delay = limit.blockFor(failures);
    const until = Math.max(row.blocked_until?.getTime() ?? 0, delay > 0 ? now.getTime() + delay : 0);
    await setRow(tx, limit.key, {
      failures,
      pending: Math.max(0, row.pending - 1),
      window_started_at: fresh ? now : row.window_started_at,
      blocked_until: until > 0 ? new Date(until) : null,
    });
  }

  /** The keys' records (those that have one). */
  async get(keys: string[]): Promise<Map<string, FailureRecord>> {
    const rows = await this.db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
    return new Map(
      rows.map((r) => [r.key, { failures: r.failures, pending: r.pending, blockedUntil: r.blocked_until }]),
    );
  }

  async clear(keys: string[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const key of [...keys].sort()) await clearRow(tx, key);
    });
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

/**
 * Every transaction here locks its rows in this one order (and a key once), so two of them never
 * wait for each other in a circle.
 */
function inLockOrder(limits: FailureLimit[]): FailureLimit[] {
  const byKey = new Map(limits.map((l) => [l.key, l]));
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Whether one more attempt may start on a key, and the key's row if it does. Blocked: refused.
 * Attempts still being checked count as failures: if they would block the key, refused too, so
 * concurrent guesses stop where sequential ones would.
 */
function decide(row: Row, limit: FailureLimit, now: number): { block: Block } | { update: Partial<Row> } {
  const until = row.blocked_until?.getTime() ?? 0;
  if (until > now) return { block: { key: limit.key, failures: row.failures, retryAfterMs: until - now } };
  // A window that has passed starts afresh, and forgets attempts that were never settled.
  const stale = now - row.window_started_at.getTime() > limit.windowMs;
  const failures = stale ? 0 : row.failures;
  const pending = stale ? 0 : row.pending;
  const wait = pending > 0 ? limit.blockFor(failures + pending) : 0;
  if (wait > 0) return { block: { key: limit.key, failures: failures + pending, retryAfterMs: wait } };
  return {
    update: {
      failures,
      pending: pending + 1,
      window_started_at: stale ? new Date(now) : row.window_started_at,
    },
  };
}

/**
 * The key's row, locked until the transaction ends. An upsert rather than SELECT ... FOR UPDATE:
 * that locks nothing when the row does not exist yet, and concurrent first attempts would race.
 */
async function lockRow(tx: Tx, key: string, now: Date): Promise<Row> {
  return tx
    .insertInto('login_throttle')
    .values({ key, failures: 0, pending: 0, window_started_at: now, blocked_until: null })
    .onConflict((oc) => oc.column('key').doUpdateSet({ pending: (eb) => eb.ref('login_throttle.pending') }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function setRow(tx: Tx, key: string, values: Partial<Row>): Promise<void> {
  await tx.updateTable('login_throttle').set(values).where('key', '=', key).execute();
}

async function giveBack(tx: Tx, key: string): Promise<void> {
  await tx
    .updateTable('login_throttle')
    .set((eb) => ({ pending: eb.fn('greatest', [eb('pending', '-', 1), eb.lit(0)]) }))
    .where('key', '=', key)
    .execute();
}

async function clearRow(tx: Tx, key: string): Promise<void> {
  await tx.deleteFrom('login_throttle').where('key', '=', key).execute();
}
