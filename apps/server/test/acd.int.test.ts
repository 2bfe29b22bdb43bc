import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import type { Campaign, PauseReason } from '@parley/contract';
import { ManualClock } from '../src/clock.js';
import { createStore, startTestServer, type TestServer } from './helpers.js';
import { openToolbar, statusName, until } from './toolbar.js';

describe('ACD: agent status, offers, Auto Pause (C1, C2, C3, D2)', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let admin: HttpClient;
  let agent1: HttpClient;
  let agent2: HttpClient;
  let agent3: HttpClient;
  let ws: string;
  let reasons: Map<string, PauseReason>;
  let campaigns: Map<string, Campaign>;
  const reason = (name: string) => {
    const r = reasons.get(name);
    assert.ok(r, name);
    return { kind: 'paused' as const, reasonId: r.id };
  };
  const campaign = (name: string) => {
    const c = campaigns.get(name);
    assert.ok(c, name);
    return c.id;
  };

  before(async () => {
    server = await startTestServer({ clock });
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    agent1 = await server.signIn('agent1');
    agent2 = await server.signIn('agent2');
    agent3 = await server.signIn('agent3');
    reasons = new Map((await admin.pauseReasons(ws).list()).map((r) => [r.name, r]));
    campaigns = new Map((await admin.campaigns(ws).list()).map((c) => [c.name, c]));
  });
  after(async () => server.close());

  test('a status chosen in one toolbar shows in every toolbar of that agent', async () => {
    const a = openToolbar(server, agent1);
    const b = openToolbar(server, await server.signIn('agent1'));
    await until(
      () => a.rt.state?.agent.status.kind === 'paused' && b.rt.state?.agent.status.kind === 'paused',
      'signed in',
    );
    assert.equal(statusName(a.state()), 'Unavailable', 'a new toolbar starts paused, not Available');
    await agent1.setStatus({ kind: 'available' });
    await until(
      () => statusName(a.state()) === 'available' && statusName(b.state()) === 'available',
      'available',
    );
    await agent1.setStatus(reason('Break'));
    await until(() => statusName(a.state()) === 'Break' && statusName(b.state()) === 'Break', 'break');
    a.rt.stop();
    b.rt.stop();
  });

  test('a contact goes to the longest-idle Available agent; accept, end, choose the next status, wrap', async () => {
    const t1 = openToolbar(server, agent1);
    const t2 = openToolbar(server, agent2);
    await until(() => t1.rt.state !== undefined && t2.rt.state !== undefined, 'toolbars');
    await agent2.setStatus({ kind: 'available' });
    clock.advance(1000);
    await agent1.setStatus({ kind: 'available' });
    const entry = await admin.enqueueContact(ws, {
      campaignId: campaign('Web Chat'),
      label: 'Chat with Sam',
    });
    await until(() => t2.state().agent.interactions.length === 1, 'offer to agent2');
    assert.equal(t1.state().agent.interactions.length, 0);
    const offer = t2.state().agent.interactions[0];
    assert.equal(offer?.state, 'offered');
    assert.equal(offer?.label, 'Chat with Sam');
    assert.equal(offer?.campaignName, 'Web Chat');

    await agent2.acceptInteraction(entry.id);
    clock.advance(60_000);
    await agent2.endInteraction(entry.id);
    const during = await agent2.setStatus(reason('After Call Work'));
    assert.equal(during.status.kind, 'available', 'during wrap-up the choice waits');
    assert.deepEqual(during.nextStatus, reason('After Call Work'));
    const resolved = (await admin.campaigns(ws).list()).find((c) => c.name === 'Web Chat');
    assert.ok(resolved);
    const outcome = (await admin.wrapCodes(ws, resolved.id).list())[0];
    assert.ok(outcome);
    await assert.rejects(agent2.wrapInteraction(entry.id), { code: 'OUTCOME_REQUIRED' });
    const after = await agent2.wrapInteraction(entry.id, { wrapCodeId: outcome.id });
    assert.equal(after.status.kind === 'paused' && after.status.reasonName, 'After Call Work');
    assert.equal(after.interactions.length, 0);
    await until(() => statusName(t2.state()) === 'After Call Work', 'status after wrap on the toolbar');
    const row = await server.database.db
      .selectFrom('queue_entries')
      .select(['state', 'agent_id', 'wrap_code_id'])
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { state: 'done', agent_id: t2.state().me.id, wrap_code_id: outcome.id });
    t1.rt.stop();
    t2.rt.stop();
    await agent1.setStatus(reason('Break'));
  });

  test('not accepted within the Agent Ring Timeout: Auto Pause, and the contact goes back to the head', async () => {
    const t1 = openToolbar(server, agent1);
    const t2 = openToolbar(server, agent2);
    await until(() => t1.rt.state !== undefined && t2.rt.state !== undefined, 'toolbars');
    await agent2.setStatus(reason('Break'));
    await agent1.setStatus({ kind: 'available' });
    const first = await admin.enqueueContact(ws, {
      campaignId: campaign('Support Email'),
      label: 'Email from Ana',
    });
    clock.advance(1000);
    await admin.enqueueContact(ws, { campaignId: campaign('Support Email'), label: 'Email from Bo' });
    await until(() => t1.state().agent.interactions.length === 1, 'offer to agent1');
    assert.equal(t1.state().agent.interactions[0]?.label, 'Email from Ana');
    const emailQueue = () => t1.state().queues.find((q) => q.campaignName === 'Support Email');
    await until(() => emailQueue()?.waiting === 1, 'one email still waiting');

    clock.advance(20_000); // the demo workspace's Agent Ring Timeout
    await until(() => statusName(t1.state()) === 'Auto Pause', 'auto pause');
    const status = t1.state().agent.status;
    assert.equal(status.kind === 'paused' && status.detail, 'Ring timeout: offer not accepted');
    assert.equal(t1.state().agent.interactions.length, 0);
    await until(() => t1.state().notifications.some((n) => n.text.startsWith('Auto Pause')), 'notification');
    await until(() => emailQueue()?.waiting === 2, 'back in the queue');
    assert.equal(emailQueue()?.oldestSince, first.enqueuedAt, 'at its original place, first in line');

    await agent2.setStatus({ kind: 'available' });
    await until(() => t2.state().agent.interactions.length === 1, 'offer to agent2');
    assert.equal(
      t2.state().agent.interactions[0]?.label,
      'Email from Ana',
      'the head of the queue, not the next',
    );
    await agent2.acceptInteraction(first.id);
    t1.rt.stop();
    t2.rt.stop();
  });

  test('agents are offered only what their teams serve, and see only those queues', async () => {
    const t3 = openToolbar(server, agent3);
    await until(() => t3.rt.state !== undefined, 'toolbar');
    await agent3.setStatus({ kind: 'available' });
    assert.deepEqual(
      t3.state().queues.map((q) => q.campaignName),
      ['Renewals Preview', 'Sales Enquiries', 'Spring Offer'],
    );
    await admin.enqueueContact(ws, { campaignId: campaign('Web Chat'), label: 'Chat nobody on Sales takes' });
    clock.advance(5000);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(t3.state().agent.interactions.length, 0);
    await agent3.setStatus(reason('Lunch'));
    t3.rt.stop();
  });

  test('a pause reason from another workspace, or a wrong step, is refused with a stable code', async () => {
    await assert.rejects(agent1.setStatus({ kind: 'paused', reasonId: crypto.randomUUID() }), {
      code: 'VALIDATION_FAILED',
    });
    await assert.rejects(agent1.acceptInteraction(crypto.randomUUID()), { code: 'NOT_FOUND' });
    await assert.rejects(agent1.wrapInteraction('not-a-uuid'), { code: 'VALIDATION_FAILED' });
  });

  test('time in each state per agent is queryable for reports', async () => {
    const from = new Date(clock.now().getTime() - 3_600_000).toISOString();
    const to = new Date(clock.now().getTime() + 1000).toISOString();
    const report = await admin.agentTimeReport(ws, from, to);
    const a2 = report.find((r) => r.username === 'agent2');
    assert.ok(a2);
    assert.ok((a2.seconds.Available ?? 0) >= 61, JSON.stringify(a2.seconds));
    assert.ok('After Call Work' in a2.seconds);
    const a1 = report.find((r) => r.username === 'agent1');
    assert.ok(a1 && (a1.seconds['Auto Pause'] ?? -1) >= 0);
    await assert.rejects(agent1.agentTimeReport(ws, from, to), { code: 'FORBIDDEN_ROLE' });
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
