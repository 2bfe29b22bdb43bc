import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import { startTestServer, type TestServer } from './helpers.js';
import { soxTone } from './sox.js';
import { buildTeam, until } from './toolbar.js';
import { callOn, hearing, toolbarShows, webAgent, webCaller } from './web-parties.js';

/** The tones: the customer, agent A, agent B (consulted), the announcement. */
const CUSTOMER = 700;
const AGENT_A = 1000;
const AGENT_B = 1300;
const ANNOUNCEMENT = 1600;

/**
 * Calls with more than two parties, heard: each party talks with its own tone and the test
 * listens to what each one hears, in every state of the call (who-hears-whom), and checks what
 * the agents' toolbars and the interaction record say.
 */
describe('transfers, consult, conference and announcements (I1, I4, I5, I6): who hears whom', () => {
  let server: TestServer;
  let admin: HttpClient;
  let dir: string;
  let n = 0;
  before(async () => {
    server = await startTestServer({ media: true });
    admin = await server.signIn('admin');
    dir = mkdtempSync(path.join(tmpdir(), 'parley-parties-'));
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two agents (A with the call, B Available) and a customer talking to A. */
  async function callWithTwoAgents(t: { after: (fn: () => unknown) => void }) {
    const ws = server.workspaceId;
    const { campaign, agents } = await buildTeam(server, admin, { kind: 'inbound_voice', agents: 2 });
    const [a, b] = agents.map((x) => x.client);
    assert.ok(a && b);
    const number = `+6129000${7100 + ++n}`;
    await admin.numbers(ws).create({ number, name: `Line ${n}`, campaignId: campaign.id });
    const tabA = await webAgent(server, a, AGENT_A);
    const tabB = await webAgent(server, b, AGENT_B);
    await a.setStatus({ kind: 'available' });
    const customer = await webCaller(server, number, CUSTOMER);
    t.after(async () => {
      await customer.close();
      await tabA.close();
      await tabB.close();
    });
    await until(() => customer.state() === 'connected', 'the customer talks to agent A', 15_000);
    await b.setStatus({ kind: 'available' });
    const callId = (await callOn(a))?.id;
    assert.ok(callId);
    const bUser = agents[1]?.user;
    assert.ok(bUser);
    return { ws, campaign, a, b, bUser, tabA, tabB, customer, callId };
  }

  /** A steady 1600 Hz announcement of `seconds`, uploaded to the campaign (a sox-made WAV). */
  async function announcement(ws: string, campaignId: string, seconds: number) {
    const file = path.join(dir, `announcement-${seconds}.wav`);
    // About as loud as the parties' own tones, so the conversation is heard under it.
    soxTone(file, { hz: ANNOUNCEMENT, seconds, volume: 0.25 });
    return admin.announcements(ws, campaignId).upload('Terms and conditions', readFileSync(file));
  }

  test('consult, switch lines, Merge Lines, an announcement, then A leaves the conference: every state heard', async (t) => {
    const { ws, campaign, a, b, bUser, tabA, tabB, customer, callId } = await callWithTwoAgents(t);
    const peers = { customer: customer.peer, a: tabA.peer, b: tabB.peer };
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT_A], a: [CUSTOMER], b: [] },
      'A and the customer talk',
    );

    // Transfer targets: B only (A does not list themself).
    assert.deepEqual(
      (await a.transferAgents()).map((x) => x.id),
      [bUser.id],
    );

    await a.consultCall(callId, { type: 'agent', userId: bUser.id });
    await toolbarShows(
      a,
      'the consult',
      (i) => i?.consult?.state === 'connected' && i.consult.active === 'consulted',
    );
    assert.equal((await callOn(a))?.consult?.label, bUser.displayName);
    assert.equal(customer.state(), 'held', 'the customer is told they wait');
    assert.deepEqual(
      await hearing(peers),
      { customer: [], a: [AGENT_B], b: [AGENT_A] },
      'consulting: the customer hears music only; A and B hear each other',
    );
    const bCall = await callOn(b);
    assert.equal(bCall?.state, 'busy', 'B has the consult on their toolbar');

    await a.switchConsultLine(callId, 'customer');
    await toolbarShows(a, 'the customer line', (i) => i?.consult?.active === 'customer');
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT_A], a: [CUSTOMER], b: [] },
      'back on the customer line: B waits with music',
    );
    await a.switchConsultLine(callId, 'consulted');
    assert.deepEqual(await hearing(peers), { customer: [], a: [AGENT_B], b: [AGENT_A] }, 'and back to B');

    await a.mergeConsult(callId);
    await toolbarShows(a, 'the conference', (i) => i?.consult?.active === 'conference');
    assert.equal(customer.state(), 'connected');
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT_A, AGENT_B], a: [CUSTOMER, AGENT_B], b: [CUSTOMER, AGENT_A] },
      'merged: everyone hears everyone else',
    );
    await assert.rejects(a.holdCall(callId, true), { code: 'INTERACTION_STATE' });

    const file = await announcement(ws, campaign.id, 4);
    await a.playAnnouncement(callId, file.id);
    assert.equal((await callOn(a))?.announcement, 'Terms and conditions');
    await assert.rejects(a.playAnnouncement(callId, file.id), { code: 'INTERACTION_STATE' });
    assert.deepEqual(
      await hearing(peers),
      {
        customer: [AGENT_A, AGENT_B, ANNOUNCEMENT],
        a: [CUSTOMER, AGENT_B, ANNOUNCEMENT],
        b: [CUSTOMER, AGENT_A, ANNOUNCEMENT],
      },
      'the announcement: heard by every party over the conversation',
    );
    await toolbarShows(a, 'the announcement over', (i) => i !== undefined && i.announcement === undefined);
    assert.deepEqual(
      (await hearing(peers)).customer,
      [AGENT_A, AGENT_B],
      'the conversation resumes without it',
    );

    await a.leaveConference(callId);
    assert.equal((await callOn(a))?.state, 'wrapping', 'A wraps up');
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT_B], a: [], b: [CUSTOMER] },
      'A left: the customer and B talk on',
    );
    // B has the call now: their own controls work on it.
    const bId = (await callOn(b))?.id;
    assert.ok(bId);
    await b.holdCall(bId, true);
    assert.deepEqual((await hearing(peers)).customer, [], 'held by B: music');
    await b.holdCall(bId, false);

    await b.endInteraction(bId);
    await until(() => customer.state() === 'ended', 'the customer is hung up when B ends the call');

    const kinds = (await admin.interaction(ws, callId)).timeline.map((x) => x.kind);
    for (const kind of [
      'call.consultStarted',
      'call.linesSwitched',
      'call.merged',
      'call.announcementPlayed',
      'call.left',
    ])
      assert.ok(kinds.includes(kind), `${kind} is on the record: ${kinds.join(', ')}`);
  });

  test('the customer hangs up a plain call: the agent goes to wrap-up, and B was never involved', async (t) => {
    const { a, b, customer, callId } = await callWithTwoAgents(t);
    customer.hangUp();
    await toolbarShows(a, 'wrap-up', (i) => i?.id === callId && i.state === 'wrapping');
    assert.equal(await callOn(b), undefined);
  });

  test('blind transfer to an agent with notes: B gets the customer and the notes, A wraps', async (t) => {
    const { ws, a, b, bUser, tabA, tabB, customer, callId } = await callWithTwoAgents(t);
    const peers = { customer: customer.peer, a: tabA.peer, b: tabB.peer };
    await a.transferCall(callId, {
      type: 'agent',
      userId: bUser.id,
      notes: 'Wants the March invoice resent',
    });
    assert.equal((await callOn(a))?.state, 'wrapping');
    const bCall = await callOn(b);
    assert.equal(bCall?.state, 'busy');
    assert.ok(bCall?.transferredBy, 'B sees who transferred the call');
    assert.deepEqual(await hearing(peers), { customer: [AGENT_B], a: [], b: [CUSTOMER] });
    const panel = await b.interactionPanel(bCall.id);
    assert.equal(panel.transferNotes, 'Wants the March invoice resent');
    const record = await admin.interaction(ws, callId);
    const transferred = record.timeline.find((x) => x.kind === 'call.transferred');
    assert.deepEqual(transferred?.detail, { target: 'agent', to: bUser.displayName });
    await b.endInteraction(bCall.id);
    await until(() => customer.state() === 'ended', 'the customer is hung up');
  });

  test('failures keep the customer: an unavailable agent, the consulted agent hanging up, the customer hanging up during a consult', async (t) => {
    const { a, b, bUser, tabA, tabB, customer, callId } = await callWithTwoAgents(t);
    const peers = { customer: customer.peer, a: tabA.peer, b: tabB.peer };

    const [reason] = await admin.pauseReasons(server.workspaceId).list();
    assert.ok(reason);
    await b.setStatus({ kind: 'paused', reasonId: reason.id });
    await assert.rejects(a.transferCall(callId, { type: 'agent', userId: bUser.id }), {
      code: 'AGENT_UNAVAILABLE',
    });
    assert.equal((await callOn(a))?.consult, undefined, 'nothing is left ringing');
    assert.deepEqual(await hearing(peers), { customer: [AGENT_A], a: [CUSTOMER], b: [] }, 'still with A');

    await b.setStatus({ kind: 'available' });
    await a.consultCall(callId, { type: 'agent', userId: bUser.id });
    const bId = (await callOn(b))?.id;
    assert.ok(bId);
    await b.endInteraction(bId);
    await toolbarShows(a, 'the consult over', (i) => i?.consult === undefined);
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT_A], a: [CUSTOMER], b: [] },
      'B hung up: A is back with the customer',
    );

    await b.wrapInteraction(bId, { wrapCodeId: await firstWrapCode(b, bId) });
    await b.setStatus({ kind: 'available' });
    await a.consultCall(callId, { type: 'agent', userId: bUser.id });
    customer.hangUp();
    await toolbarShows(
      a,
      'the consult going on',
      (i) => i?.state === 'busy' && i.consult?.active === 'consulted',
    );
    assert.deepEqual(
      await hearing({ a: tabA.peer, b: tabB.peer }),
      { a: [AGENT_B], b: [AGENT_A] },
      'the customer hung up during the consult: A and B still talk',
    );
    // B hangs up: A is left alone, so the call is over and A goes to wrap-up too.
    const bAgain = (await callOn(b))?.id;
    assert.ok(bAgain);
    await b.endInteraction(bAgain);
    await toolbarShows(a, 'A in wrap-up once B hung up', (i) => i?.id === callId && i.state === 'wrapping');
  });

  test('assisted transfer: A stays with the caller through the workflow and the queue, announces the call to B, then leaves it to B', async (t) => {
    const { ws, campaign, a, b, tabA, tabB, customer, callId } = await callWithTwoAgents(t);
    const peers = { customer: customer.peer, a: tabA.peer, b: tabB.peer };
    const [reason] = await admin.pauseReasons(ws).list();
    assert.ok(reason);
    await b.setStatus({ kind: 'paused', reasonId: reason.id });
    const flow = await admin.workflows(ws).create({
      name: `Billing desk ${campaign.name}`,
      definition: {
        start: 'hello',
        nodes: {
          hello: { type: 'play', prompt: 'welcome-menu', next: 'queue' },
          queue: { type: 'queue', campaignId: campaign.id },
        },
      },
    });
    const waitingNow = () => admin.interactions(ws, { campaignId: campaign.id, state: 'waiting' });
    const queuedAgain = async () => {
      for (const end = Date.now() + 15_000; Date.now() < end; ) {
        if ((await waitingNow()).length === 1) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await a.consultCall(callId, { type: 'workflow', workflowId: flow.id });
    assert.deepEqual((await callOn(a))?.consult, { label: flow.name, state: 'ringing', active: 'customer' });
    await queuedAgain();
    // A gives it up while the caller waits: the queued interaction goes, A keeps the caller.
    await a.hangUpConsult(callId);
    await toolbarShows(a, 'the assisted transfer given up', (i) => i?.consult === undefined);
    assert.deepEqual(await waitingNow(), [], 'nothing is left in the queue');

    await a.consultCall(callId, { type: 'workflow', workflowId: flow.id });
    // The workflow queues the caller: a new interaction waits; A and the caller still talk.
    await queuedAgain();
    const [waiting] = await waitingNow();
    assert.ok(waiting, 'the caller waits in the queue');
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT_A], a: [CUSTOMER], b: [] },
      'in the queue: A stays with the caller',
    );

    await b.setStatus({ kind: 'available' });
    await toolbarShows(a, 'B on the second line', (i) => i?.consult?.state === 'connected');
    assert.equal((await callOn(b))?.id, waiting.id, 'B took the queued call');
    assert.deepEqual(
      await hearing(peers),
      { customer: [], a: [AGENT_B], b: [AGENT_A] },
      'A announces the call to B; the caller hears music',
    );
    await a.leaveConference(callId);
    assert.equal((await callOn(a))?.state, 'wrapping');
    assert.deepEqual(
      await hearing(peers),
      { customer: [AGENT_B], a: [], b: [CUSTOMER] },
      'A left: the caller talks to B',
    );
    await b.endInteraction(waiting.id);
    await until(() => customer.state() === 'ended', 'the customer is hung up when B ends the call');
  });

  async function firstWrapCode(c: HttpClient, interactionId: string): Promise<string> {
    const panel = await c.interactionPanel(interactionId);
    const id = panel.wrapCodes[0]?.id;
    assert.ok(id, 'the campaign has an outcome');
    return id;
  }
});
