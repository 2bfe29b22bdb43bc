import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualTimers } from './test-support';
import { TYPING_IDLE_MS, TypingNotifier } from './typing-notifier';

function setup() {
  const sent: boolean[] = [];
  const timers = new VirtualTimers();
  return { sent, timers, notifier: new TypingNotifier((t) => sent.push(t), timers) };
}

test('a burst of typing sends true once, then false after 3 s without a keystroke', () => {
  const { sent, timers, notifier } = setup();
  for (const text of ['h', 'he', 'hel', 'hell', 'hello']) {
    notifier.input(text);
    timers.advance(1000);
  }
  assert.deepEqual(sent, [true]);
  timers.advance(TYPING_IDLE_MS - 1000 - 1);
  assert.deepEqual(sent, [true]);
  timers.advance(1);
  assert.deepEqual(sent, [true, false]);
  notifier.input('hello!');
  assert.deepEqual(sent, [true, false, true]);
});

test('sending the message or clearing the box stops typing at once', () => {
  const { sent, timers, notifier } = setup();
  notifier.input('hi');
  notifier.stop();
  notifier.stop();
  assert.deepEqual(sent, [true, false]);
  notifier.input('again');
  notifier.input('   ');
  assert.deepEqual(sent, [true, false, true, false]);
  timers.advance(10_000);
  assert.equal(sent.length, 4);
});

test('a reset (socket gone) forgets the state without a frame', () => {
  const { sent, timers, notifier } = setup();
  notifier.input('hi');
  notifier.reset();
  timers.advance(10_000);
  assert.deepEqual(sent, [true]);
  notifier.input('hi again');
  assert.deepEqual(sent, [true, true]);
});
