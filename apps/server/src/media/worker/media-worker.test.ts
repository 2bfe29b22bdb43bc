import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { pcmaDecode, pcmaEncode, pcmuDecode, pcmuEncode } from '../codec/g711.js';
import { toneLevels } from '../dsp/goertzel.js';
import { ToneSource } from '../dsp/tone.js';
import { DtmfReceiver, dtmfPackets } from '../rtp/rfc4733.js';
import { parseRtp, serializeRtp } from '../rtp/rtp-packet.js';
import { readWav } from '../wav.js';
import { MediaWorker } from './media-worker-client.js';
import type { WorkerEvent } from './rpc.js';

/** A phone or carrier as seen on the wire: sends a tone as RTP, keeps what it receives. */
class RtpPeer {
  readonly socket = dgram.createSocket('udp4');
  readonly heard: Int16Array[] = [];
  readonly digits: string[] = [];
  private readonly dtmf = new DtmfReceiver();
  private timer: NodeJS.Timeout | undefined;
  private seq = 1000;
  private ts = 5000;
  port = 0;

  constructor(
    private readonly payloadType: 0 | 8,
    private readonly frequency: number,
    private readonly packetSamples: 160 | 240,
  ) {}

  async bind(): Promise<void> {
    await new Promise<void>((r) => this.socket.bind(0, '127.0.0.1', () => r()));
    this.port = this.socket.address().port;
    this.socket.on('message', (msg) => {
      const p = parseRtp(msg);
      if (p.payloadType === 0) this.heard.push(pcmuDecode(p.payload));
      if (p.payloadType === 8) this.heard.push(pcmaDecode(p.payload));
      if (p.payloadType === 101) {
        const digit = this.dtmf.push(p.timestamp, p.payload);
        if (digit) this.digits.push(digit);
      }
    });
  }

  start(to: number): void {
    const tone = new ToneSource([this.frequency], 8000);
    this.timer = setInterval(() => {
      const pcm = tone.next(this.packetSamples);
      const payload = this.payloadType === 0 ? pcmuEncode(pcm) : pcmaEncode(pcm);
      this.send(to, { payloadType: this.payloadType, payload, marker: false });
      this.ts += this.packetSamples;
    }, this.packetSamples / 8);
  }

  send(to: number, p: { payloadType: number; payload: Uint8Array; marker: boolean; timestamp?: number }) {
    const buf = serializeRtp({
      marker: p.marker,
      payloadType: p.payloadType,
      sequenceNumber: this.seq++ & 0xffff,
      timestamp: p.timestamp ?? this.ts,
      ssrc: 4242,
      payload: p.payload,
    });
    this.socket.send(buf, to, '127.0.0.1');
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Levels of the candidate tones over what was heard since `from` (frame index). */
  levels(from: number, freqs: number[]) {
    const frames = this.heard.slice(from);
    const all = new Int16Array(frames.length * 160);
    for (const [i, f] of frames.entries()) all.set(f.subarray(0, 160), i * 160);
    return toneLevels(all, 8000, freqs);
  }

  close(): void {
    this.stop();
    this.socket.close();
  }
}

/** A deliberate listening window: the peers keep talking while the test waits this long. */
const listen = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until check() holds; a generous deadline, for two busy CPUs. */
async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A worker of the test's own, with a customer leg (PCMU, 20 ms packets) and an agent leg (PCMA,
 * 30 ms packets: re-framed by the jitter buffer) bridged, both peers talking; gone when the test ends.
 */
async function bridgedCall(t: TestContext) {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-media-'));
  const worker = new MediaWorker(0);
  const events: WorkerEvent[] = [];
  worker.on('event', (e) => events.push(e));
  const customer = new RtpPeer(0, 700, 160);
  const agent = new RtpPeer(8, 1000, 240);
  t.after(async () => {
    customer.close();
    agent.close();
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await customer.bind();
  await agent.bind();
  assert.equal((await worker.call('ping', {})).endpoints, 0);
  const a = await worker.call('createRtpEndpoint', { endpointId: 'cust' });
  const b = await worker.call('createRtpEndpoint', { endpointId: 'agent' });
  await worker.call('applyRemote', {
    endpointId: 'cust',
    address: '127.0.0.1',
    port: customer.port,
    payloadType: 0,
    dtmfPayloadType: 101,
  });
  await worker.call('applyRemote', {
    endpointId: 'agent',
    address: '127.0.0.1',
    port: agent.port,
    payloadType: 8,
  });
  await worker.call('createMixer', { mixerId: 'bridge' });
  await worker.call('join', { mixerId: 'bridge', endpointId: 'cust' });
  await worker.call('join', { mixerId: 'bridge', endpointId: 'agent' });
  customer.start(a.port);
  agent.start(b.port);
  // Sound flows both ways before the test starts to listen.
  await waitFor(() => customer.heard.length >= 10 && agent.heard.length >= 10, 'sound both ways');
  return { worker, events, customer, agent, customerPort: a.port, dir };
}

describe('media worker through its RPC, with Node RTP peers', () => {
  test('two legs bridged: each hears the other and not itself, and the recording holds both', async (t) => {
    const { worker, customer, agent, dir } = await bridgedCall(t);
    const wav = path.join(dir, 'call.wav');
    await worker.call('startRecording', { recordingId: 'r1', mixerId: 'bridge', path: wav, mode: 'stereo' });
    const fromC = customer.heard.length;
    const fromA = agent.heard.length;
    await listen(1000);
    const done = await worker.call('stopRecording', { recordingId: 'r1' });
    assert.ok(done.durationMs >= 800, `recorded ${done.durationMs} ms`);

    const c = customer.levels(fromC, [700, 1000]);
    const g = agent.levels(fromA, [700, 1000]);
    assert.ok(
      (c[1000] ?? 0) > 0.01 && (c[1000] ?? 0) > 20 * (c[700] ?? 0),
      `customer heard ${JSON.stringify(c)}`,
    );
    assert.ok(
      (g[700] ?? 0) > 0.01 && (g[700] ?? 0) > 20 * (g[1000] ?? 0),
      `agent heard ${JSON.stringify(g)}`,
    );

    const rec = await readWav(wav);
    assert.equal(rec.channels, 2);
    const left = new Int16Array(rec.samples.length / 2);
    const right = new Int16Array(rec.samples.length / 2);
    for (let i = 0; i < left.length; i++) {
      left[i] = rec.samples[2 * i] ?? 0;
      right[i] = rec.samples[2 * i + 1] ?? 0;
    }
    const l = toneLevels(left, 8000, [700, 1000]);
    const r = toneLevels(right, 8000, [700, 1000]);
    assert.ok((l[700] ?? 0) > 20 * (l[1000] ?? 0), `left (customer) ${JSON.stringify(l)}`);
    assert.ok((r[1000] ?? 0) > 20 * (r[700] ?? 0), `right (agent) ${JSON.stringify(r)}`);
  });

  test('a player adds a tone to one leg only', async (t) => {
    const { worker, events, customer, agent } = await bridgedCall(t);
    await worker.call('play', {
      playbackId: 'p1',
      endpointId: 'agent',
      source: { kind: 'tone', frequencies: [1300] },
    });
    const fromC = customer.heard.length;
    const fromA = agent.heard.length;
    await listen(500);
    await worker.call('stopPlayback', { playbackId: 'p1' });
    assert.ok((agent.levels(fromA, [1300])[1300] ?? 0) > 0.01, 'the agent hears the player');
    assert.ok((customer.levels(fromC, [1300])[1300] ?? 0) < 0.001, 'the customer does not');
    await waitFor(
      () => events.some((e) => e.event === 'playbackDone' && e.playbackId === 'p1'),
      'the playback reported done',
    );
    assert.deepEqual(
      events.flatMap((e) => (e.event === 'playbackDone' ? [[e.playbackId, e.reason]] : [])),
      [['p1', 'stopped']],
    );
  });

  test('a supervisor listens, then whispers to the agent; an announcement reaches all three', async (t) => {
    const { worker, events, customer, agent } = await bridgedCall(t);
    const supervisor = new RtpPeer(0, 1300, 160);
    t.after(() => supervisor.close());
    await supervisor.bind();
    const s = await worker.call('createRtpEndpoint', { endpointId: 'sup' });
    await worker.call('applyRemote', {
      endpointId: 'sup',
      address: '127.0.0.1',
      port: supervisor.port,
      payloadType: 0,
    });
    await assert.rejects(
      worker.call('join', { mixerId: 'bridge', endpointId: 'sup', hearing: 'whisper' }),
      { code: 'MEDIA_BAD_REQUEST' },
      'a whisper to nobody',
    );
    await worker.call('join', { mixerId: 'bridge', endpointId: 'sup', hearing: 'listen' });
    supervisor.start(s.port);
    await waitFor(() => supervisor.heard.length >= 10, 'sound to the supervisor');
    const tones = [700, 1000, 1300, 1600];
    let from = [customer.heard.length, agent.heard.length, supervisor.heard.length];
    await listen(500);
    const listening = [customer.levels(from[0] ?? 0, tones), agent.levels(from[1] ?? 0, tones)];
    const heard = supervisor.levels(from[2] ?? 0, tones);
    assert.ok(
      (heard[700] ?? 0) > 0.01 && (heard[1000] ?? 0) > 0.01,
      `supervisor heard ${JSON.stringify(heard)}`,
    );
    for (const l of listening)
      assert.ok((l[1300] ?? 0) < 0.001, `nobody hears a listener: ${JSON.stringify(l)}`);

    await worker.call('setHearing', {
      mixerId: 'bridge',
      endpointId: 'sup',
      hearing: 'whisper',
      whisperTo: 'agent',
    });
    from = [customer.heard.length, agent.heard.length];
    await listen(500);
    const c = customer.levels(from[0] ?? 0, tones);
    const g = agent.levels(from[1] ?? 0, tones);
    assert.ok((g[1300] ?? 0) > 0.01, `the agent hears the whisper: ${JSON.stringify(g)}`);
    assert.ok((c[1300] ?? 0) < 0.001, `the customer does not: ${JSON.stringify(c)}`);

    await worker.call('playToMixer', {
      playbackId: 'ann',
      mixerId: 'bridge',
      source: { kind: 'tone', frequencies: [1600] },
      loop: true,
    });
    from = [customer.heard.length, agent.heard.length, supervisor.heard.length];
    await listen(500);
    await worker.call('stopPlayback', { playbackId: 'ann' });
    const peers = [customer, agent, supervisor];
    for (const [i, peer] of peers.entries()) {
      const l = peer.levels(from[i] ?? 0, [1600]);
      assert.ok(
        (l[1600] ?? 0) > 0.01,
        `${['customer', 'agent', 'supervisor'][i]} hears it: ${JSON.stringify(l)}`,
      );
    }
    await waitFor(
      () => events.some((e) => e.event === 'playbackDone' && e.playbackId === 'ann'),
      'the announcement reported done',
    );
    assert.deepEqual(
      events.flatMap((e) => (e.event === 'playbackDone' ? [[e.playbackId, e.reason]] : [])),
      [['ann', 'stopped']],
    );
  });

  test('RFC 4733 digits arrive once each, however many packets carry them', async (t) => {
    const { events, customer, customerPort } = await bridgedCall(t);
    const digits = () =>
      events.flatMap((e) => (e.event === 'dtmf' && e.endpointId === 'cust' ? [e.digit] : []));
    let ts = 900_000;
    const press = (digit: string) => {
      for (const p of dtmfPackets(digit, { startTimestamp: ts })) {
        customer.send(customerPort, {
          payloadType: 101,
          payload: p.payload,
          marker: p.marker,
          timestamp: p.timestamp,
        });
      }
      ts += 2000;
    };
    for (const digit of ['1', '2', '1', '#']) press(digit);
    await waitFor(() => digits().length >= 4, 'four digits');
    // The barrier: one more digit, after every packet of the others; a repeat would come before it.
    press('9');
    await waitFor(() => digits().includes('9'), 'the last digit');
    assert.deepEqual(digits(), ['1', '2', '1', '#', '9']);
  });

  test('digits sent to a leg go out as RFC 4733 events, paced on the clock, once each', async (t) => {
    const { worker, customer } = await bridgedCall(t);
    await worker.call('sendDtmf', { endpointId: 'cust', digit: '7' });
    await worker.call('sendDtmf', { endpointId: 'cust', digit: '#' });
    await waitFor(() => customer.digits.length >= 2, 'two digits');
    // The barrier: a third digit goes out after both; a repeat of either would come before it.
    await worker.call('sendDtmf', { endpointId: 'cust', digit: '5' });
    await waitFor(() => customer.digits.includes('5'), 'the third digit');
    assert.deepEqual(customer.digits, ['7', '#', '5']);
  });

  test('a leg that stops sending is reported after about 2 s, and again when it comes back', async (t) => {
    const { worker, events, customer, customerPort } = await bridgedCall(t);
    customer.stop();
    const stopped = Date.now();
    await waitFor(
      () => events.some((e) => e.event === 'mediaTimeout' && e.endpointId === 'cust'),
      'mediaTimeout',
    );
    // Not before its 2 s; the upper bound is the deadline above, generous for a busy machine.
    const took = Date.now() - stopped;
    assert.ok(took >= 1900, `reported after ${took} ms`);
    assert.ok(
      !events.some((e) => e.event === 'mediaTimeout' && e.endpointId === 'agent'),
      'the agent still talks',
    );
    assert.equal((await worker.call('ping', {})).endpoints, 2, 'the leg is reported, not dropped');
    customer.start(customerPort);
    await waitFor(
      () => events.some((e) => e.event === 'mediaResumed' && e.endpointId === 'cust'),
      'mediaResumed',
    );
  });

  test('a worker that dies is reported with everything it owned', async (t) => {
    const { worker } = await bridgedCall(t);
    const exited = new Promise<{ owned: string[] }>((r) => worker.once('exit', r));
    worker.crash();
    const { owned } = await exited;
    assert.deepEqual(owned.sort(), ['agent', 'bridge', 'cust']);
    await assert.rejects(worker.call('ping', {}), { code: 'MEDIA_WORKER_GONE' });
  });
});

test('a worker whose server died while it was still starting (adopted before it looked) exits', async () => {
  // The server's pid reaches the worker from the server: one that is not its parent stands for a
  // server that died before the worker could read its own parent.
  const entry = new URL('./media-worker.ts', import.meta.url);
  const child = fork(entry, [], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'advanced',
    execArgv: process.execArgv,
    env: { ...process.env, PARLEY_SERVER_PID: '1' },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    assert.equal(await exited, 0, 'it shut down by itself (not killed after 30 s)');
  } finally {
    clearTimeout(timer);
  }
});
