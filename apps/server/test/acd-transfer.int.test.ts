import assert from 'node:assert/strict';
import { after, before, describe, type TestContext, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import type { AgentState, ConsultLine, PauseReason } from '@parley/contract';
import { AcdService, type DirectedOffer } from '../src/agents/acd.service.js';
import { ManualClock } from '../src/clock.js';
import {
  createStore,
  raw,
  startTestServer,
  TEST_DB,
  type TestServer,
  type TestServerOptions,
} from './helpers.js';
import { buildTeam, openToolbar, statusName, until } from './toolbar.js';

/**
 * The server with its ACD in hand: tests report an agent's voice connection as the media role
 * does (acd.setVoice) and transfer as call control does (acd.offerTo), without SIP or WebRTC.
 */
async function startWithAcd(options: TestServerOptions): Promise<{ server: TestServer; acd: AcdService }> {
  const start = AcdService.prototype.start;
  let caught: AcdService | undefined;
  AcdService.prototype.start = function (this: AcdService) {
    caught = this;
    return start.call(this);
  };
  try {
    const server = await startTestServer(options);
    assert.ok(caught, 'the server started an ACD');
    return { server, acd: caught };
  } finally {
    AcdService.prototype.start = start;
  }
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

type Agent = Awaited<ReturnType<typeof buildTeam>>['agents'][number] & {
  toolbar: ReturnType<typeof openToolbar>;
};

describe(`ACD side of call transfers: offers to one agent by name, transfer targets, call facts (${TEST_DB})`, () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9));
  let server: TestServer;
  let acd: AcdService;
  let admin: HttpClient;
  let ws: string;
  let breakReason: PauseReason;

  /** A voice team of its own whose agents have open toolbars; stopped when the test ends. */
  const team = async (t: TestContext, agents: number) => {
    const built = await buildTeam(server, admin, { kind: 'inbound_voice', agents });
    const list: Agent[] = built.agents.map((a) => ({ ...a, toolbar: openToolbar(server, a.client) }));
    t.after(() => {
      for (const a of list) a.toolbar.rt.stop();
    });
    await until(() => list.every((a) => a.toolbar.rt.state?.agent.status.kind === 'paused'), 'toolbars');
    return { ...built, agents: list };
  };
  const at = <T>(n: number, list: T[]): T => {
    const x = list[n];
    assert.ok(x, `item ${n}`);
    return x;
  };
  /** Voice connected (as Web Connect reports it), then Available. */
  const ready = async (a: Agent) => {
    await acd.setVoice(a.user.id, ws, 'connected');
    await a.client.setStatus({ kind: 'available' });
    await until(() => a.toolbar.state().agent.voice === 'connected', 'voice on the toolbar');
  };
  const transfer = (to: Agent, campaignId: string, extra: Partial<DirectedOffer> = {}) =>
    acd.offerTo(to.user.id, {
      workspaceId: ws,
      campaignId,
      label: '+61400111222',
      transferredBy: 'Ava Agent',
      ...extra,
    });
  const entry = (id: string) =>
    server.database.db
      .selectFrom('queue_entries')
      .select(['state', 'agent_id', 'ended_by', 'transferred_by', 'transferred_from_id', 'transfer_notes'])
      .where('id', '=', id)
      .executeTakeFirst();
  const timeline = async (id: string) =>
    (
      await server.database.db
        .selectFrom('interaction_events')
        .select(['kind', 'user_id'])
        .where('queue_entry_id', '=', id)
        .execute()
    ).map((e) => `${e.kind} ${e.user_id ?? '-'}`);
  const onToolbar = (a: Agent, id: string) => a.toolbar.state().agent.interactions.find((i) => i.id === id);

  before(async () => {
    // Virtual time jumps by the ring timeout while toolbars sit idle: the heartbeat has its own tests.
    ({ server, acd } = await startWithAcd({ clock, gateway: { heartbeatTimeoutMs: 24 * 3_600_000 } }));
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    const reasons = await admin.pauseReasons(ws).list();
    const found = reasons.find((r) => r.name === 'Break');
    assert.ok(found);
    breakReason = found;
  });
  after(async () => server.close());

  test('a transfer rings the named agent only; not accepted in time: Auto Pause, abandoned, never another agent’s', async (t) => {
    const { agents, campaign } = await team(t, 2);
    const bo = at(0, agents);
    const cy = at(1, agents);
    await ready(cy);
    clock.advance(1000);
    await ready(bo); // cy has waited longest: the router's own choice would be cy
    const { id } = await transfer(bo, campaign.id);
    await until(() => onToolbar(bo, id) !== undefined, 'ringing the named agent');
    assert.equal(onToolbar(bo, id)?.state, 'offered');
    assert.equal(onToolbar(bo, id)?.transferredBy, 'Ava Agent');
    assert.deepEqual(cy.toolbar.state().agent.interactions, [], 'the other Available agent is not rung');
    const queue = () => cy.toolbar.state().queues.find((q) => q.campaignId === campaign.id);
    assert.equal(queue()?.waiting, 0, 'it never waits in the campaign’s queue');

    clock.advance(20_000); // the demo workspace's Agent Ring Timeout
    await until(() => statusName(bo.toolbar.state()) === 'Auto Pause', 'Auto Pause for the named agent');
    await acd.settled();
    await eventually(async () => (await entry(id))?.state === 'abandoned', 'the transfer closed');
    assert.deepEqual(
      { ...(await entry(id)), transferred_from_id: undefined, transfer_notes: undefined },
      {
        state: 'abandoned',
        agent_id: bo.user.id,
        ended_by: 'system',
        transferred_by: 'Ava Agent',
        transferred_from_id: undefined,
        transfer_notes: undefined,
      },
    );
    // The barrier: a caller queued now reaches cy, so the router has run with cy Available.
    const next = await admin.enqueueContact(ws, { campaignId: campaign.id, label: 'Next caller' });
    await until(() => cy.toolbar.state().agent.interactions.length > 0, 'the next caller');
    assert.deepEqual(
      cy.toolbar.state().agent.interactions.map((i) => i.id),
      [next.id],
      'the transfer was not put back for anyone else',
    );
    await eventually(async () => (await timeline(id)).length >= 4, 'the timeline');
    assert.deepEqual((await timeline(id)).sort(), [
      `interaction.abandoned ${bo.user.id}`,
      `interaction.offered ${bo.user.id}`,
      'interaction.queued -',
      `interaction.withdrawn ${bo.user.id}`,
    ]);
  });

  test('the named agent pausing while it rings: withdrawn and abandoned, not queued', async (t) => {
    const { agents, campaign } = await team(t, 1);
    const bo = at(0, agents);
    await ready(bo);
    const { id } = await transfer(bo, campaign.id);
    await until(() => onToolbar(bo, id) !== undefined, 'ringing');
    await bo.client.setStatus({ kind: 'paused', reasonId: breakReason.id });
    await acd.settled();
    await eventually(async () => (await entry(id))?.state === 'abandoned', 'the transfer closed');
    assert.equal(statusName(bo.toolbar.state()), 'Break', 'the pause the agent chose, not Auto Pause');
    await eventually(
      async () => (await timeline(id)).includes(`interaction.withdrawn ${bo.user.id}`),
      'withdrawn',
    );
  });

  test('an agent paused, without voice or on another call is AGENT_UNAVAILABLE, and nothing is left waiting', async (t) => {
    const { agents, campaign } = await team(t, 1);
    const bo = at(0, agents);
    const unavailable = { code: 'AGENT_UNAVAILABLE', message: `${bo.user.displayName} is not available` };
    const labels = ['While paused', 'Without voice', 'On another call'];
    await acd.setVoice(bo.user.id, ws, 'connected'); // signed in as Unavailable, voice connected
    await assert.rejects(transfer(bo, campaign.id, { label: 'While paused' }), unavailable);
    await acd.setVoice(bo.user.id, ws, 'none');
    await bo.client.setStatus({ kind: 'available' });
    await assert.rejects(transfer(bo, campaign.id, { label: 'Without voice' }), unavailable);
    assert.equal(statusName(bo.toolbar.state()), 'available', 'refused before any offer: no Auto Pause');
    // Available with voice, but on a call: the database reservation refuses (one call at a time).
    await ready(bo);
    const call = await admin.enqueueContact(ws, { campaignId: campaign.id, label: 'First caller' });
    await until(() => onToolbar(bo, call.id) !== undefined, 'the first caller');
    await bo.client.acceptInteraction(call.id);
    await assert.rejects(transfer(bo, campaign.id, { label: 'On another call' }), unavailable);
    const left = await server.database.db
      .selectFrom('queue_entries')
      .select('label')
      .where('label', 'in', labels)
      .execute();
    assert.deepEqual(left, [], 'no entry of a refused transfer is stored');
    await acd.settled();
    assert.deepEqual(
      bo.toolbar.state().agent.interactions.map((i) => [i.id, i.state]),
      [[call.id, 'busy']],
    );
    await assert.rejects(
      acd.offerTo(crypto.randomUUID(), {
        workspaceId: ws,
        campaignId: campaign.id,
        label: 'x',
        transferredBy: 'A',
      }),
      { code: 'NOT_FOUND' },
    );
  });

  test('accepted: busy with who transferred it, their notes in the panel; ended and wrapped as any call', async (t) => {
    const { agents, campaign, wrapCode } = await team(t, 2);
    const ava = at(0, agents);
    const bo = at(1, agents);
    await ready(ava);
    const first = await admin.enqueueContact(ws, { campaignId: campaign.id, label: '+61400333444' });
    await until(() => onToolbar(ava, first.id) !== undefined, 'the caller rings the first agent');
    await ava.client.acceptInteraction(first.id);
    await ready(bo);
    const { id } = await transfer(bo, campaign.id, {
      label: '+61400333444',
      transferredBy: ava.user.displayName,
      transferredFromEntryId: first.id,
      transferNotes: 'Wants a refund; account 1234',
    });
    await until(() => onToolbar(bo, id) !== undefined, 'ringing the named agent');
    clock.advance(5_000);
    const busy = await bo.client.acceptInteraction(id);
    assert.deepEqual(
      busy.interactions.map((i) => [i.id, i.state, i.transferredBy]),
      [[id, 'busy', ava.user.displayName]],
    );
    const read = await bo.client.request<AgentState>('GET', '/api/agent/state');
    assert.equal(read.interactions[0]?.transferredBy, ava.user.displayName);
    const panel = await bo.client.interactionPanel(id);
    assert.equal(panel.transferNotes, 'Wants a refund; account 1234');
    assert.equal(panel.acceptedAt, clock.now().toISOString());
    const row = await entry(id);
    assert.equal(row?.transferred_from_id, first.id);
    assert.equal(row?.transferred_by, ava.user.displayName);

    const wrapping = await bo.client.endInteraction(id);
    assert.equal(wrapping.interactions[0]?.state, 'wrapping');
    assert.equal(wrapping.interactions[0]?.transferredBy, ava.user.displayName);
    const done = await bo.client.wrapInteraction(id, { wrapCodeId: wrapCode.id });
    assert.deepEqual(done.interactions, []);
    assert.equal((await entry(id))?.state, 'done');
  });

  test('transfer targets: the workspace’s other agents Available with voice and free, by name; signed in only', async (t) => {
    const { agents, campaign } = await team(t, 6);
    const [me, zed, amy, noVoice, paused, ringing] = agents;
    assert.ok(me && zed && amy && noVoice && paused && ringing);
    for (const a of [me, zed, amy, ringing]) await ready(a);
    await noVoice.client.setStatus({ kind: 'available' });
    await acd.setVoice(paused.user.id, ws, 'connected');
    await transfer(ringing, campaign.id); // rung by a transfer: not free for another
    // The display name is what the list shows and sorts by.
    const renamed = `Aaron ${amy.user.displayName}`;
    await admin.users(ws).update(amy.user.id, { displayName: renamed });
    const ours = new Set(agents.map((a) => a.user.id));
    const mine = async () => (await me.client.transferAgents()).filter((a) => ours.has(a.id));
    await eventually(async () => (await mine())[0]?.name === renamed, 'the new name');
    assert.deepEqual(await mine(), [
      { id: amy.user.id, name: renamed },
      { id: zed.user.id, name: zed.user.displayName },
    ]);
    const all = await me.client.transferAgents();
    const names = all.map((a) => a.name);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b)),
      'sorted by name',
    );
    for (const a of all) {
      const s = acd.stateOf(a.id);
      assert.ok(
        s.status.kind === 'available' && s.voice === 'connected' && s.interactions.length === 0,
        a.name,
      );
    }
    assert.deepEqual(
      (await zed.client.transferAgents()).filter((a) => ours.has(a.id)).map((a) => a.id),
      [amy.user.id, me.user.id],
      'another agent sees me, not themselves',
    );

    const menu = {
      start: 'q',
      nodes: { q: { type: 'queue' as const, campaignId: campaign.id } },
    };
    const late = await admin.workflows(ws).create({ name: 'Zz after hours', definition: menu });
    const early = await admin.workflows(ws).create({ name: 'Aa billing', definition: menu });
    const workflows = await me.client.transferWorkflows();
    const stored = await server.database.db
      .selectFrom('workflows')
      .select(['id', 'name'])
      .where('workspace_id', '=', ws)
      .execute();
    assert.deepEqual(
      workflows,
      [...stored].sort((a, b) => a.name.localeCompare(b.name)),
    );
    assert.equal(workflows[0]?.id, early.id);
    assert.equal(workflows.at(-1)?.id, late.id);

    for (const path of ['/api/transfer/agents', '/api/transfer/workflows']) {
      const anonymous = await raw(`${server.url}${path}`);
      assert.equal(anonymous.status, 401, path);
      assert.equal(anonymous.body.error?.code, 'UNAUTHENTICATED');
    }
  });

  test('a second line and an announcement show on the call, are cleared, and end with it', async (t) => {
    const { agents, campaign } = await team(t, 1);
    const bo = at(0, agents);
    await ready(bo);
    const call = await admin.enqueueContact(ws, { campaignId: campaign.id, label: '+61400555666' });
    await until(() => onToolbar(bo, call.id) !== undefined, 'the caller');
    await bo.client.acceptInteraction(call.id);
    const state = async () =>
      (await bo.client.request<AgentState>('GET', '/api/agent/state')).interactions[0];
    const line: ConsultLine = { label: 'Agent Two', state: 'ringing', active: 'consulted' };
    await acd.annotate(bo.user.id, call.id, { consult: line, announcement: 'Privacy notice' });
    assert.deepEqual((await state())?.consult, line);
    assert.equal((await state())?.announcement, 'Privacy notice');
    await until(() => onToolbar(bo, call.id)?.announcement === 'Privacy notice', 'on the toolbar');
    const merged: ConsultLine = { label: 'Agent Two', state: 'connected', active: 'conference' };
    await acd.annotate(bo.user.id, call.id, { consult: merged, announcement: null });
    assert.deepEqual((await state())?.consult, merged);
    assert.equal((await state())?.announcement, undefined);
    await acd.annotate(bo.user.id, call.id, { consult: null });
    assert.equal((await state())?.consult, undefined);
    await until(() => onToolbar(bo, call.id)?.consult === undefined, 'cleared on the toolbar');
    await acd.annotate(bo.user.id, call.id, { consult: line, announcement: 'Hold message' });
    const wrapping = (await bo.client.endInteraction(call.id)).interactions[0];
    assert.equal(wrapping?.state, 'wrapping');
    assert.equal(wrapping?.consult, undefined, 'wrap-up shows no second line');
    assert.equal(wrapping?.announcement, undefined);
  });
});

describe(`transfers across a restart (${TEST_DB})`, () => {
  test('a transfer in conversation still shows who sent it; one still ringing is abandoned, not routed', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 3, 9));
    const store = await createStore();
    const first = await startWithAcd({ store, clock, gateway: { heartbeatTimeoutMs: 24 * 3_600_000 } });
    const ws = first.server.workspaceId;
    const admin = await first.server.signIn('admin');
    const { agents, campaign } = await buildTeam(first.server, admin, { kind: 'inbound_voice', agents: 2 });
    const [bo, cy] = agents;
    assert.ok(bo && cy);
    const toolbars = agents.map((a) => openToolbar(first.server, a.client));
    await until(() => toolbars.every((tb) => tb.rt.state !== undefined), 'toolbars');
    for (const a of agents) {
      await first.acd.setVoice(a.user.id, ws, 'connected');
      await a.client.setStatus({ kind: 'available' });
    }
    const offer = (to: string, label: string) =>
      first.acd.offerTo(to, { workspaceId: ws, campaignId: campaign.id, label, transferredBy: 'Ava Agent' });
    const talking = await offer(bo.user.id, 'Talking');
    await bo.client.acceptInteraction(talking.id);
    const ringing = await offer(cy.user.id, 'Ringing');
    for (const tb of toolbars) tb.rt.stop();
    await first.server.close({ keepData: true });

    const second = await startWithAcd({ store, clock, gateway: { heartbeatTimeoutMs: 24 * 3_600_000 } });
    try {
      const again = await second.server.signIn(bo.user.username, bo.password);
      const state = await again.request<AgentState>('GET', '/api/agent/state');
      assert.deepEqual(
        state.interactions.map((i) => [i.id, i.state, i.transferredBy]),
        [[talking.id, 'busy', 'Ava Agent']],
      );
      const row = await second.server.database.db
        .selectFrom('queue_entries')
        .select(['state', 'ended_by'])
        .where('id', '=', ringing.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { state: 'abandoned', ended_by: 'system' });
    } finally {
      await second.server.close();
    }
  });
});
