import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError, type HttpClient } from '@parley/client';
import type { Campaign } from '@parley/contract';
import { createStore, startTestServer, type TestServer } from './helpers.js';
import { openToolbar, until } from './toolbar.js';

describe('interaction records: timeline, outcome, who may see them (D5, Q)', () => {
  let server: TestServer;
  let admin: HttpClient;
  let manager: HttpClient;
  let agent1: HttpClient;
  let ws: string;
  let campaigns: Map<string, Campaign>;

  before(async () => {
    server = await startTestServer({ store: await createStore() });
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    manager = await server.signIn('manager');
    agent1 = await server.signIn('agent1');
    campaigns = new Map((await admin.campaigns(ws).list()).map((c) => [c.name, c]));
  });
  after(async () => server.close());

  test('a chat from queue to wrap leaves its timeline and outcome in the record', async () => {
    const chat = campaigns.get('Web Chat');
    assert.ok(chat);
    const [resolved] = await admin.wrapCodes(ws, chat.id).list();
    assert.ok(resolved);
    const entry = await admin.enqueueContact(ws, { campaignId: chat.id, label: 'Chat with Kim' });
    const toolbar = openToolbar(server, agent1);
    await until(() => toolbar.rt.state?.agent.status.kind === 'paused', 'toolbar connected');
    await agent1.setStatus({ kind: 'available' });
    const offered = async () => {
      for (let i = 0; i < 100; i++) {
        const s = await agent1.request<{ interactions: { id: string; state: string }[] }>(
          'GET',
          '/api/agent/state',
        );
        if (s.interactions.some((x) => x.id === entry.id)) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('never offered');
    };
    await offered();
    await agent1.acceptInteraction(entry.id);
    const panel = await agent1.interactionPanel(entry.id);
    assert.equal(panel.callType, 'Chat');
    assert.equal(panel.campaignName, 'Web Chat');
    assert.ok(panel.acceptedAt, 'talking time has a start');
    assert.equal(panel.endedAt, null);
    assert.match(panel.script, /^Hi , thanks for reaching out!$|^Hi \{customer\.name\}/);
    assert.deepEqual(panel.wrapCodes.map((w) => w.id)[0], resolved.id);
    await agent1.saveInteractionNotes(entry.id, { notes: 'Wants a refund', transferNotes: 'VIP' });
    assert.equal((await agent1.interactionPanel(entry.id)).notes, 'Wants a refund');
    await assert.rejects(
      (await server.signIn('agent2')).interactionPanel(entry.id),
      (e: unknown) => e instanceof ApiError && e.status === 404,
      'another agent cannot read it',
    );
    await agent1.endInteraction(entry.id);
    await assert.rejects(agent1.wrapInteraction(entry.id), { code: 'OUTCOME_REQUIRED' });
    await agent1.wrapInteraction(entry.id, { wrapCodeId: resolved.id });
    toolbar.rt.stop();
    // The timeline is written just after each step is published.
    let record = await manager.interaction(ws, entry.id);
    for (let i = 0; i < 100 && record.timeline.length < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      record = await manager.interaction(ws, entry.id);
    }
    assert.equal(record.state, 'done');
    assert.equal(record.outcome, resolved.name);
    assert.equal(record.notes, 'Wants a refund', 'the agent’s notes are in the record');
    assert.equal(record.transferNotes, 'VIP');
    assert.equal(record.endedBy, 'agent');
    assert.equal(record.agentName, 'Ava Agent');
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
    assert.deepEqual(record.timeline.at(-1)?.detail, { wrapCodeId: resolved.id });
    const listed = await manager.interactions(ws, { campaignId: chat.id, state: 'done' });
    assert.deepEqual(
      listed.map((i) => i.id),
      [entry.id],
    );
  });

  test('managers see only their teams’ campaigns; agents see no records', async () => {
    const team = await admin.teams(ws).create({ name: 'Night Shift' });
    const night = await admin.campaigns(ws).create({ name: 'Night Chat', kind: 'chat', teamIds: [team.id] });
    const entry = await admin.enqueueContact(ws, { campaignId: night.id, label: 'Chat at night' });
    assert.ok(
      (await admin.interactions(ws)).some((i) => i.id === entry.id),
      'administrators see all',
    );
    assert.ok(!(await manager.interactions(ws)).some((i) => i.id === entry.id), 'not the manager’s team');
    await assert.rejects(
      manager.interaction(ws, entry.id),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
    await assert.rejects(
      agent1.interactions(ws),
      (e: unknown) => e instanceof ApiError && e.code === 'FORBIDDEN_ROLE',
    );
    // The newest first, as many as asked for; a limit out of range is refused with its reason.
    const all = await admin.interactions(ws);
    assert.ok(all.length >= 2, 'earlier tests left interactions');
    assert.deepEqual(
      (await admin.interactions(ws, { limit: '1' })).map((i) => i.id),
      [all[0]?.id],
    );
    await assert.rejects(admin.interactions(ws, { limit: '501' }), { code: 'VALIDATION_FAILED' });
  });
});
