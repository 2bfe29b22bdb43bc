import assert from 'node:assert/strict';
import { after, before, describe, type TestContext, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import {
  type AgentState,
  type Callback,
  type ConvertCampaign,
  DEFAULT_LEAD_RULES,
  type LeadSummary,
} from '@parley/contract';
import { ManualClock } from '../src/clock.js';
import { startTestServer, type TestServer } from './helpers.js';
import { seedLeads } from './leads.js';
import { buildTeam, until } from './toolbar.js';
import { callOn, toolbarShows, webAgent, webCaller } from './web-parties.js';

const AGENT = 1000;
const CUSTOMER = 700;
const ALL_DAY = { from: '00:00', to: '00:00', days: [1, 2, 3, 4, 5, 6, 7] };

/** An inbound campaign and a preview campaign on one team, with leads; agents on Web Connect. */
async function leadsSetUp(server: TestServer, admin: HttpClient, t: TestContext, agents = 2) {
  const ws = server.workspaceId;
  const team = await buildTeam(server, admin, { kind: 'inbound_voice', agents });
  const outbound = await admin.campaigns(ws).create({
    name: `Renewals ${crypto.randomUUID().slice(0, 6)}`,
    kind: 'outbound_preview',
    teamIds: [team.team.id],
    script: 'Renewal for {lead.First name}',
    leadRules: { ...DEFAULT_LEAD_RULES, callingHours: ALL_DAY },
  });
  const sale = await admin.wrapCodes(ws, outbound.id).create({ name: 'Renewed', completesLead: true });
  const [mia, noah] = await seedLeads(server.database.db, { id: outbound.id, workspaceId: ws }, [
    { fields: { 'First name': 'Mia', 'Last name': 'Wong' }, numbers: [['Mobile', '+61298765432']] },
    { fields: { 'First name': 'Noah', 'Last name': 'Reid' }, numbers: [['Mobile', '+61298765433']] },
  ]);
  assert.ok(mia && noah);
  const clients = team.agents.map((a) => a.client);
  const tabs = await Promise.all(clients.map((c, i) => webAgent(server, c, AGENT + i)));
  t.after(() => Promise.all(tabs.map((tab) => tab.close())));
  const [reason] = await admin.pauseReasons(ws).list();
  assert.ok(reason);
  for (const c of clients) await c.setStatus({ kind: 'paused', reasonId: reason.id });
  return { ws, team, outbound, sale, mia, noah, clients, reasonId: reason.id };
}

/**
 * The agent's own view of leads: the Lead Manager (G6) finds a lead by name or by a number as
 * written and makes it the next contact; Callbacks (G7) lists personal and campaign callbacks and
 * announces a due personal one once; Convert to Outbound (I7) turns a live inbound call into an
 * interaction of a lead found by its number, wrapped with the lead's campaign's outcomes.
 */
describe('Lead Manager and Callbacks (virtual time)', () => {
  let server: TestServer;
  let admin: HttpClient;
  const clock = new ManualClock(Date.now());
  before(async () => {
    server = await startTestServer({ media: true, clock });
    admin = await server.signIn('admin');
  });
  after(async () => server?.close());
  const setUp = (t: TestContext, agents?: number) => leadsSetUp(server, admin, t, agents);

  test('the Lead Manager finds a lead by name or number and makes it the next contact; another agent may not take it', async (t) => {
    const { clients, mia, outbound } = await setUp(t);
    const [a, b] = clients;
    assert.ok(a && b);
    const search = (c: HttpClient, q: string) =>
      c.request<LeadSummary[]>('GET', `/api/leads/search?q=${encodeURIComponent(q)}`);
    assert.deepEqual(
      (await search(a, 'mia')).map((l) => [l.label, l.numbers, l.lastOutcome, l.campaignName]),
      [['Mia Wong', ['+61298765432'], 'New Record', outbound.name]],
    );
    assert.deepEqual(
      (await search(a, '02 9876 5432')).map((l) => l.id),
      [mia],
      'a number as the agent writes it',
    );

    await a.request<AgentState>('POST', `/api/leads/${mia}/choose`);
    assert.equal(await callOn(a), undefined, 'paused: nothing presented yet');
    await assert.rejects(b.request('POST', `/api/leads/${mia}/choose`), { code: 'LEAD_TAKEN' });
    assert.equal((await search(b, 'mia'))[0]?.taken, true);
    await a.setStatus({ kind: 'available' });
    await toolbarShows(a, 'the chosen lead presented', (i) => i?.leadId === mia);
  });

  test('Callbacks: the agent’s personal and the campaign’s, soonest first; a due personal one is announced once', async (t) => {
    const { clients, mia, noah, team } = await setUp(t);
    const [a, b] = clients;
    const aId = team.agents[0]?.user.id;
    assert.ok(a && b && aId);
    const db = server.database.db;
    const now = clock.now().getTime();
    await db
      .updateTable('leads')
      .set({ callback_at: new Date(now + 60_000), callback_owner_id: aId })
      .where('id', '=', mia)
      .execute();
    await db
      .updateTable('leads')
      .set({ callback_at: new Date(now + 3600_000) })
      .where('id', '=', noah)
      .execute();
    const listed = (c: HttpClient) => c.request<Callback[]>('GET', '/api/callbacks');
    assert.deepEqual(
      (await listed(a)).map((c) => [c.label, c.personal, c.due]),
      [
        ['Mia Wong', true, false],
        ['Noah Reid', false, false],
      ],
    );
    assert.deepEqual(
      (await listed(b)).map((c) => c.label),
      ['Noah Reid'],
      'not another agent’s personal callback',
    );

    const announced = async () =>
      (await db.selectFrom('notifications').select('text').where('user_id', '=', aId).execute())
        .map((n) => n.text)
        .filter((text) => text.startsWith('Callback due'));
    // Virtual time moves in steps, each awaiting the due check it set off (the clock's settled()).
    const runFor = async (ms: number) => {
      for (let passed = 0; passed < ms; passed += 5_000) {
        clock.advance(5_000);
        await clock.settled();
      }
    };
    // The due check runs every 15 s: none before 60 s finds the callback due, one by 75 s does.
    await runFor(55_000);
    assert.deepEqual(await announced(), [], 'not due yet');
    await runFor(20_000);
    assert.match((await announced())[0] ?? '', /^Callback due: Mia Wong/);
    assert.equal((await listed(a))[0]?.due, true);
    await runFor(60_000);
    assert.equal((await announced()).length, 1, 'once');
  });
});

describe('Convert to Outbound', () => {
  let server: TestServer;
  let admin: HttpClient;
  before(async () => {
    server = await startTestServer({ media: true });
    admin = await server.signIn('admin');
  });
  after(async () => server?.close());
  const setUp = (t: TestContext, agents?: number) => leadsSetUp(server, admin, t, agents);

  test('Convert to Outbound: a live inbound call becomes the lead’s, found by its number, and wraps with the lead’s outcomes', async (t) => {
    const { ws, team, clients, mia, outbound, sale } = await setUp(t, 1);
    const [a] = clients;
    assert.ok(a);
    // No lead is presented meanwhile (no calling day): the agent is free for the inbound call.
    await admin.campaigns(ws).update(outbound.id, {
      leadRules: { ...DEFAULT_LEAD_RULES, callingHours: { from: '09:00', to: '17:00', days: [] } },
    });
    const number = `+6129000${7700 + Math.floor(Math.random() * 200)}`;
    await admin.numbers(ws).create({ number, name: 'Renewals line', campaignId: team.campaign.id });
    await a.setStatus({ kind: 'available' });
    const customer = await webCaller(server, number, CUSTOMER);
    t.after(() => customer.close());
    await until(() => customer.state() === 'connected', 'the customer talks to the agent', 15_000);
    const call = await callOn(a);
    assert.ok(call);

    await admin.settings(ws).update({ convertToOutbound: 'none' });
    assert.deepEqual(
      await a.request<ConvertCampaign[]>('GET', `/api/interactions/${call.id}/convert/campaigns`),
      [],
    );
    await assert.rejects(a.request('POST', `/api/interactions/${call.id}/convert`, { leadId: mia }), {
      code: 'CONVERT_OFF',
    });
    await admin.settings(ws).update({ convertToOutbound: 'team' });
    const campaigns = await a.request<ConvertCampaign[]>(
      'GET',
      `/api/interactions/${call.id}/convert/campaigns`,
    );
    assert.deepEqual(campaigns, [{ id: outbound.id, name: outbound.name }]);
    const found = await a.request<LeadSummary[]>(
      'GET',
      `/api/interactions/${call.id}/convert/leads?q=0298765432&campaignId=${outbound.id}`,
    );
    assert.deepEqual(
      found.map((l) => l.id),
      [mia],
    );

    await a.request('POST', `/api/interactions/${call.id}/convert`, { leadId: mia });
    const converted = await callOn(a);
    assert.equal(converted?.leadId, mia);
    assert.equal(converted?.campaignId, outbound.id);
    const panel = await a.interactionPanel(call.id);
    assert.equal(panel.script, 'Renewal for Mia');
    assert.equal(panel.lead?.id, mia);
    assert.deepEqual(
      panel.wrapCodes.map((w) => w.name),
      ['Renewed'],
    );
    assert.equal(customer.state(), 'connected', 'the call goes on');

    await a.endInteraction(call.id);
    await a.wrapInteraction(call.id, { wrapCodeId: sale.id });
    const row = await server.database.db
      .selectFrom('leads')
      .select(['done', 'last_outcome', 'reserved_by'])
      .where('id', '=', mia)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { done: true, last_outcome: 'Renewed', reserved_by: null });
    const kinds = (await admin.interaction(ws, call.id)).timeline.map((x) => x.kind);
    assert.ok(kinds.includes('interaction.converted'), kinds.join(', '));
  });
});
