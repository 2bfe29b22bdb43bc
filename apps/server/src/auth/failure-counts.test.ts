import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../clock.js';
import { useScratchDatabase } from '../db/testing.js';
import { type Attempt, FailureCounts, type FailureLimit, type Reservation } from './failure-counts.js';

const database = useScratchDatabase();
const LOCK_MS = 15 * 60_000;
const lockAtFive = (key: string): FailureLimit => ({
  key,
  windowMs: 15 * 60_000,
  blockFor: (n) => (n >= 5 ? LOCK_MS : 0),
});

function granted(r: Reservation): Attempt {
  assert.ok(r.granted, 'the attempt may go ahead');
  return r.attempt;
}

test('failures lock a key at the limit, for every process on the database, until the lock runs out', async () => {
  const clock = new ManualClock();
  // Two processes on one database: failures taken by either count for both.
  const [a, b] = [new FailureCounts(database.db, clock), new FailureCounts(database.db, clock)];
  const pin = lockAtFive('pin:1001');
  for (let i = 0; i < 5; i++) await granted(await (i % 2 ? a : b).reserve([pin])).failed();
  const refused = await a.reserve([pin, lockAtFive('pin:other')]);
  assert.deepEqual(refused, {
    granted: false,
    blocks: [{ key: 'pin:1001', failures: 5, retryAfterMs: LOCK_MS }],
  });
  assert.equal((await b.reserve([lockAtFive('pin:other')])).granted, true, 'other keys are not touched');
  clock.advance(LOCK_MS + 1);
  await granted(await b.reserve([pin])).failed();
  assert.equal((await a.get(['pin:1001'])).get('pin:1001')?.failures, 1, 'a fresh window after the lock');
  await a.clear(['pin:1001']);
  assert.equal((await a.get(['pin:1001'])).size, 0);
});

test('attempts being checked count as failures: no more start than may fail before the lock', async () => {
  const counts = new FailureCounts(database.db, new ManualClock());
  const pin = lockAtFive('pin:2002');
  const held = [];
  for (let i = 0; i < 5; i++) held.push(granted(await counts.reserve([pin])));
  const sixth = await counts.reserve([pin]);
  assert.ok(!sixth.granted);
  assert.deepEqual(sixth.blocks, [{ key: 'pin:2002', failures: 5, retryAfterMs: LOCK_MS }]);
  // One is right, one could not be checked: both give their place back, uncounted.
  await held[0]?.succeeded();
  await held[1]?.release();
  await held[1]?.failed(); // settled already: nothing more
  assert.deepEqual((await counts.get(['pin:2002'])).get('pin:2002'), {
    failures: 0,
    pending: 3,
    blockedUntil: null,
  });
  const more = [granted(await counts.reserve([pin])), granted(await counts.reserve([pin]))];
  assert.equal((await counts.reserve([pin])).granted, false, 'five in flight again');
  for (const attempt of [...held.slice(2), ...more]) await attempt.failed();
  const record = (await counts.get(['pin:2002'])).get('pin:2002');
  assert.equal(record?.failures, 5);
  assert.equal(record?.pending, 0);
  assert.equal((await counts.reserve([pin])).granted, false, 'locked once they have failed');
});

test('a success forgives only the keys it names; the others keep their failures', async () => {
  const counts = new FailureCounts(database.db, new ManualClock());
  const [id, from] = [lockAtFive('id:3003'), lockAtFive('from:555')];
  for (let i = 0; i < 3; i++) await granted(await counts.reserve([id, from])).failed();
  await granted(await counts.reserve([id, from])).succeeded(['id:3003']);
  const records = await counts.get(['id:3003', 'from:555']);
  assert.equal(records.has('id:3003'), false);
  assert.deepEqual(records.get('from:555'), { failures: 3, pending: 0, blockedUntil: null });
});

test('attempts never settled are forgotten when the window passes', async () => {
  const clock = new ManualClock();
  const counts = new FailureCounts(database.db, clock);
  const pin = lockAtFive('pin:4004');
  for (let i = 0; i < 5; i++) granted(await counts.reserve([pin])); // their process died
  assert.equal((await counts.reserve([pin])).granted, false);
  clock.advance(15 * 60_000 + 1);
  assert.equal((await counts.reserve([pin])).granted, true);
});

test('stale counts are pruned; a lock still running is kept', async () => {
  await database.db.deleteFrom('login_throttle').execute(); // only this test's counts
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const counts = new FailureCounts(database.db, clock);
  const fail = async (key: string, blockFor: (n: number) => number) =>
    granted(await counts.reserve([{ key, windowMs: 60_000, blockFor }])).failed();
  await fail('stale', () => 0);
  await fail('locked', () => 48 * 3600_000);
  clock.advance(25 * 3600_000);
  await fail('recent', () => 0);
  assert.equal(await counts.prune(24 * 3600_000), 1);
  assert.deepEqual([...(await counts.get(['stale', 'locked', 'recent'])).keys()].sort(), [
    'locked',
    'recent',
  ]);
});
