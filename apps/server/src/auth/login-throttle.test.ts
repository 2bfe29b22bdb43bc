import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../clock.js';
import { useScratchDatabase } from '../db/testing.js';
import { AppError } from '../http/app-error.js';
import { DEFAULT_THROTTLE, LoginThrottle } from './login-throttle.js';

async function refusal(p: Promise<void>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    assert.ok(err instanceof AppError);
    return `${err.code}:${err.extra.retryAfterSeconds}`;
  }
}

describe('LoginThrottle in virtual time', () => {
  const database = useScratchDatabase();

  test('waits double after each failure past five, then locks for 15 minutes at ten', async () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(database.db, clock);
    const waits: (string | undefined)[] = [];
    for (let i = 1; i <= 10; i++) {
      await t.recordFailure('ava', '10.0.0.1');
      waits.push(await refusal(t.check('ava', '10.0.0.1')));
      clock.advance(60_000);
    }
    // Failures 1-4: no wait. 5: 1 s, 6: 2 s, 7: 4 s, 8: 8 s, 9: 16 s. 10: locked 900 s.
    assert.deepEqual(waits, [
      undefined,
      undefined,
      undefined,
      undefined,
      'LOGIN_THROTTLED:1',
      'LOGIN_THROTTLED:2',
      'LOGIN_THROTTLED:4',
      'LOGIN_THROTTLED:8',
      'LOGIN_THROTTLED:16',
      'LOGIN_LOCKED:900',
    ]);
    assert.equal(await refusal(t.check('ava', '10.0.0.2')), undefined, 'another source is not locked');
    clock.advance(DEFAULT_THROTTLE.lockMs);
    assert.equal(await refusal(t.check('ava', '10.0.0.1')), undefined, 'the lock ends');
  });

  test('a success clears the account from that source', async () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(database.db, clock);
    for (let i = 0; i < 5; i++) await t.recordFailure('ben', '10.0.0.1');
    await t.recordSuccess('ben', '10.0.0.1');
    await t.recordFailure('ben', '10.0.0.1');
    assert.equal(await refusal(t.check('ben', '10.0.0.1')), undefined);
  });

  test('many sources against one account only slow it; one source spraying accounts is locked', async () => {
    const clock = new ManualClock();
    const policy = { ...DEFAULT_THROTTLE, accountSlowAfter: 6, sourceLockAfter: 8 };
    const t = new LoginThrottle(database.db, clock, policy);
    for (let i = 0; i < 6; i++) await t.recordFailure('cleo', `10.1.0.${i}`);
    assert.equal(await refusal(t.check('cleo', '10.9.9.9')), 'LOGIN_THROTTLED:30');
    clock.advance(30_000);
    assert.equal(await refusal(t.check('cleo', '10.9.9.9')), undefined, 'never a long lock for the owner');
    for (let i = 0; i < 8; i++) await t.recordFailure(`user${i}`, '10.2.0.1');
    assert.equal(await refusal(t.check('someone-else', '10.2.0.1')), 'LOGIN_LOCKED:900');
  });

  test('old failures fall out of the window', async () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(database.db, clock);
    for (let i = 0; i < 4; i++) await t.recordFailure('dan', '10.0.0.1');
    clock.advance(DEFAULT_THROTTLE.windowMs + 1);
    await t.recordFailure('dan', '10.0.0.1');
    assert.equal(await refusal(t.check('dan', '10.0.0.1')), undefined);
  });
});
