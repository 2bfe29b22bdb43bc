import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pcmuDecode, pcmuEncode } from '../codec/g711.js';
import { sineFrame } from '../dsp/tone.js';
import { createRtpEndpoint, type RtpEndpoint } from './rtp-endpoint.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Generous: two busy CPUs may take a while to deliver a packet on loopback. */
const DEADLINE_MS = 10_000;

async function pair(remoteAddress: string): Promise<[RtpEndpoint, RtpEndpoint]> {
  const a = await createRtpEndpoint('a', { address: '127.0.0.1' });
  const b = await createRtpEndpoint('b', { address: '127.0.0.1' });
  a.applyRemote({ address: remoteAddress, port: b.local.port, payloadType: 0 });
  b.applyRemote({ address: '127.0.0.1', port: a.local.port, payloadType: 0 });
  return [a, b];
}

/** What G.711 μ-law makes of a frame (the receiver hears this, not the original). */
const throughPcmu = (frame: Int16Array) => pcmuDecode(pcmuEncode(frame));

for (const address of ['127.0.0.1', 'localhost']) {
  test(`frames sent to ${address} arrive in order through the jitter buffer`, async () => {
    const [a, b] = await pair(address);
    try {
      const frames = [0, 1, 2, 3].map((k) => sineFrame(700, 8000, 8000, 160 * k, 160));
      const reused = new Int16Array(160);
      for (const f of frames) {
        reused.set(f);
        a.sendAudio(reused);
        reused.fill(1234); // the endpoint must not keep the caller's frame
      }
      // Arrived, then a quiet 200 ms (a listening window): the frames sent together are all in.
      const deadline = Date.now() + DEADLINE_MS;
      while (b.lastReceivedAt === undefined || Date.now() - b.lastReceivedAt < 200) {
        assert.ok(Date.now() < deadline, 'nothing arrived');
        await sleep(10);
      }
      const pulled = [0, 1, 2, 3].map(() => b.pullAudio().slice());
      assert.deepEqual(
        pulled,
        frames.map((f) => throughPcmu(f)),
      );
      assert.equal(b.badPackets, 0);
    } finally {
      await a.close();
      await b.close();
    }
  });
}
