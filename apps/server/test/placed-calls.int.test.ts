import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import { sippServer } from '../src/sip/uas/sipp-runner.js';
import { Baresip } from './baresip.js';
import { startTestServer, type TestServer } from './helpers.js';
import { buildTeam, until } from './toolbar.js';
import { callOn, hearing, toolbarShows, waitingWebAgent, webAgent } from './web-parties.js';
import { tonesIn } from './web-peer.js';

const AGENT = 1000;
const AGENT_B = 1300;
const PHONE = 700;
/** The ringback's two tones (sounds/ringback.wav). */
const RINGBACK = [400, 450];

/**
 * Calls agents place (F1, F3): a Manual Call to a real phone (baresip) that rings, is answered,
 * talks and takes the dial pad's keys; through the workspace's trunk (SIPp as the carrier) with
 * the campaign's caller ID, and every way it can fail, told in words; the agent giving up before
 * the answer; an Agent Call between two agents. Every refusal dials nothing.
 */
describe('placed calls: Manual Call and Agent Call', () => {
  let server: TestServer;
  let admin: HttpClient;
  before(async () => {
    server = await startTestServer({ media: true });
    admin = await server.signIn('admin');
  });
  after(async () => server?.close());

  /** An agent of an outbound campaign, on Web Connect, in a pause. */
  async function pausedAgent(t: { after: (fn: () => unknown) => void }, agents = 1) {
    const ws = server.workspaceId;
    const team = await buildTeam(server, admin, { kind: 'outbound_preview', agents });
    const [reason] = await admin.pauseReasons(ws).list();
    assert.ok(reason);
    const a = team.agents[0]?.client;
    assert.ok(a);
    const tab = await webAgent(server, a, AGENT);
    t.after(() => tab.close());
    await a.setStatus({ kind: 'paused', reasonId: reason.id });
    return { ws, a, tab, reasonId: reason.id, ...team };
  }

  test('a Manual Call: ringback while it rings, answered, each hears the other, keys reach the phone, hang up and wrap as a Manual Call', async (t) => {
    const { ws, a, tab, campaign, wrapCode } = await pausedAgent(t);
    assert.deepEqual(await a.dialCampaigns(), [{ id: campaign.id, name: campaign.name }]);
    const phone = await Baresip.withTone(PHONE, { seconds: 60 });
    t.after(() => phone.stop());
    const address = `sip:agent@127.0.0.1:${phone.sipPort}`;

    const placed = await a.placeCall({ type: 'number', number: address, campaignId: campaign.id });
    assert.equal(placed.to, address);
    await phone.waitFor('CALL_INCOMING');
    await toolbarShows(a, 'the number ringing', (i) => i?.dial?.state === 'ringing');
    const ring = tonesIn(await tab.peer.listen(160), RINGBACK);
    assert.deepEqual(ring, RINGBACK, 'the agent hears ringback while the phone rings');

    phone.command('accept');
    await toolbarShows(a, 'the call answered', (i) => i?.dial?.state === 'answered');
    assert.equal((await callOn(a))?.recording, true, 'recorded from the answer');
    assert.deepEqual(await hearing({ a: tab.peer }), { a: [PHONE] }, 'the agent hears the phone');

    await a.sendDigits(placed.interactionId, '4#');
    const first = await phone.waitFor('CALL_DTMF_START');
    const second = await phone.waitFor('CALL_DTMF_START');
    assert.deepEqual([first.param, second.param], ['4', '#'], 'the phone got the keys in order');

    // A listening window: the phone hears the agent for a while before the hang-up (the call is
    // otherwise over within a second of the answer, too short to judge under load).
    await new Promise((r) => setTimeout(r, 1500));
    await a.endInteraction(placed.interactionId);
    await phone.waitFor('CALL_CLOSED');
    const heard = await phone.heard(AGENT);
    assert.ok(heard > 0.5, `the phone heard the agent for ${heard.toFixed(1)} s`);
    assert.equal((await callOn(a))?.state, 'wrapping');
    const panel = await a.interactionPanel(placed.interactionId);
    assert.equal(panel.callType, 'Manual Call');
    assert.equal(panel.customerPhone, address);
    assert.equal(panel.platformPhone, null, 'no caller ID to a SIP address');
    assert.equal(panel.ivrText, null);
    await a.wrapInteraction(placed.interactionId, { wrapCodeId: wrapCode.id });
    assert.equal(await callOn(a), undefined);
    const kinds = (await admin.interaction(ws, placed.interactionId)).timeline.map((x) => x.kind);
    for (const kind of [
      'interaction.placed',
      'call.answered',
      'call.recordingStarted',
      'interaction.wrapped',
    ])
      assert.ok(kinds.includes(kind), `${kind} on the record: ${kinds.join(', ')}`);
  });

  test('the far end hangs up: the agent goes to wrap-up', async (t) => {
    const { a, campaign } = await pausedAgent(t);
    const phone = await Baresip.withTone(PHONE, { autoAnswer: true, seconds: 60 });
    t.after(() => phone.stop());
    const number = `sip:agent@127.0.0.1:${phone.sipPort}`;
    await a.placeCall({ type: 'number', number, campaignId: campaign.id });
    await toolbarShows(a, 'the call answered', (i) => i?.dial?.state === 'answered');
    phone.command('hangup');
    await toolbarShows(a, 'wrap-up', (i) => i?.state === 'wrapping');
  });

  test('a non-persistent Web Connect tab connects for the call the agent places, and is let go after it', async (t) => {
    const ws = server.workspaceId;
    const { campaign, agents, wrapCode } = await buildTeam(server, admin, { kind: 'outbound_preview' });
    const a = agents[0]?.client;
    assert.ok(a);
    const tab = await waitingWebAgent(server, a, AGENT);
    t.after(() => tab.close());
    const [reason] = await admin.pauseReasons(ws).list();
    assert.ok(reason);
    await a.setStatus({ kind: 'paused', reasonId: reason.id });
    const phone = await Baresip.withTone(PHONE, { autoAnswer: true, seconds: 60 });
    t.after(() => phone.stop());

    const number = `sip:agent@127.0.0.1:${phone.sipPort}`;
    const placed = await a.placeCall({ type: 'number', number, campaignId: campaign.id });
    await toolbarShows(a, 'the call answered', (i) => i?.dial?.state === 'answered');
    assert.deepEqual(await hearing({ a: tab.peer }), { a: [PHONE] }, 'the tab carries the call');
    await a.endInteraction(placed.interactionId);
    await until(
      () => tab.frames.some((f) => f.type === 'voice.callEnded' && f.interactionId === placed.interactionId),
      'the tab let go of the call’s leg',
    );
    await a.wrapInteraction(placed.interactionId, { wrapCodeId: wrapCode.id });
    assert.equal((await a.request<{ voice: string }>('GET', '/api/agent/state')).voice, 'connected');
  });

  test('through the trunk with the campaign’s caller ID: busy, unobtainable and no answer, in words; the agent wraps each', async (t) => {
    const { ws, a, campaign, wrapCode } = await pausedAgent(t);
    await admin.campaigns(ws).update(campaign.id, { callerId: '+61290007777', ringSeconds: 15 });
    const busy = sippServer('uas-carrier-busy-486.xml');
    const trunk = await admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', port: busy.port });
    t.after(() => admin.trunks(ws).remove(trunk.id));

    const failsWith = async (number: string, reason: RegExp, ms?: number) => {
      const placed = await a.placeCall({ type: 'number', number, campaignId: campaign.id });
      assert.equal(placed.to, '+61298765432', 'read in the workspace’s country, dialled in E.164');
      const failed = (i?: { state: string; dial?: { state: string } }) =>
        i?.state === 'wrapping' && i.dial?.state === 'failed';
      await toolbarShows(a, reason.source, failed, ms);
      const shown = (await callOn(a))?.dial?.reason ?? '';
      assert.match(shown, reason);
      await a.wrapInteraction(placed.interactionId, { wrapCodeId: wrapCode.id });
      return placed;
    };
    const busyCall = await failsWith('(02) 9876 5432', /^The line is busy$/);
    const run = await busy.result;
    assert.equal(run.status, 0, `the carrier saw our number and caller ID: ${run.output.slice(-1500)}`);
    const failed = (await admin.interaction(ws, busyCall.interactionId)).timeline.find(
      (x) => x.kind === 'call.dialFailed',
    );
    assert.deepEqual(failed?.detail, { to: '+61298765432', reason: 'The line is busy', status: 486 });

    const unobtainable = sippServer('uas-unobtainable-404.xml');
    await admin.trunks(ws).update(trunk.id, { port: unobtainable.port });
    await failsWith('+61 2 9876 5432', /^The number cannot be reached$/);
    assert.equal((await unobtainable.result).status, 0);

    const silent = sippServer('uas-ring-no-answer.xml');
    await admin.trunks(ws).update(trunk.id, { port: silent.port });
    await failsWith('0298765432', /^There was no answer$/, 25_000);
    assert.equal((await silent.result).status, 0, 'rang for the campaign’s ring time, then our CANCEL');
  });

  test('the agent cancels before the answer: a CANCEL, and the call is wrapped like any other', async (t) => {
    const { a, campaign } = await pausedAgent(t);
    const silent = sippServer('uas-ring-no-answer.xml');
    const placed = await a.placeCall({
      type: 'number',
      number: `sip:agent@127.0.0.1:${silent.port}`,
      campaignId: campaign.id,
    });
    await toolbarShows(a, 'ringing', (i) => i?.dial?.state === 'ringing');
    await a.endInteraction(placed.interactionId);
    const run = await silent.result;
    assert.equal(run.status, 0, `INVITE, 180, our CANCEL, 487, ACK: ${run.output.slice(-1500)}`);
    const call = await callOn(a);
    assert.equal(call?.state, 'wrapping');
    assert.notEqual(call?.dial?.state, 'answered');
  });

  test('refusals dial nothing: letters, too many digits, the dial plan, a campaign not theirs, Available, a second call', async (t) => {
    const { ws, a, campaign, reasonId } = await pausedAgent(t);
    const other = await buildTeam(server, admin, { kind: 'outbound_preview', agents: 0 });
    const chat = await buildTeam(server, admin, { kind: 'chat', agents: 0 });
    const number = (n: string, campaignId = campaign.id) => ({
      type: 'number' as const,
      number: n,
      campaignId,
    });
    await assert.rejects(a.placeCall(number('call mum')), { code: 'NUMBER_INVALID' });
    await assert.rejects(a.placeCall(number('+61 2 9876 5432 1234 5')), { code: 'NUMBER_INVALID' });
    await assert.rejects(a.placeCall(number('+61298765432', other.campaign.id)), {
      code: 'CAMPAIGN_NOT_ASSIGNED',
    });
    await assert.rejects(a.placeCall(number('+61298765432', chat.campaign.id)), {
      code: 'CAMPAIGN_NOT_ASSIGNED',
    });
    await admin.settings(ws).update({
      dialPlan: { defaultCountry: 'AU', allowedPrefixes: ['+614'], blockedPrefixes: [] },
    });
    t.after(() => admin.settings(ws).update({ dialPlan: null }));
    await assert.rejects(
      a.placeCall(number('02 9876 5432')),
      (e: { code: string; message: string }) =>
        e.code === 'DIAL_PLAN_REFUSED' && /\+61298765432 is outside/.test(e.message),
    );
    await a.setStatus({ kind: 'available' });
    const phone = await Baresip.withTone(PHONE, { seconds: 30 });
    t.after(() => phone.stop());
    const address = `sip:agent@127.0.0.1:${phone.sipPort}`;
    await assert.rejects(a.placeCall(number(address)), { code: 'NOT_PAUSED' });
    assert.equal(await callOn(a), undefined, 'nothing on the toolbar');
    assert.equal(phone.events.length, 0, 'nothing rang');

    await a.setStatus({ kind: 'paused', reasonId });
    const placed = await a.placeCall(number(address));
    await assert.rejects(a.placeCall(number(address)), { code: 'CALL_IN_PROGRESS' });
    await phone.waitFor('CALL_INCOMING');
    await a.endInteraction(placed.interactionId);
    await phone.waitFor('CALL_CLOSED');
  });

  test('an Agent Call: the colleague gets a beep and the call, both talk, one hangs up and both wrap it as an Agent Call', async (t) => {
    const { a, tab, agents } = await pausedAgent(t, 2);
    const b = agents[1]?.client;
    const bUser = agents[1]?.user;
    assert.ok(b && bUser);
    await assert.rejects(a.placeCall({ type: 'agent', agentId: bUser.id }), { code: 'AGENT_UNAVAILABLE' });
    const tabB = await webAgent(server, b, AGENT_B);
    t.after(() => tabB.close());
    await b.setStatus({ kind: 'available' });
    assert.equal(await callOn(a), undefined, 'the refused call left nothing on A’s toolbar');

    const placed = await a.placeCall({ type: 'agent', agentId: bUser.id });
    assert.equal(placed.to, bUser.displayName);
    await toolbarShows(a, 'the colleague answered', (i) => i?.dial?.state === 'answered');
    const onB = await callOn(b);
    assert.equal(onB?.state, 'busy');
    assert.equal(onB?.label, agents[0]?.user.displayName, 'B sees who calls');
    assert.equal(onB?.callType, 'agent');
    assert.equal((await callOn(a))?.callType, 'agent');
    const peers = { a: tab.peer, b: tabB.peer };
    assert.deepEqual(await hearing(peers), { a: [AGENT_B], b: [AGENT] }, 'each hears the other');
    // No customer to hold, transfer or send keys to: refused in words, the call goes on.
    await assert.rejects(a.holdCall(placed.interactionId, true), { code: 'INTERACTION_STATE' });
    await assert.rejects(a.sendDigits(placed.interactionId, '1'), { code: 'INTERACTION_STATE' });
    assert.deepEqual(await hearing(peers), { a: [AGENT_B], b: [AGENT] }, 'still talking');

    await b.endInteraction(onB.id);
    await toolbarShows(a, 'A in wrap-up', (i) => i?.state === 'wrapping');
    assert.equal((await a.interactionPanel(placed.interactionId)).callType, 'Agent Call');
    assert.equal((await b.interactionPanel(onB.id)).callType, 'Agent Call');
  });
});
