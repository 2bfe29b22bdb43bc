import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../clock.js';
import { useScratchDatabase } from '../db/testing.js';
import { FailureCounts } from './failure-counts.js';

const database = useScratchDatabase();

test('failures lock a key at the limit, for every process on the database, until the lock runs out', async () => {
  const clock = new ManualClock();
  // Two processes on one database: failures taken by either count for both.
  const [a, b] = [new FailureCounts(database.db, clock), new FailureCounts(database.db, clock)];
  const lockAtFive = (n: number) => (n >= 5 ? 15 * 60_000 : 0);
  for (let i = 0; i < 4; i++) await (i % 2 ? a : b).record('pin:1001', 15 * 60_000, lockAtFive);
  assert.equal(await a.blocked(['pin:1001']), false, 'four wrong entries: not yet');
  await b.record('pin:1001', 15 * 60_000, lockAtFive);
  assert.equal(await a.blocked(['pin:1001', 'pin:other']), true, 'the fifth locks it');
  assert.equal(await a.blocked(['pin:other']), false, 'other keys are not touched');
  clock.advance(15 * 60_000 + 1);
  assert.equal(await b.blocked(['pin:1001']), false, 'the lock runs out');
  await a.record('pin:1001', 15 * 60_000, lockAtFive);
  assert.equal((await a.get(['pin:1001'])).get('pin:1001')?.failures, 1, 'a fresh window after it');
  await a.clear(['pin:1001']);
  assert.equal((await a.get(['pin:1001'])).size, 0);
});

test('stale counts are pruned; a lock still running is kept', async () => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const counts = new FailureCounts(database.db, clock);
  await counts.record('stale', 60_000, () => 0);
  await counts.record('locked', 60_000, () => 48 * 3600_000);
  clock.advance(25 * 3600_000);
  await counts.record('recent', 60_000, () => 0);
  assert.equal(await counts.prune(24 * 3600_000), 1);
  assert.deepEqual([...(await counts.get(['stale', 'locked', 'recent'])).keys()].sort(), [
    'locked',
    'recent',
  ]);
});
