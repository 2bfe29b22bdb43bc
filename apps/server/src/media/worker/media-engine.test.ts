import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Listeners, type MediaEndpoint } from '../endpoint.js';
import { readWav, WavWriter } from '../wav.js';
import { FRAME, MediaEngine } from './media-engine.js';
import type { PlaySource, WorkerEvent } from './rpc.js';

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

/** a and b talk (full), c and d join with the given rules; each leg says its own constant. */
function conference() {
  const { engine, events, a, b, c } = setUp();
  const d = new FakeEndpoint('d');
  engine.addEndpoint(d);
  engine.createMixer('m');
  const say = () => {
    a.say(1000);
    b.say(2000);
    c.say(4000);
    d.say(8000);
  };
  const last = (e: FakeEndpoint) => e.sent.at(-1);
  return { engine, events, a, b, c, d, say, last };
}

/** A stereo WAV's frame k as [left, right]. */
function stereoFrame(samples: Int16Array, k: number): [Int16Array, Int16Array] {
  const frame = samples.subarray(k * 2 * FRAME, (k + 1) * 2 * FRAME);
  return [frame.filter((_, i) => i % 2 === 0), frame.filter((_, i) => i % 2 === 1)];
}

test('a listener hears the full members; nobody hears it and the recordings leave it out', async () => {
  const { engine, a, b, c, say, last } = conference();
  engine.join('m', 'c', 'listen'); // first in: still not the stereo recording's left leg
  engine.join('m', 'a');
  engine.join('m', 'b');
  const stereo = path.join(dir, 'listen-stereo.wav');
  const mixed = path.join(dir, 'listen-mixed.wav');
  await engine.startRecording('s', 'm', stereo, 'stereo');
  await engine.startRecording('x', 'm', mixed, 'mixed');
  say();
  engine.tick();
  assert.deepEqual(last(a), constant(2000), 'a hears b, not the listener');
  assert.deepEqual(last(b), constant(1000), 'b hears a, not the listener');
  assert.deepEqual(last(c), constant(3000), 'the listener hears a and b');
  await engine.stopRecording('s');
  await engine.stopRecording('x');
  assert.deepEqual(stereoFrame((await readWav(stereo)).samples, 0), [constant(1000), constant(2000)]);
  assert.deepEqual((await readWav(mixed)).samples, constant(3000));
});

test('a whisperer is heard by its one member only, and hears the full members like a listener', async () => {
  const { engine, a, b, c, d, say, last } = conference();
  engine.join('m', 'a');
  engine.join('m', 'b');
  engine.join('m', 'c', 'whisper', 'b');
  engine.join('m', 'd', 'listen');
  const mixed = path.join(dir, 'whisper-mixed.wav');
  await engine.startRecording('x', 'm', mixed, 'mixed');
  say();
  engine.tick();
  assert.deepEqual(last(a), constant(2000), 'the customer does not hear the whisper');
  assert.deepEqual(last(b), constant(1000 + 4000), 'the agent hears the customer and the whisper');
  assert.deepEqual(last(c), constant(3000), 'the whisperer hears a and b');
  assert.deepEqual(last(d), constant(3000), 'a listener does not hear the whisper either');
  await engine.stopRecording('x');
  assert.deepEqual((await readWav(mixed)).samples, constant(3000), 'the whisper is not recorded');
});

test('setHearing moves a member from listen to whisper to full (barge), from the next tick', async () => {
  const { engine, a, b, c, say, last } = conference();
  engine.join('m', 'a');
  engine.join('m', 'b');
  engine.join('m', 'c', 'listen');
  const mixed = path.join(dir, 'barge-mixed.wav');
  await engine.startRecording('x', 'm', mixed, 'mixed');
  say();
  engine.tick();
  assert.deepEqual([last(a), last(b), last(c)], [constant(2000), constant(1000), constant(3000)]);
  engine.setHearing('m', 'c', 'whisper', 'a');
  say();
  engine.tick();
  assert.deepEqual([last(a), last(b), last(c)], [constant(6000), constant(1000), constant(3000)]);
  engine.setHearing('m', 'c', 'full');
  say();
  engine.tick();
  assert.deepEqual([last(a), last(b), last(c)], [constant(6000), constant(5000), constant(3000)]);
  await engine.stopRecording('x');
  const m = await readWav(mixed);
  assert.deepEqual(m.samples, Int16Array.from([...constant(3000), ...constant(3000), ...constant(7000)]));
});

test('when the whisper’s member leaves, the whisperer is heard by nobody, even when it comes back', () => {
  const { engine, a, b, c, say, last } = conference();
  engine.join('m', 'a');
  engine.join('m', 'b');
  engine.join('m', 'c', 'whisper', 'b');
  engine.leave('m', 'b');
  say();
  engine.tick();
  assert.deepEqual([last(a), last(b), last(c)], [constant(0), constant(0), constant(1000)]);
  engine.join('m', 'b');
  say();
  engine.tick();
  assert.deepEqual([last(a), last(b), last(c)], [constant(2000), constant(1000), constant(3000)]);
  engine.setHearing('m', 'c', 'whisper', 'b'); // the call layer says so again
  say();
  engine.tick();
  assert.deepEqual(last(b), constant(5000));
});

test('hearing rules that cannot hold are refused and change nothing', async () => {
  const { engine, a, say, last } = conference();
  engine.createMixer('other');
  engine.join('m', 'a');
  engine.join('m', 'b');
  const bad = { code: 'MEDIA_BAD_REQUEST' };
  assert.throws(() => engine.join('m', 'c', 'whisper'), bad);
  assert.throws(() => engine.join('m', 'c', 'whisper', 'd'), bad, 'd is not in the mixer');
  assert.throws(() => engine.join('m', 'c', 'whisper', 'c'), bad);
  assert.throws(() => engine.join('m', 'c', 'listen', 'a'), bad);
  assert.throws(() => engine.join('m', 'c', 'full', 'a'), bad);
  assert.throws(() => engine.join('m', 'c', 'mute' as 'full'), bad);
  assert.throws(() => engine.join('other', 'a', 'whisper', 'b'), bad, 'b is in m, not in other');
  assert.throws(() => engine.setHearing('m', 'a', 'whisper', 'a'), bad);
  assert.throws(() => engine.setHearing('m', 'a', 'listen', 'b'), bad);
  assert.throws(() => engine.setHearing('other', 'a', 'listen'), bad, 'a is not in other');
  assert.throws(() => engine.setHearing('nope', 'a', 'listen'), { code: 'MEDIA_NOT_FOUND' });
  say();
  engine.tick();
  assert.deepEqual(last(a), constant(2000), 'a is still a full member of m');
});

test('a mixer playback is heard by every member whatever its rule, and recorded; it finishes', async () => {
  const file = path.join(dir, 'announce.wav');
  const w = await WavWriter.open(file, { channels: 1 });
  w.write(constant(500, FRAME + 40));
  await w.close();
  const { engine, events, a, b, c, d, say } = conference();
  engine.join('m', 'a');
  engine.join('m', 'b');
  engine.join('m', 'c', 'listen');
  engine.join('m', 'd', 'whisper', 'a');
  const stereo = path.join(dir, 'announce-stereo.wav');
  const mixed = path.join(dir, 'announce-mixed.wav');
  await engine.startRecording('s', 'm', stereo, 'stereo');
  await engine.startRecording('x', 'm', mixed, 'mixed');
  await engine.playToMixer('ann', 'm', { kind: 'file', path: file }, false);
  const tail = (v: number) => Int16Array.from({ length: FRAME }, (_, i) => (i < 40 ? v + 500 : v));
  for (let k = 0; k < 3; k++) {
    say();
    engine.tick();
  }
  assert.deepEqual(a.sent, [constant(10500), tail(10000), constant(10000)], 'b + whisper + playback');
  assert.deepEqual(b.sent, [constant(1500), tail(1000), constant(1000)]);
  assert.deepEqual(c.sent, [constant(3500), tail(3000), constant(3000)], 'the listener');
  assert.deepEqual(d.sent, [constant(3500), tail(3000), constant(3000)], 'the whisperer');
  assert.deepEqual(
    events.filter((e) => e.event === 'playbackDone'),
    [{ event: 'playbackDone', playbackId: 'ann', reason: 'finished' }],
  );
  await engine.stopRecording('s');
  await engine.stopRecording('x');
  const s = (await readWav(stereo)).samples;
  assert.deepEqual(stereoFrame(s, 0), [constant(1000), constant(2500)], 'the playback on the right');
  assert.deepEqual(stereoFrame(s, 1), [constant(1000), tail(2000)]);
  assert.deepEqual(stereoFrame(s, 2), [constant(1000), constant(2000)]);
  assert.deepEqual(
    (await readWav(mixed)).samples,
    Int16Array.from([...constant(3500), ...tail(3000), ...constant(3000)]),
  );
});

test('a mixer playback is stopped by stopPlayback, by a second one, and by the mixer’s end', async () => {
  const { engine, events, a, b } = conference();
  engine.join('m', 'a');
  engine.join('m', 'b');
  const tone: PlaySource = { kind: 'tone', frequencies: [440] };
  const done = () => events.flatMap((e) => (e.event === 'playbackDone' ? [[e.playbackId, e.reason]] : []));
  await engine.playToMixer('one', 'm', tone, true);
  engine.tick();
  assert.ok(a.sent[0]?.some((v) => v !== 0) && b.sent[0]?.some((v) => v !== 0), 'both hear it');
  await engine.playToMixer('two', 'm', tone, true);
  assert.deepEqual(done(), [['one', 'stopped']]);
  engine.stopPlayback('two');
  engine.tick();
  assert.deepEqual(a.sent[1], constant(0), 'stopped: heard no more');
  await engine.playToMixer('three', 'm', tone, true);
  await engine.destroy('m');
  assert.deepEqual(done(), [
    ['one', 'stopped'],
    ['two', 'stopped'],
    ['three', 'stopped'],
  ]);
  await assert.rejects(engine.playToMixer('four', 'm', tone, false), { code: 'MEDIA_NOT_FOUND' });
});

test('a mixer playback of a file that is not 8 kHz mono is refused', async () => {
  const file = path.join(dir, 'stereo-prompt.wav');
  const w = await WavWriter.open(file, { channels: 2 });
  w.write(constant(1, 2 * FRAME));
  await w.close();
  const { engine } = conference();
  await assert.rejects(engine.playToMixer('p', 'm', { kind: 'file', path: file }, false), {
    code: 'MEDIA_BAD_REQUEST',
  });
});

test('a mixer destroyed while its announcement file is read gets no playback that would never end', async () => {
  const file = path.join(dir, 'late.wav');
  const w = await WavWriter.open(file, { channels: 1 });
  w.write(constant(500));
  await w.close();
  const { engine, events } = conference();
  const playing = engine.playToMixer('late', 'm', { kind: 'file', path: file }, false);
  await engine.destroy('m');
  await assert.rejects(playing, { code: 'MEDIA_NOT_FOUND' });
  assert.deepEqual(events, []);
});
