import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pcmuDecode, pcmuEncode } from './codec/g711.js';
import { dominantTone, goertzelPower } from './dsp/goertzel.js';
import { ToneSource } from './dsp/tone.js';
import { Mixer, mixInto, saturateInto } from './mixer.js';

const TONES = [700, 1000, 1300];

function frameOf(value: number): Int16Array {
  return new Int16Array(160).fill(value);
}

test('each participant hears everyone but itself (checked by tone)', () => {
  const m = new Mixer();
  const sources = {
    a: new ToneSource([700], 6000),
    b: new ToneSource([1000], 6000),
    c: new ToneSource([1300], 6000),
  };
  for (const id of Object.keys(sources)) m.addParticipant(id);
  const heard = new Map<string, Int16Array[]>();
  for (let tick = 0; tick < 10; tick++) {
    for (const [id, src] of Object.entries(sources)) m.push(id, pcmuDecode(pcmuEncode(src.next())));
    for (const [id, frame] of m.mix()) heard.set(id, [...(heard.get(id) ?? []), frame]);
  }
  const level = (id: string, f: number) => {
    const frames = heard.get(id) ?? [];
    const all = new Int16Array(frames.length * 160);
    for (const [i, fr] of frames.entries()) all.set(fr, i * 160);
    return goertzelPower(all, 8000, f);
  };
  const own: Record<string, number> = { a: 700, b: 1000, c: 1300 };
  for (const id of ['a', 'b', 'c']) {
    for (const f of TONES) {
      if (f === own[id]) assert.ok(level(id, f) < 1e-4, `${id} hears itself at ${f}`);
      else assert.ok(level(id, f) > 0.02, `${id} misses ${f}`);
    }
  }
});

test('two parties: A hears only B, B only A', () => {
  const m = new Mixer();
  m.addParticipant('a');
  m.addParticipant('b');
  m.push('a', new ToneSource([700]).next());
  m.push('b', new ToneSource([1000]).next());
  const out = m.mix();
  assert.equal(dominantTone(out.get('a') ?? new Int16Array(), 8000, TONES), 1000);
  assert.equal(dominantTone(out.get('b') ?? new Int16Array(), 8000, TONES), 700);
});

test('exact sums, saturation both ways, silence for the absent', () => {
  const m = new Mixer();
  for (const id of ['a', 'b', 'c', 'd']) m.addParticipant(id);
  m.push('a', frameOf(20000));
  m.push('b', frameOf(20000));
  m.push('c', frameOf(-5));
  // d sends nothing this tick.
  const all = m.mixAll();
  const out = m.mix();
  assert.deepEqual(out.get('a'), frameOf(19995));
  assert.deepEqual(out.get('c'), frameOf(32767));
  assert.deepEqual(out.get('d'), frameOf(32767));
  assert.deepEqual(all, frameOf(32767));
  // The tick is over: nobody sent, everybody hears silence.
  for (const frame of m.mix().values()) assert.deepEqual(frame, frameOf(0));
  m.push('a', frameOf(-30000));
  m.push('b', frameOf(-30000));
  assert.deepEqual(m.mix().get('c'), frameOf(-32768));
});

test('frames are copied, replaced within a tick, and checked for length', () => {
  const m = new Mixer();
  m.addParticipant('a');
  m.addParticipant('b');
  const buf = frameOf(100);
  m.push('a', buf);
  buf.fill(7); // caller reuses its buffer
  assert.deepEqual(m.mixAll(), frameOf(100));
  m.push('a', frameOf(300));
  assert.deepEqual(m.mixAll(), frameOf(300));
  assert.deepEqual(m.mix().get('b'), frameOf(300));
  assert.throws(() => m.push('a', new Int16Array(240)), RangeError);
  m.push('ghost', frameOf(1)); // left already: ignored
  assert.deepEqual(m.mixAll(), frameOf(0));
});

test('joining and leaving between ticks', () => {
  const m = new Mixer();
  m.addParticipant('a');
  m.addParticipant('b');
  m.push('a', frameOf(10));
  m.push('b', frameOf(20));
  assert.deepEqual(m.mixAll(), frameOf(30));
  m.removeParticipant('b');
  assert.deepEqual(m.mixAll(), frameOf(10));
  assert.deepEqual([...m.mix().keys()], ['a']);
  assert.deepEqual(m.participants, ['a']);
  m.addParticipant('a'); // idempotent
  assert.equal(m.mix().size, 1);
});

test('helpers: mixInto accumulates in 32 bits, saturateInto subtracts and clamps', () => {
  const acc = new Int32Array(3);
  mixInto(acc, Int16Array.of(32767, -32768, 5));
  mixInto(acc, Int16Array.of(32767, -32768, 5));
  assert.deepEqual([...acc], [65534, -65536, 10]);
  assert.deepEqual([...saturateInto(new Int16Array(3), acc)], [32767, -32768, 10]);
  assert.deepEqual(
    [...saturateInto(new Int16Array(3), acc, Int16Array.of(32767, -32768, 5))],
    [32767, -32768, 5],
  );
});

test('the allocation-free path gives the same results', () => {
  const m = new Mixer();
  for (const id of ['a', 'b', 'c']) m.addParticipant(id);
  m.push('a', frameOf(1));
  m.push('b', frameOf(10));
  m.push('c', frameOf(100));
  const out = new Int16Array(160);
  assert.equal(m.heardBy('a', out), out);
  assert.deepEqual(out, frameOf(110));
  assert.deepEqual(m.heardBy('c', out), frameOf(11));
  assert.deepEqual(m.heardBy('stranger', out), frameOf(111));
  assert.deepEqual(m.mixAllInto(out), frameOf(111));
  m.clear();
  assert.deepEqual(m.heardBy('a', out), frameOf(0));
});
