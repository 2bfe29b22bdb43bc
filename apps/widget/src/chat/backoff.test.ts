import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKOFF_MAX_MS, backoffDelay } from './backoff';

test('the delay doubles from about 1 s and stays at most 30 s', () => {
  const middle = () => 0.5;
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 20].map((a) => backoffDelay(a, middle)),
    [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000],
  );
});

test('jitter spreads each delay by ±20% without passing the cap', () => {
  assert.equal(
    backoffDelay(0, () => 0),
    800,
  );
  assert.equal(
    backoffDelay(0, () => 1),
    1200,
  );
  assert.equal(
    backoffDelay(10, () => 1),
    BACKOFF_MAX_MS,
  );
  assert.equal(
    backoffDelay(10, () => 0),
    24000,
  );
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(3);
    assert.ok(d >= 6400 && d <= 9600, String(d));
  }
});
