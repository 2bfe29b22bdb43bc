import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from './clock.js';

describe('ManualClock', () => {
  test('advance() runs the timers that fall due, in order, at their own times', () => {
    const clock = new ManualClock(0);
    const ran: [string, number][] = [];
    clock.setTimer(20, () => ran.push(['b', clock.now().getTime()]));
    clock.setTimer(10, () => ran.push(['a', clock.now().getTime()]));
    const cancel = clock.setTimer(15, () => ran.push(['cancelled', clock.now().getTime()]));
    cancel();
    clock.advance(30);
    assert.deepEqual(ran, [
      ['a', 10],
      ['b', 20],
    ]);
    assert.equal(clock.now().getTime(), 30);
  });

  test('settled() waits for the work timers set off, work set off meanwhile included', async () => {
    const clock = new ManualClock(0);
    const done: string[] = [];
    const later = (what: string) =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          done.push(what);
          resolve();
        }),
      );
    // The first check, once done, sets a timer that runs at once with work of its own.
    clock.setTimer(10, () =>
      later('first').then(() => {
        clock.setTimer(0, () => later('second'));
        clock.advance(0);
      }),
    );
    clock.setTimer(10, () => Promise.reject(new Error('a failed check')).catch(() => later('recovered')));
    clock.advance(10);
    assert.deepEqual(done, [], 'nothing finished yet');
    await clock.settled();
    assert.deepEqual(done.sort(), ['first', 'recovered', 'second']);
    await clock.settled(); // nothing left: at once
  });
});
