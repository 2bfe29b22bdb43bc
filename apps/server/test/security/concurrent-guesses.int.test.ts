import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { FailureCounts, type FailureLimit, type Reservation } from '../../src/auth/failure-counts.js';
import { DEFAULT_THROTTLE } from '../../src/auth/login-throttle.js';
import { ManualClock } from '../../src/clock.js';
import { type OpenDatabase, openDatabase } from '../../src/db/database.js';
import { answerChallenge, ha1, parseChallenge } from '../../src/sip/auth/digest.js';
import { parseSipMessage } from '../../src/sip/message/parse.js';
import type { SipRequest, SipResponse } from '../../src/sip/message/sip-message.js';
import { type Binding, REGISTRAR_LIMITS, Registrar } from '../../src/sip/uas/registrar.js';
import { basicHandler } from '../../src/sip/uas/sip-server.js';
import { CALL_IN_LOCK, callInLimits } from '../../src/voice/call-in.service.js';
import {
  createStore,
  DEMO_PASSWORD,
  startTestServer,
  TEST_DB,
  type TestServer,
  type TestStore,
} from '../helpers.js';

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: number;
}

/** A sign-in from a chosen loopback address (one source for the whole burst). */
function loginFrom(server: TestServer, source: string, username: string, password: string) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      new URL('/api/auth/login', server.url),
      { method: 'POST', localAddress: source, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => {
          const body = JSON.parse(text) as { error?: { code: string } };
          resolve({
            status: res.statusCode ?? 0,
            code: body.error?.code,
            retryAfter: Number(res.headers['retry-after'] ?? 0),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ username, password }));
  });
}

describe(`wrong passwords sent all at once (${TEST_DB})`, () => {
  const ATTACKER = '127.0.0.9';
  const BURST = 40;
  // Virtual time: a wait runs out only when the test says so, however slow the machine.
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ clock });
  });
  after(async () => server.close());

  const burst = (round: number) =>
    Promise.all(
      Array.from({ length: BURST }, (_, i) => loginFrom(server, ATTACKER, 'agent2', `wrong-${round}-${i}`)),
    );

  test('bursts of 40 get no more passwords checked than the policy lets fail, then the account is locked from there', async () => {
    const p = DEFAULT_THROTTLE;
    const first = await burst(0);
    const checked = first.filter((a) => a.status === 401);
    assert.ok(
      checked.length <= p.slowAfter,
      `${checked.length} of ${BURST} were checked at once; after ${p.slowAfter} failures each try must wait`,
    );
    for (const a of first) {
      if (a.status === 401) assert.equal(a.code, 'LOGIN_FAILED');
      else {
        assert.equal(a.status, 429);
        assert.equal(a.code, 'LOGIN_THROTTLED');
        assert.ok(a.retryAfter >= 1);
      }
    }
    assert.equal(
      (await loginFrom(server, ATTACKER, 'agent2', DEMO_PASSWORD)).code,
      'LOGIN_THROTTLED',
      'the right password waits too',
    );

    // Each wait sat out, another burst: still never more checked than the policy allows.
    let total = checked.length;
    let last = first;
    for (let round = 1; round <= p.lockAfter && !last.some((a) => a.code === 'LOGIN_LOCKED'); round++) {
      clock.advance(Math.max(...last.map((a) => a.retryAfter)) * 1000);
      last = await burst(round);
      total += last.filter((a) => a.status === 401).length;
    }
    assert.ok(total <= p.lockAfter, `${total} passwords checked in all; the lock comes at ${p.lockAfter}`);
    const locked = await burst(p.lockAfter + 1);
    assert.ok(
      locked.every((a) => a.code === 'LOGIN_LOCKED' && a.retryAfter > 0),
      'then every try is locked out',
    );
    const right = await loginFrom(server, ATTACKER, 'agent2', DEMO_PASSWORD);
    assert.equal(right.status, 429);
    assert.equal(right.code, 'LOGIN_LOCKED', 'the right password is refused while locked');
    assert.equal(
      (await loginFrom(server, '127.0.0.10', 'agent2', DEMO_PASSWORD)).status,
      200,
      'the owner elsewhere still signs in',
    );
  });
});

describe(`failure counts reserved at once by two processes (${TEST_DB})`, () => {
  let store: TestStore;
  let dbs: OpenDatabase[];
  const clock = new ManualClock();
  let processes: FailureCounts[];
  before(async () => {
    store = await createStore();
    const first = await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl });
    // PGlite is one in-process database: both share it. On a server each has its own pool.
    const second = store.databaseUrl
      ? await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl })
      : first;
    dbs = [first, second];
    processes = dbs.map((d) => new FailureCounts(d.db, clock));
  });
  after(async () => {
    for (const d of new Set(dbs)) await d.close();
    await store.drop();
  });

  /** `n` reservations sent at once, alternately by each process, all before any is settled. */
  const reserveAtOnce = (n: number, limits: (i: number) => FailureLimit[]): Promise<Reservation[]> =>
    Promise.all(Array.from({ length: n }, (_, i) => (processes[i % 2] as FailureCounts).reserve(limits(i))));
  const grantedOf = (rs: Reservation[]) => rs.flatMap((r) => (r.granted ? [r.attempt] : []));

  test('40 guesses at one key: as many go ahead as may fail before the lock, and then it is locked', async () => {
    const pin: FailureLimit = { key: 'pin:race', windowMs: 60_000, blockFor: (n) => (n >= 5 ? 60_000 : 0) };
    const answers = await reserveAtOnce(40, () => [pin]);
    const granted = grantedOf(answers);
    assert.equal(granted.length, 5);
    for (const a of answers)
      if (!a.granted)
        assert.deepEqual(
          a.blocks.map((b) => b.key),
          ['pin:race'],
        );
    await Promise.all(granted.map((a) => a.failed()));
    const refused = await processes[0]?.reserve([pin]);
    assert.deepEqual(refused, {
      granted: false,
      blocks: [{ key: 'pin:race', failures: 5, retryAfterMs: 60_000 }],
    });
  });

  test('attempts on the same keys named in any order are all counted, none lost, none deadlocked', async () => {
    const limit = (key: string): FailureLimit => ({ key, windowMs: 60_000, blockFor: () => 0 });
    const answers = await reserveAtOnce(40, (i) =>
      i % 4 < 2 ? [limit('k:a'), limit('k:b')] : [limit('k:b'), limit('k:a')],
    );
    const granted = grantedOf(answers);
    assert.equal(granted.length, 40);
    // Two in three are wrong; the rest could not be checked and are given back.
    await Promise.all(granted.map((a, i) => (i % 3 ? a.failed() : a.release())));
    const failed = granted.filter((_, i) => i % 3).length;
    const records = await (processes[1] as FailureCounts).get(['k:a', 'k:b']);
    assert.equal(records.get('k:a')?.failures, failed);
    assert.equal(records.get('k:b')?.failures, failed);
    assert.equal(records.get('k:a')?.pending, 0);
  });

  test('call-in PINs keyed at once: five tries per agent ID, five per calling number', async () => {
    const { failures } = CALL_IN_LOCK;
    const oneAgent = await reserveAtOnce(20, () => callInLimits('ws', '1001', 'sip:+441234@trunk'));
    assert.equal(grantedOf(oneAgent).length, failures);
    // One number trying many agent IDs is held back by its own count.
    const manyAgents = await reserveAtOnce(20, (i) =>
      callInLimits('ws', String(2000 + i), 'sip:+449999@trunk'),
    );
    assert.equal(grantedOf(manyAgents).length, failures);
  });

  test('a burst of wrong digest answers from a desk phone: five are checked, then even the right one is refused', async () => {
    const realm = 'parley';
    const registrar = new Registrar(
      realm,
      clock,
      async (username) =>
        username === 'desk-1001'
          ? { workspaceId: 'ws', extension: '1001', ha1: ha1('desk-1001', realm, 'right-password') }
          : undefined,
      new NoBindings(),
      processes[0] as FailureCounts,
      () => undefined,
    );
    const handle = registrar.handler(basicHandler);
    const send = async (request: SipRequest) =>
      (await handle(request, { transport: 'udp', address: '192.168.1.20', port: 5062 })) as SipResponse;
    const challenge = parseChallenge((await send(register())).headers.get('WWW-Authenticate') ?? '');
    const answer = (password: string) =>
      register(
        answerChallenge(challenge, {
          username: 'desk-1001',
          password,
          method: 'REGISTER',
          uri: 'sip:pbx.example',
        }),
      );
    const responses = await Promise.all(Array.from({ length: 20 }, () => send(answer('wrong-password'))));
    const checked = responses.filter((r) => r.reason === 'Forbidden');
    assert.equal(checked.length, REGISTRAR_LIMITS.failures);
    assert.ok(responses.every((r) => r.status === 403));
    const right = await send(answer('right-password'));
    assert.equal(right.status, 403);
    assert.match(right.reason, /too many/);
  });
});

class NoBindings {
  async put(): Promise<void> {}
  async get(): Promise<Binding | undefined> {
    return undefined;
  }
  async find(): Promise<Binding | undefined> {
    return undefined;
  }
}

function register(auth?: string): SipRequest {
  const lines = [
    'REGISTER sip:pbx.example SIP/2.0',
    'Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKr1',
    'From: <sip:desk-1001@pbx.example>;tag=1',
    'To: <sip:desk-1001@pbx.example>',
    'Call-ID: reg-burst',
    'CSeq: 1 REGISTER',
    'Contact: <sip:desk-1001@192.168.1.20:5062>',
    'Expires: 600',
    ...(auth ? [`Authorization: ${auth}`] : []),
    'Content-Length: 0',
    '',
    '',
  ];
  return parseSipMessage(new TextEncoder().encode(lines.join('\r\n'))) as SipRequest;
}
