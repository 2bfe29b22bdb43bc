import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dominantTone, goertzelPower } from './goertzel.js';
import { beep, sineFrame, ToneSource } from './tone.js';

const RATE = 8000;

test('sineFrame has the asked amplitude and frequency', () => {
  const f = sineFrame(1000, 10000, RATE, 0, 8);
  // 1000 Hz at 8 kHz: 8 samples per cycle.
  assert.deepEqual([...f], [0, 7071, 10000, 7071, 0, -7071, -10000, -7071]);
  assert.ok(Math.abs(goertzelPower(sineFrame(700, 16384, RATE, 0, 800), RATE, 700) - 0.25) < 0.005);
});

test('consecutive sineFrames join without a phase jump, even far into a stream', () => {
  const whole = sineFrame(697, 12000, RATE, 0, 480);
  const parts = [0, 160, 320].map((start) => sineFrame(697, 12000, RATE, start, 160));
  assert.deepEqual(
    parts.flatMap((p) => [...p]),
    [...whole],
  );
  const late = 8000 * 3600 * 5; // five hours in
  const a = sineFrame(697, 12000, RATE, late, 160);
  const b = sineFrame(697, 12000, RATE, late + 160, 160);
  const joined = sineFrame(697, 12000, RATE, late, 320);
  for (let i = 0; i < 160; i++) {
    assert.ok(Math.abs((a[i] ?? 0) - (joined[i] ?? 0)) <= 1);
    assert.ok(Math.abs((b[i] ?? 0) - (joined[i + 160] ?? 0)) <= 1);
  }
});

test('ToneSource is phase continuous across frames of any size and equals the sum of sines', () => {
  const src = new ToneSource([440, 480], 6000);
  const got = [...src.next(100), ...src.next(160), ...src.next(240)];
  const a = sineFrame(440, 6000, RATE, 0, 500);
  const b = sineFrame(480, 6000, RATE, 0, 500);
  for (let i = 0; i < 500; i++)
    assert.ok(Math.abs((got[i] ?? 0) - ((a[i] ?? 0) + (b[i] ?? 0))) <= 1, `sample ${i}`);
});

test('ToneSource with no frequencies is silence; sums saturate instead of wrapping', () => {
  assert.deepEqual(new ToneSource([]).next(), new Int16Array(160));
  const loud = new ToneSource([1000, 1000, 1000], 20000).next(160);
  assert.equal(Math.max(...loud), 32767);
  assert.equal(Math.min(...loud), -32768);
  const out = new Int16Array(80);
  assert.equal(new ToneSource([1000]).nextInto(out), out);
});

test('beep has the right length and tone, and ramps in and out', () => {
  const b = beep(200, 1000, RATE);
  assert.equal(b.length, 1600);
  assert.equal(dominantTone(b, RATE, [700, 1000, 1300]), 1000);
  assert.ok(Math.abs(b[0] ?? 1) <= 1 && Math.abs(b[1599] ?? 1) <= 1);
  assert.ok(Math.max(...b) > 7900);
  assert.equal(beep(100, 440, 16000).length, 1600);
  assert.equal(beep().length, 1600);
});
