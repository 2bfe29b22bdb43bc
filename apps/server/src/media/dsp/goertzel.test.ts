import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DtmfDetector, dominantTone, goertzelPower, toneLevels } from './goertzel.js';
import { sineFrame, ToneSource } from './tone.js';

const RATE = 8000;
const KEYS: Record<string, [number, number]> = {
  '1': [697, 1209],
  '5': [770, 1336],
  '9': [852, 1477],
  '0': [941, 1336],
  '#': [941, 1477],
  D: [941, 1633],
  A: [697, 1633],
};

/** Deterministic white noise (LCG) so the tests never flake. */
function noise(length: number, amplitude: number, seed = 1): Int16Array {
  const out = new Int16Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = Math.round(((s / 2 ** 32) * 2 - 1) * amplitude);
  }
  return out;
}

function dtmf(key: string, ms: number, amplitude = 6000): Int16Array {
  const pair = KEYS[key];
  assert.ok(pair);
  return new ToneSource(pair, amplitude).next((ms * RATE) / 1000);
}

function silence(ms: number): Int16Array {
  return new Int16Array((ms * RATE) / 1000);
}

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Feeds audio in 20 ms frames (or `frame` samples) and collects the digits. */
function detect(audio: Int16Array, frame = 160): string {
  const d = new DtmfDetector(RATE);
  let digits = '';
  for (let at = 0; at < audio.length; at += frame) digits += d.push(audio.subarray(at, at + frame)) ?? '';
  return digits;
}

test('power is normalised: full scale ≈ 1, amplitude² in general, silence 0', () => {
  assert.ok(Math.abs(goertzelPower(sineFrame(1000, 32767, RATE, 0, 160), RATE, 1000) - 1) < 0.01);
  assert.ok(Math.abs(goertzelPower(sineFrame(697, 3277, RATE, 0, 205), RATE, 697) - 0.01) < 0.001);
  const f32 = Float32Array.from(sineFrame(1300, 16384, RATE, 0, 400), (v) => v / 32768);
  assert.ok(Math.abs(goertzelPower(f32, RATE, 1300) - 0.25) < 0.01);
  assert.equal(goertzelPower(new Int16Array(160), RATE, 1000), 0);
  assert.equal(goertzelPower(new Int16Array(0), RATE, 1000), 0);
  // Another frequency is (nearly) invisible.
  assert.ok(goertzelPower(sineFrame(700, 32767, RATE, 0, 160), RATE, 1000) < 1e-6);
});

test('toneLevels and dominantTone pick the right tone and refuse ambiguity', () => {
  const both = new ToneSource([700, 1300], 8000).next(400);
  const levels = toneLevels(both, RATE, [700, 1000, 1300]);
  assert.ok((levels[700] ?? 0) > 0.05 && (levels[1300] ?? 0) > 0.05 && (levels[1000] ?? 1) < 0.001);
  assert.equal(dominantTone(both, RATE, [700, 1000, 1300]), undefined);
  assert.equal(dominantTone(sineFrame(1000, 8000, RATE, 0, 400), RATE, [700, 1000, 1300]), 1000);
  assert.equal(dominantTone(sineFrame(1000, 100, RATE, 0, 400), RATE, [700, 1000, 1300]), undefined);
  assert.equal(dominantTone(noise(400, 8000), RATE, [700, 1000, 1300]), undefined);
});

test('every DTMF key is detected once per press, at any frame size', () => {
  for (const key of Object.keys(KEYS)) {
    const audio = concat(silence(40), dtmf(key, 100), silence(60));
    assert.equal(detect(audio), key, `key ${key}`);
    assert.equal(detect(audio, 240), key, `key ${key} in 30 ms frames`);
    assert.equal(detect(audio, 37), key, `key ${key} in odd frames`);
  }
});

test('a sequence with repeated keys and 50 ms pauses', () => {
  const parts: Int16Array[] = [];
  for (const key of '1550#') parts.push(dtmf(key, 70), silence(50));
  assert.equal(detect(concat(...parts)), '1550#');
});

test('a long press is one digit; a short blip and single tones are none', () => {
  assert.equal(detect(concat(dtmf('9', 1000), silence(40))), '9');
  assert.equal(detect(concat(silence(20), dtmf('9', 20), silence(60))), '');
  assert.equal(detect(new ToneSource([697], 8000).next(1600)), '');
  assert.equal(detect(new ToneSource([1209], 8000).next(1600)), '');
  assert.equal(detect(new ToneSource([1000], 8000).next(1600)), '');
  assert.equal(detect(noise(8000, 10000)), '');
});

test('a 40 ms press counts and a 25 ms one does not, whatever the alignment', () => {
  for (let offset = 0; offset < 160; offset += 10) {
    const lead = new Int16Array(offset);
    assert.equal(detect(concat(lead, dtmf('5', 40), silence(60))), '5', `40 ms at ${offset}`);
    assert.equal(detect(concat(lead, dtmf('5', 25), silence(60))), '', `25 ms at ${offset}`);
  }
});

test('tolerates noise and allowed twist, rejects excessive twist', () => {
  const tone = dtmf('0', 100, 4000);
  const hiss = noise(tone.length, 1000); // about 17 dB below the key
  const noisy = tone.map((v, i) => v + (hiss[i] ?? 0));
  assert.equal(detect(concat(noisy, silence(40))), '0');
  const twisted = (rowAmp: number, colAmp: number) => {
    const row = new ToneSource([941], rowAmp).next(800);
    const col = new ToneSource([1336], colAmp).next(800);
    return concat(
      row.map((v, i) => v + (col[i] ?? 0)),
      silence(40),
    );
  };
  assert.equal(detect(twisted(6000, 6000 / 2)), '0', '6 dB normal twist');
  assert.equal(detect(twisted(6000 / 1.4, 6000)), '0', '3 dB reverse twist');
  assert.equal(detect(twisted(8000, 8000 / 4)), '', '12 dB normal twist');
  assert.equal(detect(twisted(8000 / 2.5, 8000)), '', '8 dB reverse twist');
});
