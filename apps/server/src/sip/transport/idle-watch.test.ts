import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../clock.js';
import { IdleWatch } from './idle-watch.js';

function watch(trusted = true) {
  const clock = new ManualClock();
  let idle = false;
  const w = new IdleWatch({ clock, shortMs: 20_000, longMs: 300_000, trusted, onIdle: () => (idle = true) });
  return { clock, w, idle: () => idle };
}

test('bytes of a message that never completes do not move the deadline', () => {
  const { clock, w, idle } = watch();
  for (let i = 0; i < 19; i++) {
    clock.advance(1000);
    w.partial(true);
  }
  clock.advance(999);
  assert.equal(idle(), false);
  clock.advance(1);
  assert.equal(idle(), true);
});

test('pings before any message are not activity; after one they are', () => {
  const { clock, w, idle } = watch();
  clock.advance(10_000);
  w.ping();
  clock.advance(10_000);
  assert.equal(idle(), true, 'a ping alone does not hold a connection open');

  const second = watch();
  second.w.message();
  second.clock.advance(290_000);
  second.w.ping();
  second.clock.advance(290_000);
  assert.equal(second.idle(), false);
  second.clock.advance(10_000);
  assert.equal(second.idle(), true);
});

test('an untrusted connection keeps the short idle time after messages; a stopped watch never fires', () => {
  const { clock, w, idle } = watch(false);
  w.message();
  clock.advance(20_000);
  assert.equal(idle(), true);
  const other = watch();
  other.w.stop();
  other.clock.advance(1_000_000);
  assert.equal(other.idle(), false);
  assert.equal(other.clock.pendingTimers, 0);
});
