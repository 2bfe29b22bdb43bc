import assert from 'node:assert/strict';
import net from 'node:net';
import { after, test } from 'node:test';
import { ManualClock } from '../../clock.js';
import { answerChallenge, ha1, parseChallenge } from '../auth/digest.js';
import { parseSipMessage } from '../message/parse.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { SipTransport } from '../transport/sip-transport.js';
import type { TcpDropCode } from '../transport/tcp-limits.js';
import { MapBindings } from './map-bindings.js';
import { type FailureLimiter, REGISTRAR_LIMITS, Registrar } from './registrar.js';
import { basicHandler, SipServer } from './sip-server.js';

const REALM = 'parley';
const QUIET_MS = 600_000;

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Every answer is checked: counting wrong ones is the unit tests' business. */
const noLimit: FailureLimiter = {
  reserve: async () => ({
    granted: true,
    attempt: { failed: async () => {}, succeeded: async () => {}, release: async () => {} },
  }),
};

const clock = new ManualClock(Date.parse('2026-11-26T09:00:00Z'));
const transport = new SipTransport('127.0.0.1', {
  clock,
  trusted: (address) => address === '127.0.0.1',
  limits: { idleMs: 20_000, trustedIdleMs: QUIET_MS },
});
const bindings = new MapBindings();
const registrar = new Registrar(
  REALM,
  clock,
  async (username) =>
    username === 'desk-1001'
      ? { workspaceId: 'ws', extension: '1001', ha1: ha1('desk-1001', REALM, 'desk-pass') }
      : undefined,
  bindings,
  noLimit,
  (peer) => transport.quietLimitMs(peer),
);
new SipServer(transport, clock, registrar.handler(basicHandler));
const dropped: TcpDropCode[] = [];
transport.on('dropped', (d) => dropped.push(d.code));
after(() => transport.close());

/** A desk phone on one TCP connection from a trusted address, reading what comes back. */
async function phone(port: number) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  let received = '';
  let closed = false;
  socket.on('data', (d) => (received += d.toString('latin1')));
  socket.on('close', () => (closed = true));
  socket.on('error', () => {});
  await new Promise((r) => socket.once('connect', r));
  let cseq = 1;
  /** Complete messages received so far (none here has a body); pongs are what is left over. */
  const messages = () =>
    received
      .split('\r\n\r\n')
      .map((m) => m.replace(/^(\r\n)+/, ''))
      .filter((m) => /^(SIP\/2\.0|[A-Z]+ sip:)/.test(m));
  const next = async (n: number) => {
    await until(() => messages().length > n, 'a message from the server');
    return parseSipMessage(new TextEncoder().encode(`${messages()[n]}\r\n\r\n`));
  };
  const register = (auth?: string) => {
    const n = cseq++;
    socket.write(
      [
        'REGISTER sip:127.0.0.1 SIP/2.0',
        `Via: SIP/2.0/TCP 127.0.0.1:5062;branch=z9hG4bK-tcp-${n}`,
        'From: <sip:desk-1001@127.0.0.1>;tag=1',
        'To: <sip:desk-1001@127.0.0.1>',
        'Call-ID: tcp-reg-1',
        `CSeq: ${n} REGISTER`,
        'Contact: <sip:desk-1001@127.0.0.1:5062;transport=tcp>',
        'Supported: path, outbound',
        'Expires: 3600',
        ...(auth ? [`Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  };
  /** REGISTER, the challenge, the answer: the final response. */
  const login = async () => {
    const seen = messages().length;
    register();
    const challenge = (await next(seen)) as SipResponse;
    assert.equal(challenge.status, 401);
    const auth = answerChallenge(parseChallenge(challenge.headers.get('WWW-Authenticate') ?? ''), {
      username: 'desk-1001',
      password: 'desk-pass',
      method: 'REGISTER',
      uri: 'sip:127.0.0.1',
    });
    register(auth);
    return (await next(seen + 1)) as SipResponse;
  };
  const ping = async () => {
    const before = received.length;
    socket.write('\r\n\r\n');
    await until(() => received.length === before + 2 && received.endsWith('\r\n'), 'the pong');
  };
  return { socket, closed: () => closed, messages, next, login, ping };
}

test('a phone registered over TCP gets less than its connection’s quiet limit and a Flow-Timer; its pings keep the connection it is reached on', async () => {
  const port = await transport.listen(0);
  const desk = await phone(port);
  const ok = await desk.login();
  assert.equal(ok.status, 200);
  const granted = Number(/;expires=(\d+)/.exec(ok.headers.get('Contact') ?? '')?.[1]);
  const flowTimer = Number(ok.headers.get('Flow-Timer'));
  const cap = Math.floor((QUIET_MS * REGISTRAR_LIMITS.flowShare) / 1000);
  assert.equal(
    granted,
    cap,
    `3600 s asked, ${cap} s granted: the refresh comes before the connection is closed`,
  );
  assert.ok(granted * 1000 < QUIET_MS);
  assert.equal(flowTimer, cap, 'a phone that supports outbound is told how often to ping');
  const first = await registrar.lookup('ws', '1001');
  assert.ok(first?.peer.connectionId, 'bound to the connection the REGISTER came on');

  // Pings at the Flow-Timer keep the connection well past its quiet limit.
  for (let i = 0; i < 3; i++) {
    clock.advance(flowTimer * 1000 - 1000);
    await desk.ping();
  }
  assert.deepEqual(
    dropped,
    [],
    `open ${3 * (flowTimer - 1)} s with pings, past the ${QUIET_MS / 1000} s limit`,
  );
  assert.equal(desk.closed(), false);

  // The refresh binds the same connection, and the platform reaches the phone on it.
  assert.equal((await desk.login()).status, 200);
  const refreshed = await registrar.lookup('ws', '1001');
  assert.equal(refreshed?.peer.connectionId, first.peer.connectionId);
  const seen = desk.messages().length;
  const options = parseSipMessage(
    new TextEncoder().encode(
      [
        'OPTIONS sip:desk-1001@127.0.0.1:5062 SIP/2.0',
        'Via: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK-to-phone',
        'From: <sip:parley@127.0.0.1>;tag=p',
        'To: <sip:desk-1001@127.0.0.1>',
        'Call-ID: to-phone-1',
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  ) as SipRequest;
  transport.send(options, refreshed.peer);
  assert.equal(((await desk.next(seen)) as SipRequest).method, 'OPTIONS', 'the phone is reached');

  // Without pings or a refresh the connection goes at its quiet limit.
  clock.advance(QUIET_MS);
  assert.deepEqual(dropped, ['SIP_TCP_IDLE']);
  await until(() => desk.closed(), 'the phone to see the close');
  desk.socket.destroy();
});
