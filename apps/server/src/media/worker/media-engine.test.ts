import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Listeners, type MediaEndpoint } from '../endpoint.js';
import { readWav, WavWriter } from '../wav.js';
import { FRAME, MediaEngine } from './media-engine.js';
import type { WorkerEvent } from './rpc.js';

/** A leg driven by hand: say() delivers a frame as an endpoint would; sent keeps copies. */
class FakeEndpoint implements MediaEndpoint {
  readonly kind = 'webrtc' as const;
  readonly sent: Int16Array[] = [];
  readonly lastReceivedAt = Date.now();
  closed = false;
  private readonly audio = new Listeners<Int16Array>();

  constructor(readonly id: string) {}

  onAudio(listener: (frame: Int16Array) => void): () => void {
    return this.audio.add(listener);
  }
  onDtmf(): () => void {
    return () => {};
  }
  /** Copied: the engine reuses its frame buffers on the next tick. */
  sendAudio(frame: Int16Array): void {
    this.sent.push(frame.slice());
  }
  sendDtmf(): void {}
  async close(): Promise<void> {
    this.closed = true;
  }
  say(value: number): void {
    this.audio.emit(new Int16Array(FRAME).fill(value));
  }
}

const constant = (value: number, length = FRAME) => new Int16Array(length).fill(value);

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-engine-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setUp() {
  const events: WorkerEvent[] = [];
  const engine = new MediaEngine((e) => events.push(e));
  const a = new FakeEndpoint('a');
  const b = new FakeEndpoint('b');
  const c = new FakeEndpoint('c');
  for (const e of [a, b, c]) engine.addEndpoint(e);
  return { engine, events, a, b, c };
}

test('N-1 mix: each leg hears the others, saturated, tick after tick', () => {
  const { engine, a, b, c } = setUp();
  engine.createMixer('m');
  for (const id of ['a', 'b', 'c']) engine.join('m', id);
  a.say(1000);
  b.say(-3000);
  c.say(30000);
  engine.tick();
  assert.deepEqual(a.sent[0], constant(27000));
  assert.deepEqual(b.sent[0], constant(31000));
  assert.deepEqual(c.sent[0], constant(-2000));
  b.say(5);
  engine.tick(); // only b spoke: a and c hear b, b hears nobody
  assert.deepEqual(a.sent[1], constant(5));
  assert.deepEqual(b.sent[1], constant(0));
  assert.deepEqual(c.sent[1], constant(5));
  a.say(20000);
  c.say(20000);
  engine.tick();
  assert.deepEqual(b.sent[2], constant(32767), 'saturated');
  assert.deepEqual(a.sent[0], constant(27000), 'an earlier frame is not overwritten');
});

test('a leg outside any mixer hears silence; an inactive leg is neither heard nor sent to', () => {
  const { engine, a, b, c } = setUp();
  engine.createMixer('m');
  engine.join('m', 'a');
  engine.join('m', 'b');
  engine.setDirection('b', 'inactive');
  a.say(100);
  b.say(200);
  c.say(300);
  engine.tick();
  assert.deepEqual(a.sent[0], constant(0));
  assert.equal(b.sent.length, 0);
  assert.deepEqual(c.sent[0], constant(0));
});

test('stats count, per leg, the frames with sound taken from it: not silence, not ticks with nothing', () => {
  const { engine, a, b } = setUp();
  a.say(100);
  b.say(0);
  engine.tick();
  a.say(-1);
  engine.tick();
  engine.tick(); // nothing from anyone
  assert.deepEqual(engine.audioFrames, { a: 2, b: 0, c: 0 });
});

test('a file plays frame by frame, its last frame padded with silence, then ends (or loops)', async () => {
  const file = path.join(dir, 'short.wav');
  const w = await WavWriter.open(file, { channels: 1 });
  w.write(constant(500, FRAME + 40));
  await w.close();
  const { engine, events, a, b } = setUp();
  engine.createMixer('m');
  engine.join('m', 'a');
  engine.join('m', 'b');
  await engine.play('once', 'a', { kind: 'file', path: file }, false, false);
  b.say(-100);
  engine.tick();
  assert.deepEqual(a.sent[0], constant(400), 'the player is added to the mix');
  engine.tick();
  assert.deepEqual(
    a.sent[1],
    Int16Array.from({ length: FRAME }, (_, i) => (i < 40 ? 500 : 0)),
  );
  engine.tick();
  assert.deepEqual(a.sent[2], constant(0));
  assert.deepEqual(
    events.filter((e) => e.event === 'playbackDone'),
    [{ event: 'playbackDone', playbackId: 'once', reason: 'finished' }],
  );
  await engine.play('loop', 'b', { kind: 'file', path: file }, true, false);
  for (let k = 0; k < 3; k++) engine.tick();
  assert.deepEqual(b.sent.slice(-3), [
    constant(500),
    Int16Array.from({ length: FRAME }, (_, i) => (i < 40 ? 500 : 0)),
    constant(500),
  ]);
});

test('a tone player next to the mix, on one leg only', async () => {
  const { engine, a, b } = setUp();
  engine.createMixer('m');
  engine.join('m', 'a');
  engine.join('m', 'b');
  await engine.play('t', 'a', { kind: 'tone', frequencies: [1030], amplitude: 8000 }, true, false);
  engine.tick();
  engine.tick();
  assert.ok(a.sent.every((f) => f.some((v) => v !== 0)));
  assert.notDeepEqual(a.sent[0], a.sent[1], 'the tone moves on each frame');
  assert.ok(b.sent.every((f) => f.every((v) => v === 0)));
});

test('a leg destroyed while a prompt plays to it ends that playback (no one waits for it)', async () => {
  const { engine, events } = setUp();
  await engine.play('prompt', 'a', { kind: 'tone', frequencies: [440] }, true, false);
  engine.tick();
  await engine.destroy('a');
  assert.deepEqual(
    events.filter((e) => e.event === 'playbackDone'),
    [{ event: 'playbackDone', playbackId: 'prompt', reason: 'stopped' }],
  );
});

test('recordings: stereo puts the left leg left and the others right; mixed holds everyone; pause writes silence', async () => {
  const { engine, a, b, c } = setUp();
  engine.createMixer('m');
  for (const id of ['a', 'b', 'c']) engine.join('m', id);
  const stereo = path.join(dir, 'stereo.wav');
  const mixed = path.join(dir, 'mixed.wav');
  await engine.startRecording('s', 'm', stereo, 'stereo');
  await engine.startRecording('x', 'm', mixed, 'mixed');
  for (let k = 0; k < 3; k++) {
    if (k === 2) {
      engine.setRecordingPaused('s', true);
      engine.setRecordingPaused('x', true);
    }
    a.say(100 + k);
    b.say(20000);
    c.say(20000);
    engine.tick();
  }
  await engine.stopRecording('s');
  await engine.stopRecording('x');
  const s = await readWav(stereo);
  assert.equal(s.channels, 2);
  assert.equal(s.samples.length, 3 * 2 * FRAME);
  for (let k = 0; k < 3; k++) {
    const frame = s.samples.subarray(k * 2 * FRAME, (k + 1) * 2 * FRAME);
    const left = frame.filter((_, i) => i % 2 === 0);
    const right = frame.filter((_, i) => i % 2 === 1);
    assert.deepEqual(left, constant(k === 2 ? 0 : 100 + k), `left, frame ${k}`);
    assert.deepEqual(right, constant(k === 2 ? 0 : 32767), `right (saturated), frame ${k}`);
  }
  const m = await readWav(mixed);
  assert.deepEqual(m.samples, Int16Array.from([...constant(32767), ...constant(32767), ...constant(0)]));
});

test('a disk that fills mid-call ends the recording, reported, while the call goes on', async () => {
  const { engine, events, a, b } = setUp();
  engine.createMixer('m');
  engine.join('m', 'a');
  engine.join('m', 'b');
  // /dev/full opens like any file and answers every write with ENOSPC.
  await engine.startRecording('r', 'm', '/dev/full', 'stereo');
  for (let k = 0; k < 500 && !events.some((e) => e.event === 'recordingFailed'); k++) {
    a.say(1000);
    engine.tick();
    await new Promise((r) => setImmediate(r)); // the file's write errors arrive as I/O events
  }
  const failed = events.find((e) => e.event === 'recordingFailed');
  assert.ok(failed?.event === 'recordingFailed', 'the failure is reported');
  assert.equal(failed.recordingId, 'r');
  assert.match(failed.message, /ENOSPC/);
  const heard = b.sent.length;
  a.say(1000);
  engine.tick();
  assert.deepEqual(b.sent.slice(heard), [constant(1000)], 'b still hears a');
  await assert.rejects(engine.stopRecording('r'), { code: 'MEDIA_NOT_FOUND' });
});

test('a stall of the worker itself is not blamed on its legs; a leg silent past the window after it is', () => {
  let now = 1_000_000;
  const events: WorkerEvent[] = [];
  const engine = new MediaEngine(
    (e) => events.push(e),
    () => now,
    2000,
  );
  const leg = new (class extends FakeEndpoint {
    override readonly lastReceivedAt = now;
  })('caller');
  engine.addEndpoint(leg);
  for (let i = 0; i < 50; i++) {
    now += 20;
    engine.tick(); // 1 s of ticks, the last packet at the start
  }
  assert.deepEqual(events, [{ event: 'mediaStarted', endpointId: 'caller' }], 'its first packet, once');
  events.length = 0;
  now += 3000; // the process stood still for 3 s: the caller's packets wait in the socket
  for (let i = 0; i < 50; i++) engine.tick(); // the catch-up burst runs at once
  assert.equal(events.length, 0, 'no mediaTimeout for the worker’s own stall');
  for (let i = 0; i < 120; i++) {
    now += 20;
    engine.tick(); // and still nothing arrives: 2.4 s more
  }
  assert.deepEqual(
    events.map((e) => e.event),
    ['mediaTimeout'],
    'silence after the stall counts once the window has passed',
  );
});
