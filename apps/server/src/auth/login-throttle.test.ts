import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../clock.js';
import { useScratchDatabase } from '../db/testing.js';
import { AppError } from '../http/app-error.js';
import { DEFAULT_THROTTLE, LoginThrottle } from './login-throttle.js';

/** The refusal of a try as `CODE:seconds`, or undefined if its password was checked. */
async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    assert.ok(err instanceof AppError);
    return `${err.code}:${err.extra.retryAfterSeconds}`;
  }
}

const wrong = async (): Promise<string | undefined> => undefined;
const right = async (): Promise<string | undefined> => 'user-id';

describe('LoginThrottle in virtual time', () => {
  const database = useScratchDatabase();

  test('waits double after each failure past five, then locks for 15 minutes at ten', async () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(database.db, clock);
    const tryWrong = () => refusal(t.attempt('ava', '10.0.0.1', wrong));
    for (let i = 1; i <= 5; i++) assert.equal(await tryWrong(), undefined, `failure ${i} waits for nothing`);
    // 5: 1 s, 6: 2 s, 7: 4 s, 8: 8 s, 9: 16 s. A try before the wait is over is refused, uncounted.
    for (const seconds of [1, 2, 4, 8, 16]) {
      assert.equal(await tryWrong(), `LOGIN_THROTTLED:${seconds}`);
      clock.advance(seconds * 1000);
      assert.equal(await tryWrong(), undefined, `checked after ${seconds} s`);
    }
    assert.equal(await tryWrong(), 'LOGIN_LOCKED:900');
    assert.equal(
      await refusal(t.attempt('ava', '10.0.0.1', right)),
      'LOGIN_LOCKED:900',
      'even the right one',
    );
    assert.equal(
      await refusal(t.attempt('ava', '10.0.0.2', right)),
      undefined,
      'another source is not locked',
    );
    clock.advance(DEFAULT_THROTTLE.lockMs);
    assert.equal(await tryWrong(), undefined, 'the lock ends');
  });

  test('tries sent at once stop where one-by-one tries would', async () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(database.db, clock);
    // Every try that gets through waits here, so all are being checked at the same time.
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let checked = 0;
    let decided = 0;
    const decide = () => {
      if (++decided === 30) open();
    };
    const tries = Array.from({ length: 30 }, () =>
      refusal(
        t.attempt('eve', '10.0.0.7', async () => {
          checked++;
          decide();
          await gate;
          return undefined;
        }),
      ).then((answer) => {
        if (answer !== undefined) decide();
        return answer;
      }),
    );
    const answers = await Promise.all(tries);
    assert.equal(checked, DEFAULT_THROTTLE.slowAfter);
    assert.deepEqual(
      answers.filter((a) => a !== undefined),
      Array(30 - DEFAULT_THROTTLE.slowAfter).fill('LOGIN_THROTTLED:1'),
    );
    assert.equal(await refusal(t.attempt('eve', '10.0.0.7', right)), 'LOGIN_THROTTLED:1', 'then they wait');
  });

  test('a success clears the account from that source; a try that could not be checked is not counted', async () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(database.db, clock);
    for (let i = 0; i < 4; i++) await t.attempt('ben', '10.0.0.1', wrong);
    await assert.rejects(
      t.attempt('ben', '10.0.0.1', async () => {
        throw new Error('database gone');
      }),
      /database gone/,
    );
    assert.equal(await t.attempt('ben', '10.0.0.1', right), 'user-id', 'the fifth try is the right one');
    await t.attempt('ben', '10.0.0.1', wrong);
    assert.equal(await refusal(t.attempt('ben', '10.0.0.1', wrong)), undefined);
  });

  test('many sources against one account only slow it; one source spraying accounts is locked', async () => {
    const clock = new ManualClock();
    const policy = { ...DEFAULT_THROTTLE, accountSlowAfter: 6, sourceLockAfter: 8 };
    const t = new LoginThrottle(database.db, clock, policy);
    for (let i = 0; i < 6; i++) await t.attempt('cleo', `10.1.0.${i}`, wrong);
    assert.equal(await refusal(t.attempt('cleo', '10.9.9.9', right)), 'LOGIN_THROTTLED:30');
    clock.advance(30_000);
    assert.equal(
      await refusal(t.attempt('cleo', '10.9.9.9', right)),
      undefined,
      'never a long lock for the owner',
    );
    for (let i = 0; i < 8; i++) await t.attempt(`user${i}`, '10.2.0.1', wrong);
    assert.equal(await refusal(t.attempt('someone-else', '10.2.0.1', right)), 'LOGIN_LOCKED:900');
  });

  test('old failures fall out of the window', async () => {
    const clock = new ManualClock();
    const t = new LoginThrottle(database.db, clock);
    for (let i = 0; i < 4; i++) await t.attempt('dan', '10.0.0.1', wrong);
    clock.advance(DEFAULT_THROTTLE.windowMs + 1);
    await t.attempt('dan', '10.0.0.1', wrong);
    await t.attempt('dan', '10.0.0.1', wrong);
    assert.equal(await refusal(t.attempt('dan', '10.0.0.1', wrong)), undefined, 'two in the new window');
  });
});
