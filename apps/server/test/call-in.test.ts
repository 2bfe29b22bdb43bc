import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import type { AgentState } from '@parley/contract';
import { FailureCounts } from '../src/auth/failure-counts.js';
import { systemClock } from '../src/clock.js';
import { sipp } from '../src/sip/uas/sipp-runner.js';
import { CALL_IN_LOCK, callInLimits } from '../src/voice/call-in.service.js';
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

  test('a wrong PIN three times ends the call; the agent has no voice', async () => {
    phone.command('dial', uri);
    await phone.waitFor('CALL_ESTABLISHED');
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1200));
      await phone.keys('1001#');
      await new Promise((r) => setTimeout(r, 1200));
      await phone.keys('000000#');
      await new Promise((r) => setTimeout(r, 3500)); // "That agent ID and PIN do not match."
    }
    await phone.waitFor('CALL_CLOSED', 30_000);
    assert.equal(await voice(), 'none');
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
    await new Promise((r) => setTimeout(r, 1200));
    await phone.keys('1001#');
    await new Promise((r) => setTimeout(r, 1200));
    await phone.keys(`${pin}#`);
    for (let i = 0; i < 100 && (await voice()) !== 'connected'; i++)
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

  test('five wrong entries for an agent ID, taken by any process, lock it: even the right PIN is refused', async () => {
    const counts = new FailureCounts(server.database.db, systemClock);
    const key = `call-in:id:${server.workspaceId}:1001`;
    const [idLimit] = callInLimits(server.workspaceId, '1001', 'elsewhere');
    assert.ok(idLimit);
    for (let i = 0; i < CALL_IN_LOCK.failures; i++) {
      const r = await counts.reserve([idLimit]);
      assert.ok(r.granted);
      await r.attempt.failed();
    }
    const { pin } = await agent1.callInDetails();
    const keys = [...'1001#', ...pin, '#'].flatMap((k, i) => ['-key', `k${i + 1}`, k]);
    let connected = false;
    const watching = setInterval(() => {
      if (toolbar.rt.state?.agent.voice === 'connected') connected = true;
    }, 50);
    try {
      const r = await sipp('uac-info-call-in.xml', server.app.sipPort ?? 0, 'u1', 1, DIAL_IN, keys);
      assert.equal(r.status, 0, r.output.slice(-3000));
    } finally {
      clearInterval(watching);
    }
    assert.equal(connected, false, 'the locked agent ID did not connect');
    await counts.clear([key]);
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
