import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import { type AgentInteraction, DEFAULT_LEAD_RULES } from '@parley/contract';
import { sippServer } from '../src/sip/uas/sipp-runner.js';
import { Baresip } from './baresip.js';
import { startTestServer, type TestServer } from './helpers.js';
import { seedLeads } from './leads.js';
import { buildTeam } from './toolbar.js';
import { callOn, toolbarShows, webAgent } from './web-parties.js';

const AGENT = 1000;
const PHONE = 700;
const ALL_DAY = { from: '00:00', to: '00:00', days: [1, 2, 3, 4, 5, 6, 7] };

/**
 * Preview dialling (G1-G5): an Available agent is presented the next lead (priority first, due
 * callbacks before all), dials its numbers through the trunk, edits them, and wraps each call with
 * outcomes that act on the number and on the lead: "Complete Phone Number" and "Wrap and continue
 * with Lead", a busy number left to retry, a personal callback, "Wrap Lead" and the next lead.
 */
describe('preview leads: presented, dialled, edited, wrapped', () => {
  let server: TestServer;
  let admin: HttpClient;
  before(async () => {
    server = await startTestServer({ media: true });
    admin = await server.signIn('admin');
  });
  after(async () => server?.close());

  test('a lead’s journey: call, Complete Phone Number and continue, busy, callback, Wrap Lead, the next lead, the callback back first', async (t) => {
    const ws = server.workspaceId;
    const db = server.database.db;
    const { campaign, agents } = await buildTeam(server, admin, {
      kind: 'outbound_preview',
      script: 'Hello {lead.First name}, this is {agent.name}.',
    });
    await admin.campaigns(ws).update(campaign.id, {
      callerId: '+61290007777',
      ringSeconds: 15,
      leadRules: { ...DEFAULT_LEAD_RULES, callingHours: ALL_DAY, retryMinutes: 30 },
    });
    const codes = admin.wrapCodes(ws, campaign.id);
    const completeNumber = await codes.create({ name: 'Complete Phone Number', completesPhoneNumber: true });
    const callBack = await codes.create({ name: 'Call back', schedulesCallback: true });
    const sale = await codes.create({ name: 'Sale', completesLead: true });
    const [mia, noah] = await seedLeads(db, { id: campaign.id, workspaceId: ws }, [
      {
        fields: { 'First name': 'Mia', 'Last name': 'Wong', Plan: 'Gold' },
        numbers: [
          ['Mobile', '+61298765432'],
          ['Home', '+61298765433'],
        ],
        priority: 10,
      },
      { fields: { 'First name': 'Noah', 'Last name': 'Reid' }, numbers: [['Mobile', '+61298765434']] },
    ]);
    assert.ok(mia && noah);
    const phone = await Baresip.withTone(PHONE, { autoAnswer: true, seconds: 60, user: '+61298765432' });
    t.after(() => phone.stop());
    const trunk = await admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', port: phone.sipPort });
    t.after(() => admin.trunks(ws).remove(trunk.id));
    const a = agents[0]?.client;
    assert.ok(a);
    const tab = await webAgent(server, a, AGENT);
    t.after(() => tab.close());

    await a.setStatus({ kind: 'available' });
    await toolbarShows(a, 'Mia presented', (i) => i?.leadId === mia);
    let card = (await callOn(a)) as AgentInteraction;
    assert.equal(card.label, 'Mia Wong');
    assert.equal(card.callType, 'preview');
    let panel = await a.interactionPanel(card.id);
    assert.equal(panel.callType, 'Outbound Preview');
    assert.equal(panel.script, `Hello Mia, this is ${agents[0]?.user.displayName}.`);
    assert.equal(panel.lead?.lastOutcome, 'New Record');
    assert.deepEqual(
      Object.keys(panel.lead?.fields ?? {}),
      ['First name', 'Last name', 'Plan'],
      'in the file’s order',
    );
    assert.deepEqual(
      panel.lead?.numbers.map((n) => [n.label, n.number]),
      [
        ['Mobile', '+61298765432'],
        ['Home', '+61298765433'],
      ],
    );

    // Numbers: add one as typed (read in the country, stored in E.164), edit it, remove it.
    let lead = await a.addLeadNumber(card.id, { number: '(02) 9876 5439', label: 'Work' });
    const added = lead.numbers.find((n) => n.label === 'Work');
    assert.equal(added?.number, '+61298765439');
    assert.ok(added);
    lead = await a.updateLeadNumber(card.id, added.id, { number: '+61 2 9876 5438' });
    assert.equal(lead.numbers.find((n) => n.id === added.id)?.number, '+61298765438');
    await assert.rejects(a.updateLeadNumber(card.id, added.id, { number: 'not a number' }), {
      code: 'NUMBER_INVALID',
    });
    lead = await a.removeLeadNumber(card.id, added.id);
    assert.equal(lead.numbers.length, 2);

    // The mobile answers; the agent hangs up and completes that number only, staying on the lead.
    const [mobile, home] = panel.lead?.numbers ?? [];
    assert.ok(mobile && home);
    await a.dialLead(card.id, mobile.id);
    await toolbarShows(a, 'the mobile answered', (i) => i?.dial?.state === 'answered');
    await assert.rejects(a.dialLead(card.id, home.id), { code: 'INTERACTION_STATE' });
    await a.endInteraction(card.id);
    await phone.waitFor('CALL_CLOSED');
    await a.wrapInteraction(card.id, { wrapCodeId: completeNumber.id, continueWithLead: true });
    await toolbarShows(a, 'Mia again', (i) => i?.leadId === mia && i?.id !== card.id);
    card = (await callOn(a)) as AgentInteraction;
    panel = await a.interactionPanel(card.id);
    assert.deepEqual(
      panel.lead?.numbers.map((n) => [n.label, n.attempts, n.lastOutcome, n.completed]),
      [
        ['Mobile', 1, 'Complete Phone Number', true],
        ['Home', 0, null, false],
      ],
    );
    assert.equal(panel.lead?.lastOutcome, 'Complete Phone Number');
    await assert.rejects(a.dialLead(card.id, mobile.id), (e: { code: string; message: string }) => {
      assert.equal(e.code, 'LEAD_NOT_CALLABLE');
      assert.match(e.message, /complete/);
      return true;
    });

    // Home is busy: told in words; wrapped with a personal callback in an hour, then Wrap Lead.
    const busy = sippServer('uas-busy-486.xml');
    await admin.trunks(ws).update(trunk.id, { port: busy.port });
    await a.dialLead(card.id, home.id);
    await toolbarShows(a, 'busy', (i) => i?.dial?.state === 'failed');
    assert.equal((await callOn(a))?.dial?.reason, 'The line is busy');
    await assert.rejects(a.wrapInteraction(card.id, { wrapCodeId: callBack.id }), {
      code: 'CALLBACK_REQUIRED',
    });
    const at = new Date(Date.now() + 3600_000).toISOString();
    await a.wrapInteraction(card.id, { wrapCodeId: callBack.id, callback: { at, personal: true } });

    // The callback is not due: the next lead is Noah.
    await toolbarShows(a, 'Noah presented', (i) => i?.leadId === noah);
    const row = await db.selectFrom('leads').selectAll().where('id', '=', mia).executeTakeFirstOrThrow();
    assert.equal(row.callback_at?.toISOString(), at);
    assert.equal(row.callback_owner_id, agents[0]?.user.id);
    assert.equal(row.reserved_by, null, 'Mia was let go');
    assert.equal(row.done, false);
    const homeRow = await db
      .selectFrom('lead_numbers')
      .selectAll()
      .where('id', '=', home.id)
      .executeTakeFirstOrThrow();
    assert.equal(homeRow.attempts, 1);
    assert.equal(homeRow.next_call_at, null, 'the callback, not a retry time, says when it is called next');

    // The callback falls due: once Noah is wrapped, Mia comes back first.
    await db
      .updateTable('leads')
      .set({ callback_at: new Date(Date.now() - 1000) })
      .where('id', '=', mia)
      .execute();
    const noahCard = (await callOn(a)) as AgentInteraction;
    // A Manual Call on the lead goes by the same rules: a typed number on the do-not-call list is refused.
    await db.insertInto('do_not_call').values({ workspace_id: ws, number: '+61298765499' }).execute();
    await assert.rejects(a.dialLeadNumber(noahCard.id, 'call me'), { code: 'NUMBER_INVALID' });
    await assert.rejects(
      a.dialLeadNumber(noahCard.id, '02 9876 5499'),
      (e: { code: string; message: string }) =>
        e.code === 'LEAD_NOT_CALLABLE' && /do-not-call/.test(e.message),
    );
    await a.endInteraction(noahCard.id);
    await a.wrapInteraction(noahCard.id, { wrapCodeId: sale.id });
    await toolbarShows(a, 'Mia’s callback', (i) => i?.leadId === mia);
    assert.equal(
      (await db.selectFrom('leads').select('done').where('id', '=', noah).executeTakeFirstOrThrow()).done,
      true,
      'Sale completed Noah',
    );
  });
});
