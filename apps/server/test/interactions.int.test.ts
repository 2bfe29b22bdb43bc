import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError, type HttpClient } from '@parley/client';
import { ManualClock } from '../src/clock.js';
import { startTestServer, type TestServer } from './helpers.js';
import { buildTeam, openToolbar, until } from './toolbar.js';

describe('interaction records: timeline, outcome, who may see them (D5, Q)', () => {
  // Virtual time: each step happens at a moment the test chose, so the order of records is known.
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9));
  let server: TestServer;
  let admin: HttpClient;
  let manager: HttpClient;
  let ws: string;

  before(async () => {
    // Virtual time jumps tens of seconds at once while the toolbars sit idle: the realtime
    // heartbeat (checked each real second against this clock) must not take a jump for a dead
    // toolbar. Heartbeats have tests of their own.
    server = await startTestServer({ clock, gateway: { heartbeatTimeoutMs: 24 * 3_600_000 } });
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    manager = await server.signIn('manager');
  });
  after(async () => server.close());

  test('a chat from queue to wrap leaves its timeline and outcome in the record', async () => {
    const { campaign, wrapCode, agents } = await buildTeam(server, admin, {
      agents: 2,
      script:
        'Hi, {agent.name} of {campaign.name} here ({interaction.id}); call {customer.phone}? {customer.name}',
    });
    const [me, other] = agents;
    assert.ok(me && other);
    const entry = await admin.enqueueContact(ws, { campaignId: campaign.id, label: 'Chat with Kim' });
    const toolbar = openToolbar(server, me.client);
    try {
      await until(() => toolbar.rt.state?.agent.status.kind === 'paused', 'toolbar connected');
      await me.client.setStatus({ kind: 'available' });
      await until(() => toolbar.state().agent.interactions.some((x) => x.id === entry.id), 'offered');
      clock.advance(1000);
      await me.client.acceptInteraction(entry.id);
      const panel = await me.client.interactionPanel(entry.id);
      assert.equal(panel.callType, 'Chat');
      assert.equal(panel.campaignName, campaign.name);
      assert.equal(panel.acceptedAt, clock.now().toISOString(), 'talking time starts at the accept');
      assert.equal(panel.endedAt, null);
      // The server fills the fields it knows; a chat has no phone (empty); an unknown name stays.
      assert.equal(
        panel.script,
        `Hi, ${me.user.displayName} of ${campaign.name} here (${entry.id}); call ? {customer.name}`,
      );
      assert.deepEqual(
        panel.wrapCodes.map((w) => w.id),
        [wrapCode.id],
      );
      await me.client.saveInteractionNotes(entry.id, { notes: 'Wants a refund', transferNotes: 'VIP' });
      assert.equal((await me.client.interactionPanel(entry.id)).notes, 'Wants a refund');
      await assert.rejects(
        other.client.interactionPanel(entry.id),
        (e: unknown) => e instanceof ApiError && e.status === 404,
        'another agent cannot read it',
      );
      await me.client.endInteraction(entry.id);
      await assert.rejects(me.client.wrapInteraction(entry.id), { code: 'OUTCOME_REQUIRED' });
      await me.client.wrapInteraction(entry.id, { wrapCodeId: wrapCode.id });
    } finally {
      toolbar.rt.stop();
    }
    // The timeline is written just after each step is published.
    let record = await admin.interaction(ws, entry.id);
    for (let i = 0; i < 250 && record.timeline.length < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      record = await admin.interaction(ws, entry.id);
    }
    assert.equal(record.state, 'done');
    assert.equal(record.outcome, wrapCode.name);
    assert.equal(record.notes, 'Wants a refund', 'the agent’s notes are in the record');
    assert.equal(record.transferNotes, 'VIP');
    assert.equal(record.endedBy, 'agent');
    assert.equal(record.agentName, me.user.displayName);
    assert.deepEqual(
      record.timeline.map((t) => t.kind),
      [
        'interaction.queued',
        'interaction.offered',
        'interaction.accepted',
        'interaction.ended',
        'interaction.wrapped',
      ],
    );
    assert.deepEqual(record.timeline.at(-1)?.detail, { wrapCodeId: wrapCode.id });
    const listed = await admin.interactions(ws, { campaignId: campaign.id, state: 'done' });
    assert.deepEqual(
      listed.map((i) => i.id),
      [entry.id],
    );
  });

  test('managers see only their teams’ campaigns; agents see no records', async () => {
    const team = await admin.teams(ws).create({ name: 'Night Shift' });
    const night = await admin.campaigns(ws).create({ name: 'Night Chat', kind: 'chat', teamIds: [team.id] });
    const entry = await admin.enqueueContact(ws, { campaignId: night.id, label: 'Chat at night' });
    const webChat = (await admin.campaigns(ws).list()).find((c) => c.name === 'Web Chat');
    assert.ok(webChat, 'the demo manager’s team serves Web Chat');
    const ours = await admin.enqueueContact(ws, { campaignId: webChat.id, label: 'Chat by day' });
    assert.ok(
      (await admin.interactions(ws)).some((i) => i.id === entry.id),
      'administrators see all',
    );
    const managerSees = (await manager.interactions(ws)).map((i) => i.id);
    assert.ok(managerSees.includes(ours.id), 'the manager’s own team’s record');
    assert.ok(!managerSees.includes(entry.id), 'not the manager’s team');
    assert.equal((await manager.interaction(ws, ours.id)).id, ours.id);
    await assert.rejects(
      manager.interaction(ws, entry.id),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
    const { agents } = await buildTeam(server, admin);
    await assert.rejects(
      (agents[0] as { client: HttpClient }).client.interactions(ws),
      (e: unknown) => e instanceof ApiError && e.code === 'FORBIDDEN_ROLE',
    );
  });

  test('records are listed newest first, as many as asked for', async () => {
    const { campaign } = await buildTeam(server, admin, { agents: 0 });
    const made: string[] = [];
    for (const label of ['First', 'Second', 'Third']) {
      made.push((await admin.enqueueContact(ws, { campaignId: campaign.id, label })).id);
      clock.advance(60_000);
    }
    const newestFirst = [...made].reverse();
    assert.deepEqual(
      (await admin.interactions(ws, { campaignId: campaign.id })).map((i) => i.id),
      newestFirst,
    );
    assert.deepEqual(
      (await admin.interactions(ws, { campaignId: campaign.id, limit: '2' })).map((i) => i.id),
      newestFirst.slice(0, 2),
    );
    // A limit out of range is refused with its reason.
    await assert.rejects(admin.interactions(ws, { limit: '501' }), { code: 'VALIDATION_FAILED' });
    await assert.rejects(admin.interactions(ws, { limit: '0' }), { code: 'VALIDATION_FAILED' });
  });
});
