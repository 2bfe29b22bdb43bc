import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import type { PhoneServerFrame } from '@parley/contract';
import { WebSocket } from 'ws';
import { addCareQueueNumber, startTestServer, type TestServer } from './helpers.js';
import { until } from './toolbar.js';
import { WebPeer } from './web-peer.js';

/** A number that takes web calls straight into the Customer Care queue (no menu). */
const QUEUE_NUMBER = '+61290001111';

/** The customer web phone's socket as a page (or anything else) would open it. */
function openPhone(server: TestServer) {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/public/phone`);
  const frames: PhoneServerFrame[] = [];
  socket.on('message', (d) => frames.push(JSON.parse(String(d)) as PhoneServerFrame));
  const closed = new Promise<number>((resolve, reject) => {
    socket.once('close', (code) => resolve(code));
    socket.once('error', reject);
  });
  const opened = new Promise((resolve) => socket.once('open', resolve));
  /** The close code, if the server closes within 3 s (a socket left open is the fault). */
  const closedSoon = () =>
    Promise.race([
      closed,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the socket is still open 3 s later')), 3000).unref(),
      ),
    ]);
  return { socket, frames, opened, closedSoon };
}

describe('customer web phone: a frame the phone does not know ends the call and closes the socket', () => {
  let server: TestServer;
  let admin: HttpClient;

  before(async () => {
    server = await startTestServer({ media: true });
    admin = await server.signIn('admin');
    await addCareQueueNumber(server, QUEUE_NUMBER);
  });
  after(async () => server?.close());

  const bad: [string, string | Buffer, number][] = [
    ['not JSON', '{"type": "call",', 1008],
    ['an unknown frame', JSON.stringify({ type: 'hold' }), 1008],
    ['a call frame without its offer', JSON.stringify({ type: 'call', number: QUEUE_NUMBER }), 1008],
    ['a frame with an extra field', JSON.stringify({ type: 'hangup', now: true }), 1008],
    ['a binary frame', Buffer.from([1, 2, 3]), 1008],
    [
      'an oversized frame',
      JSON.stringify({ type: 'call', number: QUEUE_NUMBER, sdp: 'v'.repeat(40_000) }),
      1009,
    ],
  ];
  for (const [what, data, closeCode] of bad) {
    test(`${what}: WS_INVALID_FRAME, then the socket closes (${closeCode})`, async () => {
      const phone = openPhone(server);
      await phone.opened;
      phone.socket.send(data);
      assert.equal(await phone.closedSoon(), closeCode);
      assert.deepEqual(
        phone.frames.map((f) => (f.type === 'error' ? f.code : f.type)),
        ['WS_INVALID_FRAME'],
      );
    });
  }

  test('a bad frame during a call: the error, the socket closes, and the call is hung up (abandoned)', async () => {
    const peer = new WebPeer();
    try {
      const phone = openPhone(server);
      await phone.opened;
      phone.socket.send(JSON.stringify({ type: 'call', number: QUEUE_NUMBER, sdp: await peer.offer() }));
      await until(() => phone.frames.some((f) => f.type === 'answer'), 'the answer', 10_000);
      const answer = phone.frames.find((f) => f.type === 'answer');
      assert.ok(answer?.type === 'answer');
      await peer.answer(answer.sdp);
      await until(
        () => phone.frames.some((f) => f.type === 'state' && f.state === 'queued'),
        'the call queued',
      );
      const queued = async () =>
        (await admin.interactions(server.workspaceId)).find((i) => i.platformPhone === QUEUE_NUMBER);
      const call = await queued();
      assert.equal(call?.state, 'waiting');

      phone.socket.send(JSON.stringify({ type: 'transfer', to: '+61400000000' }));
      assert.equal(await phone.closedSoon(), 1008);
      assert.ok(phone.frames.some((f) => f.type === 'error' && f.code === 'WS_INVALID_FRAME'));
      let state: string | undefined = call?.state;
      for (let i = 0; i < 100 && state === 'waiting'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        state = (await queued())?.state;
      }
      assert.equal(state, 'abandoned', 'the caller left the queue');
      assert.equal((await queued())?.endedBy, 'customer');
    } finally {
      await peer.close();
    }
  });
});
