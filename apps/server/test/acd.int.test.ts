import assert from 'node:assert/strict';
import { after, before, describe, type TestContext, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import type { PauseReason } from '@parley/contract';
import { ManualClock } from '../src/clock.js';
import { createStore, startTestServer, type TestServer } from './helpers.js';
import { buildTeam, openToolbar, statusName, until } from './toolbar.js';

describe('ACD: agent status, offers, Auto Pause (C1, C2, C3, D2)', () => {
  // Virtual time, shared by the tests; each test has a team, a campaign and agents of its own.
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9));
  let server: TestServer;
  let admin: HttpClient;
  let ws: string;
  let reasons: Map<string, PauseReason>;
  const reason = (name: string) => {
    const r = reasons.get(name);
    assert.ok(r, name);
    return { kind: 'paused' as const, reasonId: r.id };
  };
  /** A team of `count` fresh agents, each with an open toolbar; stopped when the test ends. */
  const team = async (t: TestContext, options: Parameters<typeof buildTeam>[2] = {}) => {
    const built = await buildTeam(server, admin, options);
    const agents = built.agents.map((a) => ({ ...a, toolbar: openToolbar(server, a.client) }));
    t.after(() => {
      for (const a of agents) a.toolbar.rt.stop();
    });
    await until(() => agents.every((a) => a.toolbar.rt.state !== undefined), 'toolbars');
    return { ...built, agents };
  };
  const at = <T>(n: number, list: T[]): T => {
    const a = list[n];
    assert.ok(a, `agent ${n}`);
    return a;
  };

  before(async () => {
    // Virtual time jumps tens of seconds at once while the toolbars sit idle: the realtime
    // heartbeat (checked each real second against this clock) must not take a jump for a dead
    // toolbar. Heartbeats have tests of their own.
    server = await startTestServer({ clock, gateway: { heartbeatTimeoutMs: 24 * 3_600_000 } });
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    reasons = new Map((await admin.pauseReasons(ws).list()).map((r) => [r.name, r]));
  });
  after(async () => server.close());

  test('a status chosen in one toolbar shows in every toolbar of that agent', async (t) => {
    const { agents } = await team(t);
    const { user, password, client, toolbar: a } = at(0, agents);
    const b = openToolbar(server, await server.signIn(user.username, password));
    t.after(() => b.rt.stop());
    await until(
      () => a.rt.state?.agent.status.kind === 'paused' && b.rt.state?.agent.status.kind === 'paused',
      'signed in',
    );
    assert.equal(statusName(a.state()), 'Unavailable', 'a new toolbar starts paused, not Available');
    await client.setStatus({ kind: 'available' });
    await until(
      () => statusName(a.state()) === 'available' && statusName(b.state()) === 'available',
      'available',
    );
    await client.setStatus(reason('Break'));
    await until(() => statusName(a.state()) === 'Break' && statusName(b.state()) === 'Break', 'break');
  });

  test('a contact goes to the longest-idle Available agent; accept, end, choose the next status, wrap', async (t) => {
    const { agents, campaign, wrapCode } = await team(t, { agents: 2 });
    const first = at(0, agents);
    const second = at(1, agents);
    const t1 = first.toolbar;
    const t2 = second.toolbar;
    await second.client.setStatus({ kind: 'available' });
    clock.advance(1000);
    await first.client.setStatus({ kind: 'available' });
    const entry = await admin.enqueueContact(ws, { campaignId: campaign.id, label: 'Chat with Sam' });
    await until(() => t2.state().agent.interactions.length === 1, 'offer to the longest idle');
    assert.equal(t1.state().agent.interactions.length, 0);
    const offer = t2.state().agent.interactions[0];
    assert.equal(offer?.state, 'offered');
    assert.equal(offer?.label, 'Chat with Sam');
    assert.equal(offer?.campaignName, campaign.name);

    await second.client.acceptInteraction(entry.id);
    clock.advance(60_000);
    await second.client.endInteraction(entry.id);
    const during = await second.client.setStatus(reason('After Call Work'));
    assert.equal(during.status.kind, 'available', 'during wrap-up the choice waits');
    assert.deepEqual(during.nextStatus, reason('After Call Work'));
    await assert.rejects(second.client.wrapInteraction(entry.id), { code: 'OUTCOME_REQUIRED' });
    const after = await second.client.wrapInteraction(entry.id, { wrapCodeId: wrapCode.id });
    assert.equal(after.status.kind === 'paused' && after.status.reasonName, 'After Call Work');
    assert.equal(after.interactions.length, 0);
    await until(() => statusName(t2.state()) === 'After Call Work', 'status after wrap on the toolbar');
    const row = await server.database.db
      .selectFrom('queue_entries')
      .select(['state', 'agent_id', 'wrap_code_id'])
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { state: 'done', agent_id: second.user.id, wrap_code_id: wrapCode.id });
  });

  test('not accepted within the Agent Ring Timeout: Auto Pause, and the contact goes back to the head', async (t) => {
    const { agents, campaign } = await team(t, { agents: 2, kind: 'email' });
    const first = at(0, agents);
    const second = at(1, agents);
    const t1 = first.toolbar;
    const t2 = second.toolbar;
    await first.client.setStatus({ kind: 'available' });
    const ana = await admin.enqueueContact(ws, { campaignId: campaign.id, label: 'Email from Ana' });
    clock.advance(1000);
    await admin.enqueueContact(ws, { campaignId: campaign.id, label: 'Email from Bo' });
    await until(() => t1.state().agent.interactions.length === 1, 'offer to the first agent');
    assert.equal(t1.state().agent.interactions[0]?.label, 'Email from Ana');
    const emailQueue = () => t1.state().queues.find((q) => q.campaignName === campaign.name);
    await until(() => emailQueue()?.waiting === 1, 'one email still waiting');

    clock.advance(20_000); // the demo workspace's Agent Ring Timeout
    await until(() => statusName(t1.state()) === 'Auto Pause', 'auto pause');
    const status = t1.state().agent.status;
    assert.equal(status.kind === 'paused' && status.detail, 'Ring timeout: offer not accepted');
    assert.equal(t1.state().agent.interactions.length, 0);
    await until(() => t1.state().notifications.some((n) => n.text.startsWith('Auto Pause')), 'notification');
    await until(() => emailQueue()?.waiting === 2, 'back in the queue');
    assert.equal(emailQueue()?.oldestSince, ana.enqueuedAt, 'at its original place, first in line');

    await second.client.setStatus({ kind: 'available' });
    await until(() => t2.state().agent.interactions.length === 1, 'offer to the second agent');
    assert.equal(
      t2.state().agent.interactions[0]?.label,
      'Email from Ana',
      'the head of the queue, not the next',
    );
    await second.client.acceptInteraction(ana.id);
  });

  test('agents are offered only what their teams serve, and see only those queues', async (t) => {
    const mine = await team(t);
    const theirs = await team(t);
    const me = at(0, mine.agents);
    const them = at(0, theirs.agents);
    await me.client.setStatus({ kind: 'available' });
    assert.deepEqual(
      me.toolbar.state().queues.map((q) => q.campaignName),
      [mine.campaign.name],
    );
    const other = await admin.enqueueContact(ws, { campaignId: theirs.campaign.id, label: 'Not for me' });
    clock.advance(5000);
    // The barrier: a contact of my own team queued after it. When it reaches me, the ACD has
    // dispatched with both in the queue.
    const own = await admin.enqueueContact(ws, { campaignId: mine.campaign.id, label: 'For me' });
    await until(() => me.toolbar.state().agent.interactions.length > 0, 'my own team’s contact');
    assert.deepEqual(
      me.toolbar.state().agent.interactions.map((i) => i.id),
      [own.id],
    );
    // The other contact was offerable: the other team's agent gets it.
    await them.client.setStatus({ kind: 'available' });
    await until(() => them.toolbar.state().agent.interactions.length > 0, 'the other team’s contact');
    assert.deepEqual(
      them.toolbar.state().agent.interactions.map((i) => i.id),
      [other.id],
    );
    assert.deepEqual(
      me.toolbar.state().agent.interactions.map((i) => i.id),
      [own.id],
    );
  });

  test('a pause reason from another workspace, or a wrong step, is refused with a stable code', async (t) => {
    const { client } = at(0, (await team(t)).agents);
    await assert.rejects(client.setStatus({ kind: 'paused', reasonId: crypto.randomUUID() }), {
      code: 'VALIDATION_FAILED',
    });
    await assert.rejects(client.acceptInteraction(crypto.randomUUID()), { code: 'NOT_FOUND' });
    await assert.rejects(client.wrapInteraction('not-a-uuid'), { code: 'VALIDATION_FAILED' });
  });

  test('time in each state per agent is queryable for reports', async (t) => {
    const { agents } = await team(t);
    const { user, client } = at(0, agents);
    const t0 = clock.now().getTime();
    const iso = (ms: number) => new Date(t0 + ms).toISOString();
    clock.advance(5_000);
    await client.setStatus({ kind: 'available' });
    clock.advance(30_000);
    await client.setStatus(reason('Break'));
    clock.advance(45_000);
    await client.setStatus({ kind: 'available' });
    clock.advance(10_000); // now t0 + 90 s, still Available
    const seconds = async (from: string, to: string) =>
      (await admin.agentTimeReport(ws, from, to)).find((r) => r.userId === user.id)?.seconds;
    assert.deepEqual(await seconds(iso(-3_600_000), iso(3_600_000)), {
      Unavailable: 5,
      Available: 40,
      Break: 45,
    });
    // A window cuts the states at its edges: 20 s to 60 s holds 15 s Available, 25 s of Break.
    assert.deepEqual(await seconds(iso(20_000), iso(60_000)), { Available: 15, Break: 25 });
    await assert.rejects(client.agentTimeReport(ws, iso(0), iso(1000)), { code: 'FORBIDDEN_ROLE' });
  });

  test('time with a contact is not time Available: the report counts ringing, chatting and wrapping apart', async (t) => {
    const { agents, campaign, wrapCode } = await team(t);
    const { user, client, toolbar } = at(0, agents);
    const t0 = clock.now().getTime();
    const iso = (ms: number) => new Date(t0 + ms).toISOString();
    await client.setStatus({ kind: 'available' });
    clock.advance(10_000);
    const entry = await admin.enqueueContact(ws, { campaignId: campaign.id, label: 'Chat with Kim' });
    await until(() => toolbar.state().agent.interactions[0]?.state === 'offered', 'the offer');
    clock.advance(3_000);
    await client.acceptInteraction(entry.id);
    clock.advance(60_000);
    await client.endInteraction(entry.id);
    clock.advance(20_000);
    await client.wrapInteraction(entry.id, { wrapCodeId: wrapCode.id });
    clock.advance(7_000);
    await until(() => toolbar.state().agent.interactions.length === 0, 'wrapped');
    const row = (await admin.agentTimeReport(ws, iso(0), iso(100_000))).find((r) => r.userId === user.id);
    assert.deepEqual(row?.seconds, { Available: 17, Ringing: 3, Chatting: 60, Wrapping: 20 });
    // The toolbar's status timer counts Available from the end of wrap-up, not from before the chat.
    assert.equal(toolbar.state().agent.since, iso(93_000));
  });
});

describe('ACD durability', () => {
  test('after a restart queued contacts keep their order and time, and agents come back paused', async () => {
    const store = await createStore();
    const first = await startTestServer({ store });
    const admin = await first.signIn('admin');
    const ws = first.workspaceId;
    const chat = (await admin.campaigns(ws).list()).find((c) => c.name === 'Web Chat');
    assert.ok(chat);
    const agent = await first.signIn('agent2');
    const t = openToolbar(first, agent);
    await until(() => t.rt.state !== undefined, 'toolbar');
    const breakReason = (await admin.pauseReasons(ws).list())[0];
    assert.ok(breakReason);
    await agent.setStatus({ kind: 'paused', reasonId: breakReason.id });
    const queued = [];
    for (const label of ['First', 'Second', 'Third']) {
      queued.push(await admin.enqueueContact(ws, { campaignId: chat.id, label }));
    }
    await agent.setStatus({ kind: 'available' }); // takes all three chats (capacity 5)...
    await until(() => t.state().agent.interactions.length === 3, 'three offers');
    t.rt.stop();
    await first.close({ keepData: true });

    const second = await startTestServer({ store });
    try {
      const again = await second.signIn('agent2');
      const t2 = openToolbar(second, again);
      await until(() => t2.rt.state !== undefined, 'toolbar after restart');
      const status = t2.state().agent.status;
      assert.equal(status.kind === 'paused' && status.reasonName, 'Unavailable');
      assert.equal(status.kind === 'paused' && status.detail, 'Server restarted');
      const q = t2.state().queues.find((x) => x.campaignName === 'Web Chat');
      assert.equal(q?.waiting, 3, 'offers in flight went back to the queue');
      assert.equal(q?.oldestSince, queued[0]?.enqueuedAt);
      await again.setStatus({ kind: 'available' });
      await until(() => t2.state().agent.interactions.length === 3, 'offered again');
      assert.deepEqual(
        t2.state().agent.interactions.map((i) => i.label),
        ['First', 'Second', 'Third'],
      );
      t2.rt.stop();
    } finally {
      await second.close();
    }
  });
});
