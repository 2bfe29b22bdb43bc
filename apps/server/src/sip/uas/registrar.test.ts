import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailureCounts } from '../../auth/failure-counts.js';
import { ManualClock } from '../../clock.js';
import { useScratchDatabase } from '../../db/testing.js';
import { answerChallenge, ha1, parseChallenge } from '../auth/digest.js';
import { parseSipMessage } from '../message/parse.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { MapBindings } from './map-bindings.js';
import { REGISTRAR_LIMITS, Registrar } from './registrar.js';
import { basicHandler } from './sip-server.js';

const REALM = 'parley';
const peer = { transport: 'udp' as const, address: '192.168.1.20', port: 5062 };

function register(auth?: string, contact = '<sip:desk-1001@192.168.1.20:5062>', expires = '600'): SipRequest {
  return parseSipMessage(
    new TextEncoder().encode(
      [
        'REGISTER sip:pbx.example SIP/2.0',
        'Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKr1',
        'From: <sip:desk-1001@pbx.example>;tag=1',
        'To: <sip:desk-1001@pbx.example>',
        'Call-ID: reg-1',
        'CSeq: 1 REGISTER',
        `Contact: ${contact}`,
        `Expires: ${expires}`,
        ...(auth ? [`Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  ) as SipRequest;
}

// Wrong answers are counted where the server counts them: the database (PGlite here).
const database = useScratchDatabase();

/** `quietLimit`: the connection's, as the transport says; none over UDP. */
async function setup(quietLimit: () => number | undefined = () => undefined) {
  const clock = new ManualClock(Date.parse('2026-11-26T09:00:00Z'));
  await database.db.deleteFrom('login_throttle').execute(); // each test starts with no failures
  const registrar = new Registrar(
    REALM,
    clock,
    async (username) =>
      username === 'desk-1001'
        ? { workspaceId: 'ws', extension: '1001', ha1: ha1('desk-1001', REALM, 'right-password') }
        : undefined,
    new MapBindings(),
    new FailureCounts(database.db, clock),
    quietLimit,
  );
  const handle = registrar.handler(basicHandler);
  const send = async (request: SipRequest) => (await handle(request, peer)) as SipResponse;
  /** REGISTER, get challenged, answer with `password`. */
  const login = async (password: string, contact?: string, expires?: string) => {
    const challenge = await send(register(undefined, contact, expires));
    assert.equal(challenge.status, 401);
    const ch = parseChallenge(challenge.headers.get('WWW-Authenticate') ?? '');
    const auth = answerChallenge(ch, {
      username: 'desk-1001',
      password,
      method: 'REGISTER',
      uri: 'sip:pbx.example',
    });
    return { response: await send(register(auth, contact, expires)), auth };
  };
  return { clock, registrar, send, login };
}

test('the right password binds the contact for the granted time; it lapses when that time has passed', async () => {
  const { clock, registrar, login } = await setup();
  const { response } = await login('right-password', undefined, '7200');
  assert.equal(response.status, 200);
  assert.equal(
    response.headers.get('Contact'),
    `<sip:desk-1001@192.168.1.20:5062>;expires=${REGISTRAR_LIMITS.maxExpires}`,
  );
  assert.equal((await registrar.lookup('ws', '1001'))?.peer.address, '192.168.1.20');
  clock.advance(REGISTRAR_LIMITS.maxExpires * 1000 + 1);
  assert.equal(await registrar.lookup('ws', '1001'), undefined);
});

test('over a connection the time granted is under its quiet limit; Flow-Timer only for a phone that supports outbound', async () => {
  const { registrar, login } = await setup(() => 20_000);
  const plain = (await login('right-password', undefined, '600')).response;
  assert.equal(plain.status, 200);
  assert.match(plain.headers.get('Contact') ?? '', /;expires=16$/, '0.8 of 20 s');
  assert.equal(plain.headers.get('Flow-Timer'), undefined, 'no keep-alive asked of a phone without outbound');
  const ob = (await login('right-password', '<sip:desk-1001@192.168.1.20:5062;transport=tcp;ob>')).response;
  assert.equal(ob.headers.get('Flow-Timer'), '16');
  assert.ok(await registrar.lookup('ws', '1001'));
});

test('Expires 0 removes the binding; too short an interval gets 423 with Min-Expires', async () => {
  const { registrar, login } = await setup();
  await login('right-password');
  assert.ok(await registrar.lookup('ws', '1001'));
  assert.equal((await login('right-password', undefined, '0')).response.status, 200);
  assert.equal(await registrar.lookup('ws', '1001'), undefined);
  const brief = (await login('right-password', undefined, '10')).response;
  assert.equal(brief.status, 423);
  assert.equal(brief.headers.get('Min-Expires'), String(REGISTRAR_LIMITS.minExpires));
});

test('an answer over an old nonce is told "stale" (401) instead of refused; a forged nonce is refused', async () => {
  const { clock, send, login } = await setup();
  const { auth } = await login('right-password');
  clock.advance(REGISTRAR_LIMITS.nonceMs + 1);
  const stale = await send(register(auth));
  assert.equal(stale.status, 401);
  assert.match(stale.headers.get('WWW-Authenticate') ?? '', /stale=true/);
  const forged = auth.replace(/nonce="[^"]+"/, 'nonce="0.AAAAAAAAAAAAAAAAAAAAAA"');
  assert.equal((await send(register(forged))).status, 403);
});

test('five wrong answers lock the username from that source for the window, then it may try again', async () => {
  const { clock, login, registrar } = await setup();
  for (let i = 0; i < REGISTRAR_LIMITS.failures; i++)
    assert.equal((await login('wrong-password')).response.status, 403);
  const locked = (await login('right-password')).response;
  assert.equal(locked.status, 403);
  assert.match(locked.reason, /too many/);
  assert.equal(await registrar.lookup('ws', '1001'), undefined);
  clock.advance(REGISTRAR_LIMITS.windowMs + 1);
  assert.equal((await login('right-password')).response.status, 200);
});

test('an unknown username is refused like a wrong password; a garbled Authorization gets 400', async () => {
  const { send } = await setup();
  const challenge = await send(register());
  const ch = parseChallenge(challenge.headers.get('WWW-Authenticate') ?? '');
  const auth = answerChallenge(ch, {
    username: 'nobody',
    password: 'x',
    method: 'REGISTER',
    uri: 'sip:pbx.example',
  });
  assert.equal((await send(register(auth))).status, 403);
  assert.equal((await send(register('Digest username='))).status, 400);
});
