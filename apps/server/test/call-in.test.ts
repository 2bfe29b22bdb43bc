import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import type { AgentState } from '@parley/contract';
import { FailureCounts } from '../src/auth/failure-counts.js';
import { ManualClock } from '../src/clock.js';
import { sipp } from '../src/sip/uas/sipp-runner.js';
import { callInLimits } from '../src/voice/call-in.service.js';
import { Baresip } from './baresip.js';
import { startTestServer, type TestServer } from './helpers.js';
import { captureLog, LOG_ERROR, type LogLine } from './log-capture.js';
import { openToolbar, until } from './toolbar.js';

const DIAL_IN = '+61290009999';

describe('Call in to connect (B1): an agent’s own phone (baresip) with agent ID and PIN', () => {
  let server: TestServer;
  let agent1: HttpClient;
  let toolbar: ReturnType<typeof openToolbar>;
  let phone: Baresip;
  let uri: string;
  let log: { lines: LogLine[] };

  const voice = async () => (await agent1.request<AgentState>('GET', '/api/agent/state')).voice;

  before(async () => {
    server = await startTestServer({ media: true });
    log = captureLog(server.app);
    agent1 = await server.signIn('agent1');
    toolbar = openToolbar(server, agent1);
    await until(() => toolbar.rt.state?.agent.status.kind === 'paused', 'toolbar connected');
    phone = await Baresip.withTone(1000);
    uri = `sip:${DIAL_IN}@127.0.0.1:${server.app.sipPort}`;
  });
  after(async () => {
    toolbar?.rt.stop();
    await phone?.stop();
    await server?.close();
  });

  test('the toolbar’s details: the agent ID, the dial-in numbers and a fresh PIN', async () => {
    const d = await agent1.callInDetails();
    assert.equal(d.agentId, 1001);
    assert.deepEqual(d.numbers, [{ number: DIAL_IN, name: 'Agent dial-in' }]);
    assert.match(d.pin, /^\d{6}$/);
  });

  const errors = () => log.lines.filter((l) => l.level >= LOG_ERROR);
  const loginsOver = () => log.lines.filter((l) => l.msg === 'call-in login over').length;

  test('a phone that hangs up while asked for its agent ID ends its call-in without an error', async () => {
    const before = loginsOver();
    phone.command('dial', uri);
    await phone.waitFor('CALL_ESTABLISHED');
    phone.command('hangup');
    await phone.waitFor('CALL_CLOSED');
    await until(() => loginsOver() > before || errors().length > 0, 'the call-in to end', 20_000);
    assert.deepEqual(errors(), []);
    assert.equal(await voice(), 'none');
  });

  /** The phone calls the dial-in number and keys in the agent ID and the dialog's PIN. */
  async function callIn() {
    const { pin } = await agent1.callInDetails();
    phone.command('dial', uri);
    await phone.waitFor('CALL_ESTABLISHED');
    // Keys typed ahead are kept, as for a practised agent: the ID and the PIN go at once, and
    // each question takes its own from what was typed.
    await phone.keys(`1001#${pin}#`);
    for (let i = 0; i < 200 && (await voice()) !== 'connected'; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal(await voice(), 'connected');
  }

  test('agent ID and the verification PIN: the call becomes the agent’s voice path; hanging up loses it', async () => {
    await callIn();
    await until(() => toolbar.rt.state?.agent.voice === 'connected', 'the toolbar sees the voice path');
    phone.command('hangup');
    await phone.waitFor('CALL_CLOSED');
    for (let i = 0; i < 50 && (await voice()) !== 'lost'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await voice(), 'lost');
  });

  test('a phone that sends its keys by SIP INFO (dtmf-relay) connects the same way', async () => {
    const { pin } = await agent1.callInDetails();
    const keys = [...'1001#', ...pin, '#'].flatMap((k, i) => ['-key', `k${i + 1}`, k]);
    const phoneCall = sipp('uac-info-call-in.xml', server.app.sipPort ?? 0, 'u1', 1, DIAL_IN, keys);
    await until(() => toolbar.rt.state?.agent.voice === 'connected', 'voice by the INFO phone', 12_000);
    const r = await phoneCall; // it hangs up 10 s after its last key
    assert.equal(r.status, 0, r.output.slice(-3000));
    await until(() => toolbar.rt.state?.agent.voice === 'lost', 'its hang-up loses the voice path');
  });

  test('another connection replaces the phone and the platform hangs it up; signing out hangs up the new one', async () => {
    await callIn();
    const desk = await Baresip.withTone(700, { autoAnswer: true });
    try {
      await agent1.callMe({ destination: `sip:agent@127.0.0.1:${desk.sipPort}`, persistent: true });
      await desk.waitFor('CALL_ESTABLISHED');
      await phone.waitFor('CALL_CLOSED'); // our BYE: the replaced phone is not left in a silent call
      await until(() => toolbar.rt.state?.agent.voice === 'connected', 'voice on the desk phone');
      await agent1.logout();
      await desk.waitFor('CALL_CLOSED'); // the voice path lasts for the login only
    } finally {
      await desk.stop();
    }
  });

  test('none of these calls, however they ended, logged an error', () => {
    assert.deepEqual(
      errors().map((l) => `${l.msg}: ${l.err?.message ?? ''}`),
      [],
    );
  });
});

const MINUTE = 60_000;
/** agent1's own PIN, as an administrator sets it (the demo's is random). */
const STORED_PIN = '482916';

/**
 * The lock-out rules on real calls (baresip phones, each with its own calling number) that key in
 * wrong agent IDs and PINs. The server runs on a clock moved by hand, so a lock's 15 minutes and a
 * PIN's 30 are exact. Calls work on it: a prompt ends on the media worker's own clock, each entry
 * ends with the caller's #, and SIP on loopback needs no retransmission.
 */
describe('Call in to connect (B1): wrong entries on real calls lock out agent IDs and calling numbers', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let agent1: HttpClient;
  let toolbar: ReturnType<typeof openToolbar>;
  let log: { lines: LogLine[] };
  let counts: FailureCounts;
  let uri: string;
  const phones = new Map<string, Baresip>();

  before(async () => {
    // The toolbar's heartbeats are timed on this clock too: a jump of half an hour is not a silent toolbar.
    server = await startTestServer({ media: true, clock, gateway: { heartbeatTimeoutMs: 24 * 60 * MINUTE } });
    log = captureLog(server.app);
    agent1 = await server.signIn('agent1');
    // The agent is signed in (their toolbar is open): a voice path lasts for the login only.
    toolbar = openToolbar(server, agent1);
    await until(() => toolbar.rt.state?.agent.status.kind === 'paused', 'toolbar connected');
    const admin = await server.signIn('admin');
    const users = admin.users(server.workspaceId);
    const agent = (await users.list()).find((u) => u.username === 'agent1');
    assert.ok(agent);
    await users.update(agent.id, { pin: STORED_PIN });
    counts = new FailureCounts(server.database.db, clock);
    uri = `sip:${DIAL_IN}@127.0.0.1:${server.app.sipPort}`;
  });
  // A test that failed half-way leaves no call up for the next.
  afterEach(async () => {
    for (const phone of phones.values()) phone.command('hangup');
    await eventually(async () => (await voice()) !== 'connected', 'no voice path left');
  });
  after(async () => {
    toolbar?.rt.stop();
    for (const phone of phones.values()) await phone.stop();
    await server?.close();
  });

  const voice = async () => (await agent1.request<AgentState>('GET', '/api/agent/state')).voice;
  const lockOuts = () => log.lines.filter((l) => l.msg === 'call-in locked out').length;
  /** Wrong entries counted against a calling number (the server's own count, read only). */
  const failuresFrom = async (number: string) => {
    const key = callInLimits(server.workspaceId, '0', number)[1]?.key ?? '';
    return (await counts.get([key])).get(key)?.failures ?? 0;
  };

  async function eventually(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * A call to the dial-in number from `number`'s phone. Its keys may come before the prompt asks:
   * the service keeps them (type-ahead), so each entry waits only for the last one's outcome.
   */
  async function dial(number: string) {
    let phone = phones.get(number);
    if (!phone) {
      phone = await Baresip.withTone(1000, { user: number });
      phones.set(number, phone);
    }
    const p = phone;
    p.events.length = 0;
    p.command('dial', uri);
    await p.waitFor('CALL_ESTABLISHED', 30_000);
    const closed = () => p.events.some((e) => e.type === 'CALL_CLOSED');
    return {
      closed,
      /** Keys in an ID and PIN the server counts as wrong. */
      async wrong(agentId: string, pin: string) {
        const before = await failuresFrom(number);
        await p.keys(`${agentId}#${pin}#`);
        await eventually(async () => (await failuresFrom(number)) > before, `entry ${before + 1} counted`);
      },
      /** Keys in an ID and PIN that a lock-out refuses unchecked. */
      async refused(agentId: string, pin: string) {
        const before = lockOuts();
        await p.keys(`${agentId}#${pin}#`);
        await eventually(async () => lockOuts() > before, 'the lock-out');
      },
      async connects(agentId: string, pin: string) {
        await p.keys(`${agentId}#${pin}#`);
        await eventually(async () => (await voice()) === 'connected', 'agent1’s voice path');
        assert.equal(closed(), false, 'the phone stays on as the voice path');
      },
      /** The platform hangs up: our BYE, not the phone's. */
      async endedByUs() {
        const e = await p.waitFor('CALL_CLOSED', 30_000);
        assert.equal(e.param, 'Connection reset by peer');
        assert.notEqual(await voice(), 'connected');
      },
      /** The phone hangs up; an agent's voice path on it is lost. */
      async hangUp() {
        const wasVoice = (await voice()) === 'connected';
        p.command('hangup');
        await p.waitFor('CALL_CLOSED');
        if (wasVoice) await eventually(async () => (await voice()) === 'lost', 'the voice path lost');
      },
    };
  }

  test('three tries per call; five wrong entries for an agent ID lock it for 15 minutes, the right PIN included', async () => {
    const { pin } = await agent1.callInDetails();
    const first = await dial('+61400000001');
    await first.wrong('1001', '000000');
    await first.wrong('1001', '111111');
    assert.equal(first.closed(), false, 'two wrong entries: the call goes on');
    await first.wrong('1001', '222222');
    await first.endedByUs();

    // Two more from another number: five for agent ID 1001, so its right PIN is refused.
    const second = await dial('+61400000002');
    await second.wrong('1001', '333333');
    await second.wrong('1001', '444444');
    await second.refused('1001', pin);
    await second.endedByUs();

    clock.advance(15 * MINUTE - 1000);
    const early = await dial('+61400000002');
    await early.refused('1001', pin);
    await early.refused('1001', STORED_PIN);
    assert.equal(early.closed(), false);
    await early.hangUp();

    clock.advance(1000);
    const later = await dial('+61400000002');
    await later.connects('1001', pin); // the verification PIN was never checked: it is still good
    await later.hangUp();
  });

  test('five wrong entries from one calling number, whatever the agent IDs, lock that number for 15 minutes', async () => {
    const first = await dial('+61400000003');
    await first.wrong('1002', '000000');
    await first.wrong('1003', '000000');
    await first.wrong('4242', '000000');
    await first.endedByUs();
    const second = await dial('+61400000003');
    await second.wrong('1002', '111111');
    await second.wrong('77', '111111');
    await second.refused('1001', STORED_PIN); // agent ID 1001 has no failures: the number is locked
    await second.endedByUs();

    const elsewhere = await dial('+61400000004');
    await elsewhere.connects('1001', STORED_PIN);
    await elsewhere.hangUp();

    clock.advance(15 * MINUTE - 1000);
    const early = await dial('+61400000003');
    await early.refused('1001', STORED_PIN);
    await early.hangUp();

    clock.advance(1000);
    const later = await dial('+61400000003');
    await later.connects('1001', STORED_PIN);
    await later.hangUp();
  });

  test('the toolbar’s verification PIN works once and for 30 minutes; the agent’s own PIN always works', async () => {
    const { pin } = await agent1.callInDetails();
    const first = await dial('+61400000005');
    await first.connects('1001', pin);
    await first.hangUp();
    const again = await dial('+61400000005');
    await again.wrong('1001', pin);
    await again.connects('1001', STORED_PIN);
    await again.hangUp();

    const { pin: fresh } = await agent1.callInDetails();
    clock.advance(30 * MINUTE - 1000);
    const inTime = await dial('+61400000005');
    await inTime.connects('1001', fresh);
    await inTime.hangUp();

    const { pin: stale } = await agent1.callInDetails();
    clock.advance(30 * MINUTE);
    const late = await dial('+61400000005');
    await late.wrong('1001', stale);
    await late.connects('1001', STORED_PIN);
    await late.hangUp();
  });

  test('none of these calls logged an error', () => {
    const errors = log.lines.filter((l) => l.level >= LOG_ERROR);
    assert.deepEqual(
      errors.map((l) => `${l.msg}: ${l.err?.message ?? ''}`),
      [],
    );
  });
});
