import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sineFrame } from './dsp/tone.js';
import { JitterBuffer } from './jitter-buffer.js';

/** Sample i of a stream is i + 1 (never 0), so every sample's origin is visible. */
function ramp(start: number, length: number): Int16Array {
  return Int16Array.from({ length }, (_, i) => ((start + i) % 30000) + 1);
}

function isRamp(frame: Int16Array, start: number): boolean {
  return frame.every((v, i) => v === ((start + i) % 30000) + 1);
}

const silent = (f: Int16Array) => f.every((v) => v === 0);

test('empty buffer gives 160 samples of silence', () => {
  const jb = new JitterBuffer();
  const f = jb.pull();
  assert.equal(f.length, 160);
  assert.ok(silent(f));
});

test('30 ms packets come out as continuous 20 ms frames, none lost (3 packets = 4.5 frames)', () => {
  const jb = new JitterBuffer({ depthFrames: 3 });
  for (let k = 0; k < 3; k++) jb.push(k, 240 * k, ramp(240 * k, 240));
  const frames = [jb.pull(), jb.pull(), jb.pull(), jb.pull(), jb.pull()];
  for (let k = 0; k < 4; k++) assert.ok(isRamp(frames[k] ?? new Int16Array(), 160 * k), `frame ${k}`);
  const last = frames[4] ?? new Int16Array();
  assert.ok(isRamp(last.subarray(0, 80), 640) && silent(last.subarray(80)));
  assert.ok(silent(jb.pull()));
});

test('a sine sent as 30 ms packets on a real-time schedule plays out phase-continuous', () => {
  const jb = new JitterBuffer({ depthFrames: 3 });
  const out: Int16Array[] = [];
  let seq = 65500; // wraps during the test
  const ts0 = 2 ** 32 - 5000; // so does the timestamp
  // Events in ms: a packet every 30 ms, a pull every 20 ms (push first on ties), for 3 s.
  for (let t = 0; t <= 3000; t += 10) {
    if (t % 30 === 0) {
      const start = (t / 30) * 240;
      jb.push(seq++ & 0xffff, (ts0 + start) >>> 0, sineFrame(1000, 9000, 8000, start, 240));
    }
    if (t % 20 === 0) out.push(jb.pull());
  }
  const firstAudio = out.findIndex((f) => !silent(f));
  assert.ok(firstAudio >= 1 && firstAudio <= 3, `latency ${firstAudio} frames`);
  const played = out.slice(firstAudio, out.length - 1);
  const expected = sineFrame(1000, 9000, 8000, 0, played.length * 160);
  for (const [k, f] of played.entries())
    assert.deepEqual(f, expected.subarray(160 * k, 160 * (k + 1)), `frame ${k}`);
  assert.equal(jb.stats.missingSamples, 0);
  assert.equal(jb.stats.lost, 0);
});

test('reordering within the depth is undone', () => {
  const jb = new JitterBuffer({ depthFrames: 3 });
  for (const k of [1, 0, 3, 2, 4]) jb.push(k, 160 * k, ramp(160 * k, 160));
  for (let k = 0; k < 5; k++) assert.ok(isRamp(jb.pull(), 160 * k), `frame ${k}`);
});

test('duplicates are dropped, late packets are dropped, a gap is silence', () => {
  const jb = new JitterBuffer({ depthFrames: 2 });
  jb.push(0, 0, ramp(0, 160));
  jb.push(0, 0, ramp(0, 160));
  jb.push(1, 160, ramp(160, 160));
  jb.push(1, 160, ramp(160, 160));
  // seq 2 is lost
  jb.push(3, 480, ramp(480, 160));
  assert.ok(isRamp(jb.pull(), 0));
  jb.push(0, 0, ramp(0, 160)); // already played: late
  assert.ok(isRamp(jb.pull(), 160));
  assert.ok(silent(jb.pull()));
  jb.push(2, 320, ramp(320, 160)); // arrives after its turn
  assert.ok(isRamp(jb.pull(), 480));
  const s = jb.stats;
  assert.equal(s.duplicates, 2);
  assert.equal(s.late, 2);
  assert.equal(s.missingSamples, 160);
  assert.equal(s.lost, 1);
});

test('sequence and timestamp wrap-around keep order', () => {
  const jb = new JitterBuffer({ depthFrames: 3 });
  const base = 2 ** 32 - 320;
  const order = [1, 0, 3, 2, 4, 5];
  for (const k of order) jb.push((65534 + k) & 0xffff, (base + 160 * k) >>> 0, ramp(160 * k, 160));
  for (let k = 0; k < 6; k++) assert.ok(isRamp(jb.pull(), 160 * k), `frame ${k}`);
  assert.equal(jb.stats.lost, 0);
});

test('silence suppression: after a pause the stream resumes at its new timestamp', () => {
  const jb = new JitterBuffer({ depthFrames: 2 });
  for (let k = 0; k < 3; k++) jb.push(k, 160 * k, ramp(160 * k, 160));
  for (let k = 0; k < 3; k++) assert.ok(isRamp(jb.pull(), 160 * k));
  for (let i = 0; i < 50; i++) assert.ok(silent(jb.pull()));
  // 2 s later in sender time; its timestamp jumped by 16000 samples.
  jb.push(3, 16480, ramp(16480, 160));
  jb.push(4, 16640, ramp(16640, 160));
  assert.ok(isRamp(jb.pull(), 16480));
  assert.ok(isRamp(jb.pull(), 16640));
});

test('a lone short packet still plays after depthFrames pulls', () => {
  const jb = new JitterBuffer({ depthFrames: 3 });
  jb.push(0, 1000, ramp(0, 160));
  assert.ok(silent(jb.pull()));
  assert.ok(silent(jb.pull()));
  assert.ok(isRamp(jb.pull(), 0));
});

test('never holds more than maxFrames: a burst drops the oldest audio', () => {
  const jb = new JitterBuffer({ depthFrames: 3, maxFrames: 8 });
  for (let k = 0; k < 100; k++) jb.push(k, 160 * k, ramp(160 * k, 160));
  assert.ok(jb.bufferedSamples <= 8 * 160);
  assert.equal(jb.stats.overflowSamples, 92 * 160);
  for (let k = 92; k < 100; k++) assert.ok(isRamp(jb.pull(), 160 * k), `frame ${k}`);
  // A timestamp far in the future jumps there instead of buffering hours of silence.
  jb.push(100, 160 * 1_000_000, ramp(5, 160));
  assert.ok(jb.bufferedSamples <= 8 * 160);
});

test('a sender that restarts its timestamps is followed after a few late packets', () => {
  const jb = new JitterBuffer({ depthFrames: 1 });
  for (let k = 0; k < 20; k++) {
    jb.push(k, 100_000 + 160 * k, ramp(0, 160));
    jb.pull();
  }
  let heard = false;
  for (let k = 0; k < 20; k++) {
    jb.push(500 + k, 160 * k, ramp(160 * k, 160));
    if (isRamp(jb.pull(), 160 * k)) heard = true;
  }
  assert.ok(heard);
  assert.equal(jb.stats.resets, 1);
});

test('pullInto fills a caller buffer', () => {
  const jb = new JitterBuffer({ depthFrames: 1 });
  jb.push(0, 0, ramp(0, 160));
  const out = new Int16Array(160).fill(9);
  assert.equal(jb.pullInto(out), out);
  assert.ok(isRamp(out, 0));
  assert.ok(silent(jb.pullInto(out)));
});
