import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import { sippServer } from '../src/sip/uas/sipp-runner.js';
import { Baresip } from './baresip.js';
import { startTestServer, type TestServer } from './helpers.js';
import { buildTeam, until } from './toolbar.js';
import { callOn, hearing, toolbarShows, webAgent, webCaller } from './web-parties.js';

const CUSTOMER = 700;
const AGENT = 1000;
const PHONE = 1300;

/**
 * Transfers and consults to phones outside (I3, I5) and into a workflow (I4): a real phone
 * (baresip) that answers and talks, SIPp phones that are busy or never answer, the dial plan
 * refusing a number. Every failure leaves the agent talking to the customer, heard.
 */
describe('transfers and consults to numbers and workflows: answered, busy, unanswered, refused', () => {
  let server: TestServer;
  let admin: HttpClient;
  let n = 0;
  before(async () => {
    server = await startTestServer({ media: true, env: { TRANSFER_RING_SECONDS: '5' } });
    admin = await server.signIn('admin');
  });
  after(async () => server?.close());

  /** An agent on Web Connect talking to a customer on the web phone. */
  async function agentWithCustomer(t: { after: (fn: () => unknown) => void }) {
    const ws = server.workspaceId;
    const { campaign, agents } = await buildTeam(server, admin, { kind: 'inbound_voice' });
    const a = agents[0]?.client;
    assert.ok(a);
    const number = `+6129000${7300 + ++n}`;
    await admin.numbers(ws).create({ number, name: `Line ${n}`, campaignId: campaign.id });
    const tab = await webAgent(server, a, AGENT);
    await a.setStatus({ kind: 'available' });
    const customer = await webCaller(server, number, CUSTOMER);
    t.after(async () => {
      await customer.close();
      await tab.close();
    });
    await until(() => customer.state() === 'connected', 'the customer talks to the agent', 15_000);
    const callId = (await callOn(a))?.id;
    assert.ok(callId);
    const peers = { customer: customer.peer, a: tab.peer };
    return { ws, campaign, a, tab, customer, callId, peers };
  }

  const talking = { customer: [AGENT], a: [CUSTOMER] };

  test('consult a phone: it hangs up, back to the customer; consult again, merge, the agent leaves and the two talk on', async (t) => {
    const { ws, a, customer, callId, peers } = await agentWithCustomer(t);
    const phone = await Baresip.withTone(PHONE, { autoAnswer: true, seconds: 60 });
    t.after(() => phone.stop());
    const address = `sip:agent@127.0.0.1:${phone.sipPort}`;

    await a.consultCall(callId, { type: 'number', number: address });
    await toolbarShows(a, 'the consult', (i) => i?.consult?.state === 'connected');
    assert.equal((await callOn(a))?.consult?.label, address);
    assert.deepEqual(await hearing(peers), { customer: [], a: [PHONE] }, 'the agent talks to the phone');
    phone.command('hangup');
    await toolbarShows(a, 'the consult over', (i) => i?.consult === undefined);
    assert.deepEqual(await hearing(peers), talking, 'the phone hung up: back with the customer');

    await a.consultCall(callId, { type: 'number', number: address });
    await toolbarShows(a, 'the second consult', (i) => i?.consult?.state === 'connected');
    await a.mergeConsult(callId);
    assert.deepEqual(await hearing(peers), { customer: [AGENT, PHONE], a: [CUSTOMER, PHONE] }, 'merged');
    await a.leaveConference(callId);
    assert.equal((await callOn(a))?.state, 'wrapping');
    assert.deepEqual(
      await hearing(peers),
      { customer: [PHONE], a: [] },
      'the customer and the phone talk on',
    );
    phone.command('hangup');
    await phone.waitFor('CALL_CLOSED');
    await until(() => customer.state() === 'ended', 'the customer is hung up with the phone');
    const heard = await phone.heard(CUSTOMER);
    assert.ok(heard > 0.5, `the phone heard the customer alone for ${heard.toFixed(1)} s`);
    const kinds = (await admin.interaction(ws, callId)).timeline.map((x) => x.kind);
    for (const kind of ['call.consultStarted', 'call.consultEnded', 'call.merged', 'call.left'])
      assert.ok(kinds.includes(kind), `${kind} on the record: ${kinds.join(', ')}`);
  });

  test('blind transfer to a number: the customer talks to the phone; the agent wraps', async (t) => {
    const { ws, a, customer, callId, peers } = await agentWithCustomer(t);
    const phone = await Baresip.withTone(PHONE, { autoAnswer: true, seconds: 60 });
    t.after(() => phone.stop());
    // A directory contact's number carries their name, for the line and the record.
    await a.transferCall(callId, {
      type: 'number',
      number: `sip:agent@127.0.0.1:${phone.sipPort}`,
      label: 'Duty phone',
    });
    assert.equal((await callOn(a))?.state, 'wrapping');
    assert.deepEqual(await hearing({ customer: peers.customer }), { customer: [PHONE] });
    phone.command('hangup');
    await until(() => customer.state() === 'ended', 'the customer is hung up with the phone');
    const transferred = (await admin.interaction(ws, callId)).timeline.find(
      (x) => x.kind === 'call.transferred',
    );
    assert.deepEqual(transferred?.detail, { target: 'number', to: 'Duty phone' });
  });

  test('busy, no answer and the dial plan: TRANSFER_FAILED or DIAL_PLAN_REFUSED with the reason, the agent still with the customer', async (t) => {
    const { ws, a, callId, peers } = await agentWithCustomer(t);
    const busy = sippServer('uas-busy-486.xml');
    await assert.rejects(
      a.consultCall(callId, { type: 'number', number: `sip:agent@127.0.0.1:${busy.port}` }),
      (e: { code: string; message: string }) => e.code === 'TRANSFER_FAILED' && /busy/.test(e.message),
    );
    assert.equal((await busy.result).status, 0, 'the phone saw INVITE, 486, ACK');
    assert.equal((await callOn(a))?.consult, undefined);
    assert.deepEqual(await hearing(peers), talking, 'busy: still with the customer');

    const silent = sippServer('uas-ring-no-answer.xml');
    await assert.rejects(
      a.transferCall(callId, { type: 'number', number: `sip:agent@127.0.0.1:${silent.port}` }),
      (e: { code: string; message: string }) => e.code === 'TRANSFER_FAILED' && /no answer/.test(e.message),
    );
    const unanswered = await silent.result;
    assert.equal(
      unanswered.status,
      0,
      `INVITE, 180, our CANCEL after the ring time, 487, ACK: ${unanswered.output.slice(-2500)}`,
    );
    assert.equal((await callOn(a))?.state, 'busy', 'the agent keeps the call');
    assert.deepEqual(await hearing(peers), talking, 'no answer: still with the customer');

    await admin.settings(ws).update({
      dialPlan: { defaultCountry: 'AU', allowedPrefixes: ['+614'], blockedPrefixes: [] },
    });
    t.after(() => admin.settings(ws).update({ dialPlan: null }));
    await assert.rejects(a.transferCall(callId, { type: 'number', number: '+61 2 9374 4000' }), {
      code: 'DIAL_PLAN_REFUSED',
    });
    assert.deepEqual(await hearing(peers), talking, 'refused: still with the customer');
    const failed = (await admin.interaction(ws, callId)).timeline.filter(
      (x) => x.kind === 'call.transferFailed',
    );
    assert.equal(failed.length, 3, 'each failure is on the record');
  });

  test('transfer into a workflow: the customer hears its menu and queues again; the agent wraps', async (t) => {
    const { ws, campaign, a, customer, callId } = await agentWithCustomer(t);
    const flow = await admin.workflows(ws).create({
      name: `Back to the queue ${n}`,
      definition: { start: 'queue', nodes: { queue: { type: 'queue', campaignId: campaign.id } } },
    });
    assert.deepEqual(
      (await a.transferWorkflows()).some((w) => w.id === flow.id),
      true,
    );
    await a.transferCall(callId, { type: 'workflow', workflowId: flow.id });
    assert.equal((await callOn(a))?.state, 'wrapping');
    await until(() => customer.state() === 'queued', 'the customer queued again', 10_000);
    const waiting = await admin.interactions(ws, { campaignId: campaign.id, state: 'waiting' });
    assert.equal(waiting.length, 1, 'a new interaction waits for the next agent');
    assert.notEqual(waiting[0]?.id, callId);
    customer.hangUp();
    await until(() => customer.state() === 'ended', 'hung up');
  });

  test('the agent’s browser dies while a consult rings: the customer goes back to the head of the queue, and the record says why', async (t) => {
    const { ws, campaign, a, tab, customer, callId } = await agentWithCustomer(t);
    const silent = sippServer('uas-ring-no-answer.xml');
    const consulting = a.consultCall(callId, {
      type: 'number',
      number: `sip:agent@127.0.0.1:${silent.port}`,
    });
    const refused = assert.rejects(consulting, { code: 'TRANSFER_FAILED' });
    await toolbarShows(a, 'the number ringing', (i) => i?.consult?.state === 'ringing');
    await tab.close();
    await until(() => customer.state() === 'queued', 'the customer queued again', 10_000);
    await refused;
    assert.equal((await silent.result).status, 0, 'the ringing phone was CANCELled');
    const waiting = await admin.interactions(ws, { campaignId: campaign.id, state: 'waiting' });
    assert.equal(waiting.length, 1, 'a new interaction waits');
    const stored = await server.database.db
      .selectFrom('queue_entries')
      .select('priority')
      .where('id', '=', waiting[0]?.id ?? '')
      .executeTakeFirstOrThrow();
    assert.equal(stored.priority, 100, 'at the head of the queue');
    const record = await admin.interaction(ws, callId);
    const requeued = record.timeline.find((x) => x.kind === 'call.requeued');
    assert.match(String(requeued?.detail?.reason), /connection was lost during a transfer/);
    customer.hangUp();
    await until(() => customer.state() === 'ended', 'hung up');
  });
});
