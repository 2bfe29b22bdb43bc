import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '@parley/client';
import type { AgentState, PhoneServerFrame } from '@parley/contract';
import { WebSocket } from 'ws';
import { openDatabase } from '../../src/db/database.js';
import { Baresip } from '../baresip.js';
import { createStore, storeEnv, type TestServer, type TestStore } from '../helpers.js';
import { openToolbar } from '../toolbar.js';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const prompt = (name: string) => fileURLToPath(new URL(`../../sounds/prompts/${name}.wav`, import.meta.url));
const PASSWORD = 'stop-test-password';
const DEMO_NUMBER = '+61290001000';

/** A TCP port free now (the SIP port must stay the same across a restart). */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const found = await check();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `npm start`'s server as a process of its own, on a store and SIP port that outlive it. */
function startServer(store: TestStore, sipPort: number) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main], {
    env: {
      ...process.env,
      ...storeEnv(store),
      PORT: '0',
      SIP_PORT: String(sipPort),
      SIP_ADDRESS: '127.0.0.1',
      MEDIA_ADDRESSES: '127.0.0.1',
      MEDIA_WORKERS: '1',
      DEMO_PASSWORD: PASSWORD,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = eventually(
    () => /Parley is running: (http:\/\/localhost:\d+)\//.exec(out)?.[1],
    'the server',
    90_000,
  );
  return { child: child as ChildProcess, exited, url, log: () => out };
}

/**
 * A shift in progress: agent1's phone connected by Call me to connect, one customer talking to
 * agent1 (recorded), a second customer waiting in the queue. Both customers are baresip phones
 * that came through the demo menu.
 */
async function callsUp(url: string, sipPort: number, cleanup: (() => unknown)[]) {
  const agent1 = new HttpClient({ baseUrl: url.replace('localhost', '127.0.0.1'), manageCookies: true });
  await agent1.login({ username: 'agent1', password: PASSWORD });
  const toolbar = openToolbar({ url: url.replace('localhost', '127.0.0.1') } as TestServer, agent1);
  const state = () => agent1.request<AgentState>('GET', '/api/agent/state');
  await eventually(async () => (await state()).status.kind === 'paused', 'agent1 signed in');
  const agentPhone = await Baresip.withTone(1000, { autoAnswer: true });
  // Each phone is stopped after the test even when setting up the calls fails part way.
  cleanup.push(() => agentPhone.stop());
  await agent1.callMe({ destination: `sip:agent@127.0.0.1:${agentPhone.sipPort}`, persistent: true });
  await agentPhone.waitFor('CALL_ESTABLISHED', 20_000);
  await eventually(async () => (await state()).voice === 'connected', 'the agent’s voice path');
  await agent1.setStatus({ kind: 'available' });
  const waitingCount = () => (toolbar.rt.state?.queues ?? []).reduce((n, q) => n + q.waiting, 0);
  const customers: Baresip[] = [];
  for (const hz of [700, 1300]) {
    const customer = await Baresip.withTone(hz, { user: `customer${hz}` });
    cleanup.push(() => customer.stop());
    customers.push(customer);
    customer.command('dial', `sip:${DEMO_NUMBER}@127.0.0.1:${sipPort}`);
    await customer.waitFor('CALL_ESTABLISHED', 20_000);
    // Support, pressed until the menu has taken it (a key typed ahead skips its prompt).
    const before = waitingCount();
    await eventually(
      async () => {
        if (customers.length === 1 && (await state()).interactions.find((i) => i.state === 'busy'))
          return true;
        if (customers.length === 2 && waitingCount() > before) return true;
        await customer.keys('2', 700);
        return undefined;
      },
      customers.length === 1 ? 'the first customer put through to agent1' : 'the second customer queued',
    );
  }
  await eventually(
    async () => (await state()).interactions.find((i) => i.state === 'busy' && i.recording),
    'the first customer talking to agent1, recorded',
  );
  const [talking, waiting] = customers as [Baresip, Baresip];
  return { agent1, toolbar, agentPhone, talking, waiting, phones: [agentPhone, talking, waiting] };
}

/** A caller's web phone page, its socket open: what it is sent. */
async function openWebPhone(url: string) {
  const socket = new WebSocket(`${url.replace('http://localhost', 'ws://127.0.0.1')}/api/public/phone`);
  const frames: PhoneServerFrame[] = [];
  socket.on('message', (d) => frames.push(JSON.parse(String(d)) as PhoneServerFrame));
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('open', resolve));
  return { socket, frames };
}

/** A SIP peer on UDP that sends one new INVITE and keeps what comes back. */
async function sipProbe(sipPort: number) {
  const socket = createSocket('udp4');
  const received: string[] = [];
  socket.on('message', (m) => received.push(m.toString('latin1')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  const request = (method: 'INVITE' | 'ACK', toTag = '') =>
    [
      `${method} sip:${DEMO_NUMBER}@127.0.0.1:${sipPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-after-sigterm`,
      'From: <sip:late-caller@127.0.0.1>;tag=late',
      `To: <sip:${DEMO_NUMBER}@127.0.0.1>${toTag}`,
      'Call-ID: after-sigterm-1',
      `CSeq: 1 ${method}`,
      `Contact: <sip:late-caller@127.0.0.1:${port}>`,
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  return {
    received,
    invite: () => socket.send(request('INVITE'), sipPort, '127.0.0.1'),
    /** The ACK of a final non-2xx answer, so it is not sent again. */
    ack: (toTag: string) => socket.send(request('ACK', toTag), sipPort, '127.0.0.1'),
    close: () => socket.close(),
  };
}

/** What the database says after the server has gone: every record of those calls closed. */
async function assertRecordsClosed(store: TestStore) {
  const database = await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl });
  try {
    const db = database.db;
    const calls = await db
      .selectFrom('queue_entries')
      .select(['id', 'state', 'ended_by', 'agent_id'])
      .where('kind', '=', 'voice')
      .execute();
    assert.equal(calls.length, 2, 'both customers’ calls are on record');
    const talked = calls.find((c) => c.agent_id !== null);
    const waited = calls.find((c) => c.agent_id === null);
    assert.equal(talked?.state, 'wrapping', 'the answered call waits in wrap-up for its outcome');
    assert.equal(talked?.ended_by, 'system');
    assert.equal(waited?.state, 'abandoned');
    assert.equal(waited?.ended_by, 'system');
    const recordings = await db.selectFrom('recordings').selectAll().execute();
    assert.equal(recordings.length, 1, 'the answered call was recorded');
    const rec = recordings[0];
    assert.ok(rec?.ended_at, 'the recording has its end');
    assert.ok((rec?.duration_ms ?? 0) > 500, `the recording has its length (${rec?.duration_ms} ms)`);
    assert.equal(rec?.segments.at(-1)?.stopMs, rec?.duration_ms, 'its last segment stops at its end');
    assert.equal(
      (await db.selectFrom('sip_dialogs').select('key').execute()).length,
      0,
      'no SIP dialog is left on record',
    );
  } finally {
    await database.close();
  }
}

describe('a stop with calls up leaves no caller in silence and no record open', () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  test('SIGTERM: new calls are refused, callers in the menu hear that the service is closing, every phone gets our BYE, records are closed, the server exits 0', async () => {
    const store = await createStore();
    const sipPort = await freePort();
    const server = startServer(store, sipPort);
    cleanup.push(() => store.drop());
    cleanup.push(() => server.child.kill('SIGKILL'));
    const url = await server.url;
    const up = await callsUp(url, sipPort, cleanup);
    up.toolbar.rt.stop();
    // A third caller is still in the menu, pressing nothing, when the signal comes.
    const inMenu = await Baresip.withTone(1600, { user: 'customer1600' });
    cleanup.push(() => inMenu.stop());
    inMenu.command('dial', `sip:${DEMO_NUMBER}@127.0.0.1:${sipPort}`);
    await inMenu.waitFor('CALL_ESTABLISHED', 20_000);
    // A customer's web phone page is open, and a carrier is about to send a new call.
    const webPhone = await openWebPhone(url);
    cleanup.push(() => webPhone.socket.terminate());
    const carrier = await sipProbe(sipPort);
    cleanup.push(() => carrier.close());

    server.child.kill('SIGTERM');
    await eventually(() => /new calls refused/.test(server.log()), 'the server to refuse new calls', 10_000);
    // While the callers hear the closing notice: a new INVITE gets 503 with Retry-After.
    carrier.invite();
    const refused = await eventually(
      () => carrier.received.find((m) => m.startsWith('SIP/2.0 5') || m.startsWith('SIP/2.0 2')),
      'an answer to the INVITE sent while draining',
      5000,
    );
    assert.match(refused, /^SIP\/2\.0 503 /, 'a new call is refused');
    assert.match(refused, /\r\nRetry-After: 30\r\n/i, 'the carrier is told when to try again');
    carrier.ack(/\r\nTo: [^\r]*?(;tag=[^;\r]+)/i.exec(refused)?.[1] ?? '');
    // ... and the web phone's call is refused with VOICE_UNAVAILABLE.
    webPhone.socket.send(
      JSON.stringify({ type: 'call', number: DEMO_NUMBER, sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n' }),
    );
    const error = await eventually(
      () => webPhone.frames.find((f) => f.type === 'error'),
      'the web phone’s call to be answered',
      5000,
    );
    assert.equal(error.type === 'error' && error.code, 'VOICE_UNAVAILABLE');

    // Exit 0: it did not need the forced exit (15 s), which exits 1.
    assert.equal(await server.exited, 0, `the server stopped cleanly:\n${server.log().slice(-3000)}`);
    assert.match(server.log(), /"msg":"shutdown complete"/);
    for (const phone of [...up.phones, inMenu])
      await phone.waitFor('CALL_CLOSED', 5000).catch((err: Error) => {
        throw new Error(`${err.message}\nthe server's log:\n${server.log().slice(-6000)}`);
      });
    const errors = server
      .log()
      .split('\n')
      .filter((l) => l.startsWith('{') && (JSON.parse(l) as { level: number }).level >= 50);
    assert.deepEqual(errors, [], 'a clean shutdown logs no errors');
    // The callers in the menu and in the queue heard the closing notice (played only by a
    // stop) before our BYE; the caller talking to the agent was simply hung up.
    const notice = prompt('service-closing');
    for (const [who, phone] of [
      ['in the menu', inMenu],
      ['in the queue', up.waiting],
    ] as const) {
      const heard = await phone.heardClip(notice);
      assert.ok(
        heard > 0.9,
        `the caller ${who} heard the service is closing (correlation ${heard.toFixed(3)})`,
      );
    }
    // The notice played scores 0.9999; the best chance alignment of 250 ms of it against a call's
    // tones reached 0.6 once in about 30 runs, so the line between heard and not is drawn at 0.8.
    const talking = await up.talking.heardClip(notice);
    assert.ok(
      talking < 0.8,
      `the caller talking was not played the notice (correlation ${talking.toFixed(3)})`,
    );
    await assertRecordsClosed(store);
  });

  test('SIGKILL, then a start: it hangs up the calls the dead process left and closes their records', async () => {
    const store = await createStore();
    const sipPort = await freePort();
    const first = startServer(store, sipPort);
    cleanup.push(() => store.drop());
    cleanup.push(() => first.child.kill('SIGKILL'));
    const up = await callsUp(await first.url, sipPort, cleanup);
    up.toolbar.rt.stop();

    first.child.kill('SIGKILL');
    await first.exited;
    // The phones know nothing yet: the dead process sent no BYE.
    for (const phone of up.phones)
      assert.equal(phone.events.filter((e) => e.type === 'CALL_CLOSED').length, 0);

    const second = startServer(store, sipPort);
    cleanup.push(() => second.child.kill('SIGKILL'));
    await second.url;
    for (const phone of up.phones) await phone.waitFor('CALL_CLOSED', 30_000);
    await eventually(
      () => /SIP calls left up by the last run were hung up/.test(second.log()),
      'the start to report the calls it hung up',
    );
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.log().slice(-3000));
    await assertRecordsClosed(store);
  });
});
