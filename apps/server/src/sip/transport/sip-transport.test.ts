import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { ManualClock } from '../../clock.js';
import { SipTransport, type SipTransportOptions } from './sip-transport.js';
import type { TcpDropCode } from './tcp-limits.js';

const OPTIONS = [
  'OPTIONS sip:parley@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-keep',
  'From: <sip:phone@127.0.0.1>;tag=1',
  'To: <sip:parley@127.0.0.1>',
  'Call-ID: keep-1',
  'CSeq: 1 OPTIONS',
  'Max-Forwards: 70',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Client {
  socket: net.Socket;
  closed: () => boolean;
  received: () => string;
}

describe('SIP over TCP: idle timeouts and connection caps', () => {
  let transport: SipTransport | undefined;
  let port = 0;
  const clients: net.Socket[] = [];
  const clock = new ManualClock();
  let dropped: TcpDropCode[] = [];
  let messages = 0;

  async function start(options: SipTransportOptions): Promise<void> {
    transport = new SipTransport('127.0.0.1', { clock, ...options });
    port = await transport.listen(0);
    dropped = [];
    messages = 0;
    transport.on('dropped', (d) => dropped.push(d.code));
    transport.on('message', () => messages++);
  }

  async function connect(from = '127.0.0.1'): Promise<Client> {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
    clients.push(socket);
    let closed = false;
    let received = '';
    socket.on('close', () => (closed = true));
    socket.on('error', () => {});
    socket.on('data', (d) => (received += d.toString('latin1')));
    await new Promise((r) => socket.once('connect', r));
    return { socket, closed: () => closed, received: () => received };
  }

  /** Opens a connection and waits until the transport has taken or refused it. */
  async function open(from = '127.0.0.1'): Promise<Client> {
    const seen = (transport?.acceptedConnections ?? 0) + dropped.length;
    const c = await connect(from);
    await until(
      () => (transport?.acceptedConnections ?? 0) + dropped.length > seen,
      'the connection to be seen',
    );
    return c;
  }

  async function sendMessage(c: Client): Promise<void> {
    const before = messages;
    c.socket.write(OPTIONS);
    await until(() => messages > before, 'the message to arrive');
  }

  afterEach(async () => {
    for (const s of clients.splice(0)) s.destroy();
    await transport?.close();
    transport = undefined;
  });

  test('a connection that never completes a message is closed when the short idle time is up', async () => {
    await start({ limits: { idleMs: 20_000 } });
    const silent = await open();
    const loris = await open();
    // One byte a virtual second of a message that never ends: bytes are not activity.
    for (const ch of 'OPTIONS sip:x SIP/2.0\r\nVia'.slice(0, 19)) {
      loris.socket.write(ch);
      clock.advance(1000);
    }
    clock.advance(999);
    assert.deepEqual(dropped, [], 'nothing is closed before the idle time');
    clock.advance(1);
    assert.deepEqual(dropped, ['SIP_TCP_IDLE', 'SIP_TCP_IDLE']);
    await until(() => silent.closed() && loris.closed(), 'both clients to see the close');
    await until(() => transport?.acceptedConnections === 0, 'the count to drop');
  });

  test('a trusted connection that has sent a message stays past the short idle time, and keep-alive pings are answered and keep it', async () => {
    await start({ limits: { idleMs: 20_000, trustedIdleMs: 300_000 } });
    const phone = await open();
    await sendMessage(phone);
    clock.advance(299_000);
    assert.deepEqual(dropped, [], 'a registered phone is not cut after 20 s');
    phone.socket.write('\r\n\r\n');
    await until(() => phone.received() === '\r\n', 'the pong');
    clock.advance(299_000);
    assert.deepEqual(dropped, [], 'the ping counted as activity');
    clock.advance(1000);
    assert.deepEqual(dropped, ['SIP_TCP_IDLE'], 'quiet for the whole long idle time: closed');
    await until(() => phone.closed(), 'the phone to see the close');
  });

  test('a trusted connection that begins a message and stalls is closed the short idle time later', async () => {
    await start({ limits: { idleMs: 20_000, trustedIdleMs: 300_000 } });
    const phone = await open();
    const before = messages;
    phone.socket.write(`${OPTIONS}OPTIONS sip:x SIP/2.0\r\n`);
    await until(() => messages > before, 'the first message');
    clock.advance(19_999);
    assert.deepEqual(dropped, []);
    clock.advance(1);
    assert.deepEqual(dropped, ['SIP_TCP_IDLE']);
  });

  test('an untrusted source gets the short idle time even after a message, and a small cap', async () => {
    await start({
      trusted: (address) => address !== '127.0.0.2',
      limits: { idleMs: 20_000, trustedIdleMs: 300_000, maxPerUntrustedSource: 2, maxPerSource: 10 },
    });
    const a = await open('127.0.0.2');
    await open('127.0.0.2');
    const third = await open('127.0.0.2');
    assert.deepEqual(dropped, ['SIP_TCP_SOURCE_LIMIT'], 'the third is closed at once');
    await until(() => third.closed(), 'the third client to see the close');
    const phone = await open('127.0.0.1');
    for (let i = 0; i < 2; i++) await open('127.0.0.1');
    assert.equal(transport?.acceptedConnections, 5, 'a trusted address is not held to the small cap');
    await sendMessage(a);
    await sendMessage(phone);
    clock.advance(20_000);
    assert.equal(dropped.filter((d) => d === 'SIP_TCP_IDLE').length, 4, 'all but the trusted phone');
    await until(() => a.closed(), 'the untrusted one that sent a message to be closed');
    assert.equal(phone.closed(), false);
  });

  test('connections over the per-source cap or the total are closed at once; a freed place is taken again', async () => {
    await start({ limits: { maxConnections: 4, maxPerSource: 3 } });
    const first = await open('127.0.0.1');
    await open('127.0.0.1');
    await open('127.0.0.1');
    const fourth = await open('127.0.0.1');
    assert.deepEqual(dropped, ['SIP_TCP_SOURCE_LIMIT']);
    await until(() => fourth.closed(), 'the fourth to be closed');
    await open('127.0.0.3');
    const overTotal = await open('127.0.0.4');
    assert.deepEqual(dropped, ['SIP_TCP_SOURCE_LIMIT', 'SIP_TCP_CONNECTION_LIMIT']);
    await until(() => overTotal.closed(), 'the one over the total to be closed');
    first.socket.destroy();
    await until(() => transport?.acceptedConnections === 3, 'the place to be freed');
    const again = await open('127.0.0.4');
    assert.equal(transport?.acceptedConnections, 4);
    await sendMessage(again);
  });
});

describe('SIP port 0: UDP and TCP on one free number', () => {
  test('a number whose TCP side is taken when TCP comes to bind it is given up for another pair', async () => {
    // The kernel picks UDP's number; between that and TCP's bind another socket takes the number
    // over TCP (in the field: an outgoing connection given it as its local port).
    const original = net.Server.prototype.listen;
    const listen = original as (this: net.Server, ...a: unknown[]) => net.Server;
    let blocker: net.Server | undefined;
    let taken = 0;
    net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
      if (!blocker && typeof args[0] === 'number' && args[0] !== 0) {
        taken = args[0];
        blocker = net.createServer();
        listen.call(blocker, taken, '127.0.0.1');
      }
      return listen.apply(this, args);
    } as typeof original;
    const transport = new SipTransport('127.0.0.1');
    try {
      const port = await transport.listen(0);
      assert.ok(taken > 0, 'the first number was taken');
      assert.notEqual(port, taken);
      const socket = net.connect(port, '127.0.0.1');
      const received = new Promise<string>((resolve) =>
        transport.once('message', (_m, from: { transport: string }) => resolve(from.transport)),
      );
      socket.write(OPTIONS);
      assert.equal(await received, 'tcp');
      socket.destroy();
    } finally {
      net.Server.prototype.listen = original;
      blocker?.close();
      await transport.close();
    }
  });
});
