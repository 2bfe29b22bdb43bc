import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { sineFrame } from './dsp/tone.js';
import { parseWav, readWav, WavWriter } from './wav.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-wav-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('mono: streamed frames read back identical, header sizes right', async () => {
  const file = path.join(dir, 'mono.wav');
  const w = await WavWriter.open(file, { channels: 1 });
  const all = sineFrame(440, 12000, 8000, 0, 160 * 150); // 3 s: several internal chunks
  const reused = new Int16Array(160);
  for (let k = 0; k < 150; k++) {
    reused.set(all.subarray(160 * k, 160 * (k + 1)));
    w.write(reused); // the writer must copy: the buffer changes right after
  }
  const summary = await w.close();
  assert.deepEqual(summary, { path: file, samples: 24000, durationMs: 3000 });
  assert.equal(await w.close(), await w.close()); // idempotent
  const bytes = await readFile(file);
  assert.equal(bytes.length, 44 + 48000);
  assert.equal(bytes.toString('ascii', 0, 4), 'RIFF');
  assert.equal(bytes.readUInt32LE(4), 36 + 48000);
  assert.equal(bytes.readUInt32LE(40), 48000);
  assert.equal(bytes.readUInt16LE(22), 1);
  assert.equal(bytes.readUInt32LE(24), 8000);
  assert.equal(bytes.readUInt32LE(28), 16000);
  const back = await readWav(file);
  assert.equal(back.sampleRate, 8000);
  assert.equal(back.channels, 1);
  assert.deepEqual(back.samples, all);
  assert.throws(() => w.write(reused), /closed/);
});

test('stereo: interleaved frames, 16 kHz, durations per channel', async () => {
  const file = path.join(dir, 'stereo.wav');
  const w = await WavWriter.open(file, { channels: 2, sampleRate: 16000 });
  const frame = Int16Array.from({ length: 640 }, (_, i) => (i % 2 ? -i : i));
  w.write(frame);
  w.write(frame);
  assert.throws(() => w.write(new Int16Array(3)), RangeError);
  const summary = await w.close();
  assert.equal(summary.samples, 640);
  assert.equal(summary.durationMs, 40);
  const back = await readWav(file);
  assert.equal(back.channels, 2);
  assert.equal(back.sampleRate, 16000);
  assert.deepEqual(back.samples.subarray(0, 640), frame);
  assert.deepEqual(back.samples.subarray(640), frame);
  const bytes = await readFile(file);
  assert.equal(bytes.readUInt16LE(32), 4);
  assert.equal(bytes.readUInt32LE(28), 64000);
});

test('opening where no file can be created rejects', async () => {
  await assert.rejects(WavWriter.open(path.join(dir, 'missing', 'x.wav'), { channels: 1 }), /ENOENT/);
});

test('an empty recording is a valid file', async () => {
  const file = path.join(dir, 'empty.wav');
  const summary = await (await WavWriter.open(file, { channels: 1 })).close();
  assert.equal(summary.samples, 0);
  assert.equal((await readWav(file)).samples.length, 0);
});

/** A RIFF file assembled by hand: chunks in the given order. */
function riff(...chunks: [string, Buffer][]): Buffer {
  const parts = chunks.map(([id, body]) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'ascii');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body, Buffer.alloc(body.length & 1)]);
  });
  const body = Buffer.concat([Buffer.from('WAVE'), ...parts]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

function fmt(tag: number, channels: number, rate: number, bits: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(tag, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE((rate * channels * bits) / 8, 8);
  b.writeUInt16LE((channels * bits) / 8, 12);
  b.writeUInt16LE(bits, 14);
  return b;
}

test('reader skips LIST and odd-sized chunks, and reads an unfinished recording', () => {
  const pcm = Buffer.from(Int16Array.of(1, -2, 3, -4).buffer);
  const wav = parseWav(riff(['LIST', Buffer.from('INFOabc')], ['fmt ', fmt(1, 1, 8000, 16)], ['data', pcm]));
  assert.deepEqual([...wav.samples], [1, -2, 3, -4]);
  // Sizes never patched (the writer crashed): data length 0 means "to the end".
  const crashed = riff(['fmt ', fmt(1, 2, 8000, 16)], ['data', Buffer.alloc(0)]);
  const withTail = Buffer.concat([crashed, pcm, Buffer.alloc(2)]);
  assert.deepEqual([...parseWav(withTail).samples], [1, -2, 3, -4]);
});

test('reader rejects what it cannot play with a clear error', async () => {
  assert.throws(() => parseWav(Buffer.from('not a wav file at all')), /not a RIFF WAVE/);
  assert.throws(
    () => parseWav(riff(['fmt ', fmt(1, 1, 8000, 8)], ['data', Buffer.alloc(4)])),
    /only 16-bit PCM/,
  );
  assert.throws(() => parseWav(riff(['fmt ', fmt(7, 1, 8000, 8)], ['data', Buffer.alloc(4)])), /tag 7/);
  assert.throws(
    () => parseWav(riff(['fmt ', fmt(3, 1, 8000, 32)], ['data', Buffer.alloc(4)])),
    /only 16-bit PCM/,
  );
  assert.throws(() => parseWav(riff(['data', Buffer.alloc(4)])), /before fmt/);
  assert.throws(() => parseWav(riff(['fmt ', fmt(1, 1, 8000, 16)])), /no data chunk/);
  const file = path.join(dir, 'ulaw.wav');
  await writeFile(file, riff(['fmt ', fmt(7, 1, 8000, 8)], ['data', Buffer.alloc(4)]));
  await assert.rejects(
    readWav(file),
    (err: Error) => err.message.includes(file) && /16-bit PCM/.test(err.message),
  );
});

test('sox accepts the file', { skip: !existsSync('/usr/bin/soxi') && 'soxi not installed' }, async () => {
  const file = path.join(dir, 'sox.wav');
  const w = await WavWriter.open(file, { channels: 2 });
  for (let k = 0; k < 50; k++) w.write(new Int16Array(320).fill(k));
  await w.close();
  const run = promisify(execFile);
  const { stdout, stderr } = await run('/usr/bin/soxi', [file]);
  assert.equal(stderr, '');
  assert.match(stdout, /Channels\s+: 2/);
  assert.match(stdout, /Sample Rate\s+: 8000/);
  assert.match(stdout, /Precision\s+: 16-bit/);
  assert.match(stdout, /Duration\s+: 00:00:01.00 = 8000 samples/);
});
