import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import type { LiveCall, MonitorMode } from '@parley/contract';
import { startTestServer, type TestServer } from './helpers.js';
import { buildTeam, openToolbar, until } from './toolbar.js';
import { callOn, hearing, webAgent, webCaller } from './web-parties.js';

const CUSTOMER = 700;
const AGENT = 1000;
const SUPERVISOR = 1600;

/**
 * Agent Assist (I8) and managers on live calls (Q1): an agent asks for help and the managers of
 * their teams are told at once; a manager joins from their own Web Connect to listen, whisper
 * and barge, each heard (or not) exactly as it should be.
 */
describe('Agent Assist, and listen, whisper and barge on a live call', () => {
  let server: TestServer;
  let admin: HttpClient;
  before(async () => {
    server = await startTestServer({ media: true });
    admin = await server.signIn('admin');
  });
  after(async () => server?.close());

  const liveCalls = (c: HttpClient) => c.request<LiveCall[]>('GET', '/api/supervision/calls');
  const monitor = (c: HttpClient, id: string, mode: MonitorMode) =>
    c.request<LiveCall>('POST', `/api/supervision/calls/${id}/monitor`, { mode });

  test('the agent asks for help; their team’s manager is told, listens, whispers, barges and leaves', async (t) => {
    const ws = server.workspaceId;
    const { team, campaign, agents } = await buildTeam(server, admin, { kind: 'inbound_voice' });
    const agent = agents[0]?.client;
    assert.ok(agent);
    const manager = async (username: string, teamIds: string[]) => {
      const password = `password-of-${username}`;
      await admin.users(ws).create({ username, displayName: username, role: 'manager', password, teamIds });
      return server.signIn(username, password);
    };
    const boss = await manager('boss-of-team', [team.id]);
    const deputy = await manager('deputy-of-team', [team.id]);
    const stranger = await manager('boss-elsewhere', []);
    const number = '+61290007501';
    await admin.numbers(ws).create({ number, name: 'Supervised line', campaignId: campaign.id });

    const tab = await webAgent(server, agent, AGENT);
    const bossTab = await webAgent(server, boss, SUPERVISOR);
    const bossToolbar = openToolbar(server, boss);
    await agent.setStatus({ kind: 'available' });
    const customer = await webCaller(server, number, CUSTOMER);
    t.after(async () => {
      bossToolbar.rt.stop();
      await customer.close();
      await bossTab.close();
      await tab.close();
      await admin.settings(ws).update({ agentAssistEnabled: false });
    });
    await until(() => customer.state() === 'connected', 'the customer talks to the agent', 15_000);
    const callId = (await callOn(agent))?.id;
    assert.ok(callId);
    const peers = { customer: customer.peer, agent: tab.peer, boss: bossTab.peer };

    // Agent Assist is the workspace's choice.
    await admin.settings(ws).update({ agentAssistEnabled: false });
    await assert.rejects(agent.request('POST', `/api/interactions/${callId}/assist`), {
      code: 'AGENT_ASSIST_OFF',
    });
    await admin.settings(ws).update({ agentAssistEnabled: true });
    await agent.request('POST', `/api/interactions/${callId}/assist`);
    assert.equal((await callOn(agent))?.assistRequested, true, 'the toolbar shows help was asked for');
    await until(
      () => bossToolbar.state().notifications.some((n) => n.text.includes('asks for help')),
      'the manager is told',
    );
    const told = bossToolbar.state().notifications.find((n) => n.text.includes('asks for help'));
    assert.match(told?.text ?? '', new RegExp(`${campaign.name}, Web caller`));

    // Who sees the call: the team's managers and administrators; not a manager of other teams.
    const [seen] = await liveCalls(boss);
    assert.equal(seen?.id, callId);
    assert.ok(seen?.assistRequestedAt, 'the call asking for help is marked');
    assert.equal((await liveCalls(admin)).length, 1);
    assert.deepEqual(await liveCalls(stranger), []);
    await assert.rejects(monitor(stranger, callId, 'listen'), { code: 'NOT_FOUND' });
    await assert.rejects(liveCalls(agent), { code: 'FORBIDDEN_ROLE' });
    await assert.rejects(monitor(deputy, callId, 'listen'), { code: 'VOICE_NOT_CONNECTED' });

    assert.deepEqual(await hearing(peers), { customer: [AGENT], agent: [CUSTOMER], boss: [] }, 'before');
    const listening = await monitor(boss, callId, 'listen');
    assert.deepEqual(listening.monitoredBy?.mode, 'listen');
    assert.equal(listening.assistRequestedAt, undefined, 'a manager joined: the request is answered');
    assert.equal((await callOn(agent))?.assistRequested, undefined);
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT], agent: [CUSTOMER], boss: [CUSTOMER, AGENT] },
      'listen: the manager hears both, nobody hears the manager',
    );
    await monitor(boss, callId, 'whisper');
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT], agent: [CUSTOMER, SUPERVISOR], boss: [CUSTOMER, AGENT] },
      'whisper: only the agent hears the manager',
    );
    await monitor(boss, callId, 'barge');
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT, SUPERVISOR], agent: [CUSTOMER, SUPERVISOR], boss: [CUSTOMER, AGENT] },
      'barge: everyone hears the manager',
    );
    const left = await boss.request<LiveCall>('POST', `/api/supervision/calls/${callId}/monitor/stop`);
    assert.equal(left.monitoredBy, undefined);
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT], agent: [CUSTOMER], boss: [] },
      'the manager left: the call is as before',
    );

    // Whisper again, then the agent ends the call: the manager is off it too.
    await monitor(boss, callId, 'whisper');
    await agent.endInteraction(callId);
    await until(() => customer.state() === 'ended', 'the customer is hung up');
    assert.deepEqual(await liveCalls(boss), []);
    const kinds = (await admin.interaction(ws, callId)).timeline.map(
      (x) => `${x.kind}${x.detail?.mode ? `:${x.detail.mode}` : ''}`,
    );
    for (const kind of [
      'call.assistRequested',
      'call.supervised:listen',
      'call.supervised:whisper',
      'call.supervised:barge',
      'call.supervisionEnded',
    ])
      assert.ok(kinds.includes(kind), `${kind} is on the record: ${kinds.join(', ')}`);
  });
});
