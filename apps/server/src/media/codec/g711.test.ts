import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dominantTone, goertzelPower } from '../dsp/goertzel.js';
import { sineFrame } from '../dsp/tone.js';
import { pcmaDecode, pcmaEncode, pcmuDecode, pcmuEncode } from './g711.js';

const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
const ramp = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);

test('μ-law matches G.711 reference points', () => {
  assert.deepEqual(
    [...pcmuDecode(Uint8Array.of(0xff, 0x7f, 0x00, 0x80, 0xfe, 0x7e))],
    [0, 0, -32124, 32124, 8, -8],
  );
  assert.deepEqual(
    [...pcmuEncode(Int16Array.of(0, -1, 32767, -32768, 8, 1000))],
    [0xff, 0x7e, 0x80, 0x00, 0xfe, 0xce],
  );
});

test('A-law matches G.711 reference points', () => {
  assert.deepEqual([...pcmaDecode(Uint8Array.of(0xd5, 0x55, 0xaa, 0x2a))], [8, -8, 32256, -32256]);
  assert.deepEqual(
    [...pcmaEncode(Int16Array.of(0, -1, 32767, -32768, 1000))],
    [0xd5, 0x55, 0xaa, 0x2a, 0xfa],
  );
});

test('decode then encode gives the same byte for every code', () => {
  // μ-law has two zeros (0x7f and 0xff): -0 encodes as +0.
  const mu = pcmuEncode(pcmuDecode(allBytes));
  for (let b = 0; b < 256; b++) assert.equal(mu[b], b === 0x7f ? 0xff : b, `μ-law 0x${b.toString(16)}`);
  assert.deepEqual(pcmaEncode(pcmaDecode(allBytes)), allBytes);
});

test('encoding is monotonic and the round-trip error stays within half a quantisation step', () => {
  for (const [name, enc, dec] of [
    ['μ-law', pcmuEncode, pcmuDecode],
    ['A-law', pcmaEncode, pcmaDecode],
  ] as const) {
    const out = dec(enc(ramp));
    let prev = -Infinity;
    for (let i = 0; i < ramp.length; i++) {
      const x = ramp[i] ?? 0;
      const y = out[i] ?? 0;
      assert.ok(y >= prev, `${name} not monotonic at ${x}`);
      prev = y;
      // Half a step of x's segment (the steps double per segment, each starting near 32 steps
      // from zero), plus μ-law's truncation of negatives and the clipping beyond the top code.
      const a = Math.abs(x);
      const bound =
        name === 'μ-law'
          ? (a + 132) / 32 + 4 + Math.max(0, a - 32124)
          : Math.max(8, a / 32 + 1) + Math.max(0, a - 32256 - 512);
      assert.ok(Math.abs(x - y) <= bound, `${name} error ${x} -> ${y}`);
    }
  }
});

test('a 1000 Hz sine survives both codecs with ~38 dB SNR and stays dominant', () => {
  const tone = sineFrame(1000, 16000, 8000, 0, 800);
  for (const out of [pcmuDecode(pcmuEncode(tone)), pcmaDecode(pcmaEncode(tone))]) {
    let signal = 0;
    let noise = 0;
    for (let i = 0; i < tone.length; i++) {
      const x = tone[i] ?? 0;
      signal += x * x;
      noise += (x - (out[i] ?? 0)) ** 2;
    }
    assert.ok(10 * Math.log10(signal / noise) > 30);
    assert.equal(dominantTone(out, 8000, [700, 1000, 1300]), 1000);
    assert.ok(Math.abs(goertzelPower(out, 8000, 1000) - (16000 / 32768) ** 2) < 0.01);
  }
});

test('encode handles subarrays and empty input', () => {
  const big = Int16Array.of(100, 0, -100, 0);
  assert.deepEqual(pcmuEncode(big.subarray(1, 3)), pcmuEncode(Int16Array.of(0, -100)));
  assert.equal(pcmaDecode(new Uint8Array(0)).length, 0);
});
