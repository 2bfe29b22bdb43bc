import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ServerFrame } from '@parley/contract';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from './helpers.js';
import { until } from './toolbar.js';

/** Web Connect signalling from a client that is not a browser: bad input must fail cleanly. */
describe('Web Connect signalling (B3) with bad input', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ media: true });
  });
  after(async () => server.close());

  async function channel() {
    const c = await server.signIn('agent2');
    const frames: ServerFrame[] = [];
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/realtime`, {
      headers: { cookie: c.sessionCookie ?? '', origin: server.url },
    });
    socket.on('message', (d) => frames.push(JSON.parse(String(d)) as ServerFrame));
    await new Promise((r) => socket.on('open', r));
    socket.send(JSON.stringify({ type: 'hello' }));
    await until(() => frames.some((f) => f.type === 'snapshot'), 'snapshot');
    return { c, socket, frames };
  }

  test('an offer that is not SDP, or has no PCMU, is refused with VOICE_BAD_OFFER; voice is not connected', async () => {
    const { c, socket, frames } = await channel();
    socket.send(
      JSON.stringify({
        type: 'voice.offer',
        requestId: 'r1',
        sdp: 'v=0 this is not an offer',
        persistent: true,
      }),
    );
    const opus = [
      'v=0',
      'o=- 1 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'c=IN IP4 127.0.0.1',
      'a=rtpmap:111 opus/48000/2',
      'a=sendrecv',
      '',
    ].join('\r\n');
    socket.send(JSON.stringify({ type: 'voice.offer', requestId: 'r2', sdp: opus, persistent: true }));
    await until(() => frames.filter((f) => f.type === 'voice.failed').length === 2, 'two refusals', 15_000);
    const failed = frames.flatMap((f) => (f.type === 'voice.failed' ? [[f.requestId, f.code]] : []));
    assert.deepEqual(failed.sort(), [
      ['r1', 'VOICE_BAD_OFFER'],
      ['r2', 'VOICE_BAD_OFFER'],
    ]);
    // Voice went 'connecting' for each attempt; a failed first attempt ends with no voice, not a lost one.
    let voice = '';
    const deadline = Date.now() + 5000;
    while (voice !== 'none' && Date.now() < deadline) {
      voice = (await c.request<{ voice: string }>('GET', '/api/agent/state')).voice;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(voice, 'none');
    socket.close();
  });

  test('a voice frame with a missing or extra field is an invalid frame, and the channel stays up', async () => {
    const { socket, frames } = await channel();
    socket.send(JSON.stringify({ type: 'voice.offer', requestId: 'r3', sdp: 'x'.repeat(20) }));
    socket.send(JSON.stringify({ type: 'voice.hangup', now: true }));
    socket.send(JSON.stringify({ type: 'ping', t: 1 }));
    await until(() => frames.some((f) => f.type === 'pong'), 'pong');
    assert.equal(frames.filter((f) => f.type === 'error' && f.code === 'WS_INVALID_FRAME').length, 2);
    socket.close();
  });
});
