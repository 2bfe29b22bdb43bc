import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { ManualClock } from '../clock.js';
import type { MediaPool } from '../media/worker/media-pool.js';
import { FIRST_PROMPT_WAIT_MS, Playback } from './playback.js';

/** The pool as Playback sees it: worker events. */
const fakePool = () => new EventEmitter() as unknown as MediaPool & EventEmitter;

const state = (p: Promise<void>) => {
  let done = false;
  void p.then(() => {
    done = true;
  });
  return () => done;
};
const flush = () => new Promise((r) => setImmediate(r));

test('the first prompt waits for the caller to start sending, and no longer than the limit', async () => {
  const clock = new ManualClock();
  const pool = fakePool();
  const playback = new Playback(pool, clock);

  const heard = state(playback.untilHeard('caller-1', FIRST_PROMPT_WAIT_MS));
  clock.advance(400);
  pool.emit('event', { event: 'mediaStarted', endpointId: 'someone-else' });
  await flush();
  assert.equal(heard(), false, 'another leg’s media does not count');
  pool.emit('event', { event: 'mediaStarted', endpointId: 'caller-1' });
  await flush();
  assert.equal(heard(), true, 'the caller’s first packet');
  assert.equal(clock.pendingTimers, 0, 'its time limit was cancelled');

  const silent = state(playback.untilHeard('quiet-phone', FIRST_PROMPT_WAIT_MS));
  clock.advance(FIRST_PROMPT_WAIT_MS - 1);
  await flush();
  assert.equal(silent(), false);
  clock.advance(1);
  await flush();
  assert.equal(silent(), true, 'a phone that sends nothing gets its prompt after the limit');
});
