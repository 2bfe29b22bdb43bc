import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('media worker through its RPC, with Node RTP peers', () => {
  let worker: MediaWorker;
  const events: WorkerEvent[] = [];
  const customer = new RtpPeer(0, 700, 160); // PCMU, 20 ms packets
  const agent = new RtpPeer(8, 1000, 240); // PCMA, 30 ms packets: re-framed by the jitter buffer
  let dir: string;
  let customerPort = 0;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'parley-media-'));
    worker = new MediaWorker(0);
    worker.on('event', (e) => events.push(e));
    await customer.bind();
    await agent.bind();
  });
  after(async () => {
    customer.close();
    agent.close();
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('two legs bridged: each hears the other and not itself, and the recording holds both', async () => {
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
    customerPort = a.port;
    customer.start(a.port);
    agent.start(b.port);
    await sleep(300);
    const wav = path.join(dir, 'call.wav');
    await worker.call('startRecording', { recordingId: 'r1', mixerId: 'bridge', path: wav, mode: 'stereo' });
    const fromC = customer.heard.length;
    const fromA = agent.heard.length;
    await sleep(1000);
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

  test('a player adds a tone to one leg only', async () => {
    await worker.call('play', {
      playbackId: 'p1',
      endpointId: 'agent',
      source: { kind: 'tone', frequencies: [1300] },
    });
    const fromC = customer.heard.length;
    const fromA = agent.heard.length;
    await sleep(500);
    await worker.call('stopPlayback', { playbackId: 'p1' });
    assert.ok((agent.levels(fromA, [1300])[1300] ?? 0) > 0.01, 'the agent hears the player');
    assert.ok((customer.levels(fromC, [1300])[1300] ?? 0) < 0.001, 'the customer does not');
    await sleep(50);
    assert.ok(
      events.some((e) => e.event === 'playbackDone' && e.playbackId === 'p1' && e.reason === 'stopped'),
    );
  });

  test('RFC 4733 digits arrive once each, however many packets carry them', async () => {
    let ts = 900_000;
    for (const digit of ['1', '2', '1', '#']) {
      for (const p of dtmfPackets(digit, { startTimestamp: ts })) {
        customer.send(customerPort, {
          payloadType: 101,
          payload: p.payload,
          marker: p.marker,
          timestamp: p.timestamp,
        });
      }
      ts += 2000;
    }
    await sleep(200);
    const digits = events.flatMap((e) => (e.event === 'dtmf' && e.endpointId === 'cust' ? [e.digit] : []));
    assert.deepEqual(digits, ['1', '2', '1', '#']);
  });

  test('digits sent to a leg go out as RFC 4733 events, paced on the clock, once each', async () => {
    await worker.call('sendDtmf', { endpointId: 'cust', digit: '7' });
    await worker.call('sendDtmf', { endpointId: 'cust', digit: '#' });
    await sleep(600);
    assert.deepEqual(customer.digits, ['7', '#']);
  });

  test('a leg that stops sending is reported within about 2 s, and again when it comes back', async () => {
    customer.stop();
    const stopped = Date.now();
    while (!events.some((e) => e.event === 'mediaTimeout' && e.endpointId === 'cust')) {
      assert.ok(Date.now() - stopped < 4000, 'no mediaTimeout');
      await sleep(50);
    }
    const took = Date.now() - stopped;
    assert.ok(took >= 1900 && took < 3500, `reported after ${took} ms`);
    assert.equal((await worker.call('ping', {})).endpoints, 2, 'the leg is reported, not dropped');
    customer.start(customerPort);
    while (!events.some((e) => e.event === 'mediaResumed' && e.endpointId === 'cust')) {
      assert.ok(Date.now() - stopped < 8000, 'no mediaResumed');
      await sleep(50);
    }
  });

  test('a worker that dies is reported with everything it owned', async () => {
    const exited = new Promise<{ owned: string[] }>((r) => worker.once('exit', r));
    worker.crash();
    const { owned } = await exited;
    assert.deepEqual(owned.sort(), ['agent', 'bridge', 'cust']);
    await assert.rejects(worker.call('ping', {}), { code: 'MEDIA_WORKER_GONE' });
  });
});
