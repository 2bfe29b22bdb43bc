import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import type { AgentState } from '@parley/contract';
import { Baresip } from './baresip.js';
import { startTestServer, type TestServer } from './helpers.js';
import { openToolbar, until } from './toolbar.js';

describe('Call me to connect (B2): the platform rings the agent’s phone (baresip), through the dial plan', () => {
  let server: TestServer;
  let agent1: HttpClient;
  let toolbar: ReturnType<typeof openToolbar>;
  let phone: Baresip;

  const voice = async () => (await agent1.request<AgentState>('GET', '/api/agent/state')).voice;
  /** Polls the agent's voice path until it is `want`; a generous deadline, as the phone takes its time. */
  const voiceBecomes = async (want: AgentState['voice'], ms = 15_000) => {
    let last = await voice();
    for (const end = Date.now() + ms; last !== want && Date.now() < end; ) {
      await new Promise((res) => setTimeout(res, 50));
      last = await voice();
    }
    assert.equal(last, want, 'the voice path');
  };
  const callMe = (destination: string, persistent = true) => agent1.callMe({ destination, persistent });

  before(async () => {
    server = await startTestServer({ media: true });
    agent1 = await server.signIn('agent1');
    toolbar = openToolbar(server, agent1);
    await until(() => toolbar.rt.state?.agent.status.kind === 'paused', 'toolbar connected');
    phone = await Baresip.withTone(1000, { autoAnswer: true });
  });
  after(async () => {
    toolbar?.rt.stop();
    await phone?.stop();
    await server?.close();
  });

  test('numbers outside the dial plan, premium ranges and unknown SIP hosts are refused with the reason', async () => {
    await assert.rejects(
      callMe('+44 20 7946 0958'),
      (e: Error & { code?: string }) =>
        e.code === 'DIAL_PLAN_REFUSED' && /outside the countries/.test(e.message),
    );
    await assert.rejects(callMe('1900 123 456'), { code: 'DIAL_PLAN_REFUSED' });
    await assert.rejects(callMe('sip:agent@203.0.113.7:5060'), { code: 'DIAL_PLAN_REFUSED' });
    await assert.rejects(
      callMe('0412 345 678'),
      { code: 'NO_ROUTE' },
      'an allowed number, but no trunk here',
    );
    assert.equal(await voice(), 'none', 'nothing was dialled');
  });

  test('the phone rings and answers: the call becomes the agent’s voice path; hanging up loses it', async () => {
    const r = await callMe(`sip:agent@127.0.0.1:${phone.sipPort}`);
    assert.equal(r.state, 'calling');
    await phone.waitFor('CALL_ESTABLISHED');
    await voiceBecomes('connected');
    await until(() => toolbar.rt.state?.agent.voice === 'connected', 'the toolbar sees the voice path');
    phone.command('hangup');
    await phone.waitFor('CALL_CLOSED');
    await voiceBecomes('lost');
  });

  test('the media worker carrying the path dies: the voice is lost and the phone is hung up, not left in silence', async () => {
    const r = await callMe(`sip:agent@127.0.0.1:${phone.sipPort}`);
    assert.equal(r.state, 'calling');
    await phone.waitFor('CALL_ESTABLISHED');
    await voiceBecomes('connected');
    // This process's media workers (the test server runs in it), killed as a crash would.
    const workers = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'media-worker'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    assert.ok(workers.length > 0, 'media workers found');
    for (const pid of workers) process.kill(Number(pid), 'SIGKILL');
    await phone.waitFor('CALL_CLOSED');
    await voiceBecomes('lost');
  });

  test('"Save as default" keeps the number and mode with the agent, for any session; a refused number is not saved', async () => {
    assert.deepEqual(await agent1.callMeDefault(), { default: null });
    const address = `sip:agent@127.0.0.1:${phone.sipPort}`;
    await agent1.callMe({ destination: ` ${address} `, persistent: false, saveAsDefault: true });
    await phone.waitFor('CALL_ESTABLISHED'); // the non-persistent check call: answered, then ended
    await phone.waitFor('CALL_CLOSED');
    const elsewhere = await server.signIn('agent1'); // another desk, another session
    assert.deepEqual(await elsewhere.callMeDefault(), {
      default: { destination: address, persistent: false },
    });
    await assert.rejects(
      elsewhere.callMe({ destination: '+44 20 7946 0958', persistent: true, saveAsDefault: true }),
      { code: 'DIAL_PLAN_REFUSED' },
    );
    assert.deepEqual((await agent1.callMeDefault()).default?.destination, address, 'unchanged');
    const agent2 = await server.signIn('agent2');
    assert.deepEqual(await agent2.callMeDefault(), { default: null }, 'each agent has their own');
    await elsewhere.callMe({ destination: address, persistent: true, saveAsDefault: false });
    assert.deepEqual(await agent1.callMeDefault(), { default: null }, 'unticked: forgotten');
    await phone.waitFor('CALL_ESTABLISHED');
    phone.command('hangup');
    await phone.waitFor('CALL_CLOSED');
  });
});
