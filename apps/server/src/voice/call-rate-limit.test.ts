import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../clock.js';
import { CallRateLimit } from './call-rate-limit.js';

test('one source may hold three calls at once; a fourth waits until one ends', () => {
  const limit = new CallRateLimit(new ManualClock());
  for (let i = 0; i < 3; i++) assert.equal(limit.acquire('10.0.0.1').ok, true);
  assert.equal(limit.acquire('10.0.0.1').ok, false);
  assert.equal(limit.acquire('10.0.0.2').ok, true, 'other sources are not affected');
  limit.release('10.0.0.1');
  assert.equal(limit.acquire('10.0.0.1').ok, true);
});

test('twenty calls in ten minutes, then the source waits for the oldest to age out', () => {
  const clock = new ManualClock();
  const limit = new CallRateLimit(clock);
  for (let i = 0; i < 20; i++) {
    assert.equal(limit.acquire('a').ok, true, `call ${i + 1}`);
    limit.release('a');
    clock.advance(10_000);
  }
  const refused = limit.acquire('a');
  assert.deepEqual(refused, { ok: false, retryAfterSeconds: 400 });
  clock.advance(400_000);
  assert.equal(limit.acquire('a').ok, true);
});
