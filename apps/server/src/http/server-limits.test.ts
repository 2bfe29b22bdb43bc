import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import WebSocket from 'ws';
import { HTTP_LIMITS, httpServerLimits } from './server-limits.js';

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('the defaults keep headers within the request deadline and keep-alive within the idle time', () => {
  assert.ok(HTTP_LIMITS.headersTimeoutMs <= HTTP_LIMITS.requestTimeoutMs);
  assert.ok(HTTP_LIMITS.keepAliveTimeoutMs < HTTP_LIMITS.idleTimeoutMs);
});

test('slow and idle HTTP clients are cut, an open WebSocket outlives every timeout', async () => {
  // Node's timers are real; the limits are shrunk so the test takes about a second.
  const app = Fastify({
    ...httpServerLimits({
      headersTimeoutMs: 200,
      requestTimeoutMs: 300,
      keepAliveTimeoutMs: 200,
      idleTimeoutMs: 400,
      checkEveryMs: 50,
      maxConnections: 100,
    }),
    forceCloseConnections: true,
  });
  await app.register(fastifyWebsocket);
  app.get('/ws', { websocket: true }, (socket) => {
    socket.on('message', (m) => socket.send(m.toString()));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as net.AddressInfo;
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    ws.on('error', () => {});
    let wsClosed = false;
    ws.on('close', () => (wsClosed = true));

    // A client trickling its headers and one sending nothing: both cut by the server.
    const loris = net.connect(port, '127.0.0.1');
    const silent = net.connect(port, '127.0.0.1');
    let lorisClosed = false;
    let silentClosed = false;
    // Each reads what it is sent, so it sees the server's end of the connection.
    loris
      .on('close', () => (lorisClosed = true))
      .on('error', () => {})
      .resume();
    silent
      .on('close', () => (silentClosed = true))
      .on('error', () => {})
      .resume();
    loris.write('GET /x HTTP/1.1\r\n');
    const drip = setInterval(() => loris.writable && loris.write('X-A: b\r\n'), 50);
    await until(() => lorisClosed && silentClosed, 'the slow clients to be closed');
    clearInterval(drip);
    const started = Date.now();
    // The idle timeout (400 ms) has passed twice over by the time another idle socket is cut.
    const late = net
      .connect(port, '127.0.0.1')
      .on('error', () => {})
      .resume();
    let lateClosed = false;
    late.on('close', () => (lateClosed = true));
    await until(() => lateClosed && Date.now() - started > 800, 'more than twice the idle timeout');

    assert.equal(wsClosed, false, 'the WebSocket is still open');
    const echo = new Promise<string>((r) => ws.once('message', (m) => r(m.toString())));
    ws.send('still here');
    assert.equal(await echo, 'still here');
    ws.close();
  } finally {
    await app.close();
  }
});

test('connections over maxConnections are closed at once, WebSockets counted; a freed place is taken again', async () => {
  const app = Fastify({
    ...httpServerLimits({ ...HTTP_LIMITS, maxConnections: 3 }),
    forceCloseConnections: true,
  });
  await app.register(fastifyWebsocket);
  app.get('/ws', { websocket: true }, () => {});
  app.get('/ok', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as net.AddressInfo;
  const dropped: number[] = [];
  app.server.on('drop', () => dropped.push(Date.now()));
  const held: WebSocket[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      ws.on('error', () => {});
      await new Promise((r, j) => ws.once('open', r).once('close', j));
      held.push(ws);
    }
    // The fourth is closed by the server before it can send anything back.
    const over = net.connect(port, '127.0.0.1');
    let overClosed = false;
    let overReceived = '';
    over
      .on('close', () => (overClosed = true))
      .on('error', () => {})
      .on('data', (d) => (overReceived += d.toString()));
    over.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => overClosed, 'the connection over the cap to be closed');
    assert.equal(overReceived, '', 'no answer on a connection over the cap');
    assert.equal(dropped.length, 1);

    held.pop()?.close();
    const open = () => new Promise<number>((r, j) => app.server.getConnections((e, n) => (e ? j(e) : r(n))));
    const end = Date.now() + 10_000;
    while ((await open()) >= 3) {
      if (Date.now() > end) throw new Error('timed out waiting for the WebSocket’s place to be freed');
      await new Promise((r) => setTimeout(r, 10));
    }
    const answered = await fetch(`http://127.0.0.1:${port}/ok`);
    assert.equal(answered.status, 200, 'a freed place is taken again');
    assert.equal(dropped.length, 1);
  } finally {
    for (const ws of held) ws.terminate();
    await app.close();
  }
});
