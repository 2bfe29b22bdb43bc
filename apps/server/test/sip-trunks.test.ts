import assert from 'node:assert/strict';
import { after, before, describe, type TestContext, test } from 'node:test';
import type { ApiError, HttpClient } from '@parley/client';
import type { AgentState, CreateSipTrunkBody, InteractionSummary, SipTrunk } from '@parley/contract';
import { sipp, sippServer } from '../src/sip/uas/sipp-runner.js';
import { agent1DeskPhone, Baresip } from './baresip.js';
import { startTestServer, type TestServer } from './helpers.js';
import { openToolbar, until } from './toolbar.js';

const TRUNK = { username: 'acme-trunk', password: 'trunk-secret-1', callerId: '+61290001234' };

/** Polls `read` until it gives `want` (a real SIP peer answers in its own time). */
async function eventually<T>(read: () => Promise<T>, want: (v: T) => boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (want(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A deliberate window: real SIP peers keep talking (or their scenario keeps its pace) meanwhile. */
const listen = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SIP trunks, desk phones and the dial plan as workspace data (P4, B2)', () => {
  let server: TestServer;
  let admin: HttpClient;
  let manager: HttpClient;
  let agent1: HttpClient;
  let toolbar: ReturnType<typeof openToolbar>;
  let ws: string;
  let port: number;

  const state = () => agent1.request<AgentState>('GET', '/api/agent/state');

  /**
   * The carrier's trunk for one test, removed after it: its host (127.0.0.1 unless `fields` say
   * otherwise) is what lets SIPp and baresip on loopback in, and where calls out go.
   */
  async function carrierTrunk(t: TestContext, fields: Partial<CreateSipTrunkBody> = {}): Promise<SipTrunk> {
    const trunk = await admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', ...TRUNK, ...fields });
    t.after(() => admin.trunks(ws).remove(trunk.id));
    return trunk;
  }

  before(async () => {
    // Loopback is NOT trusted by configuration here: only a trunk's address makes it so.
    server = await startTestServer({ media: true, env: { SIP_TRUSTED_SOURCES: '10.99.0.0/16' } });
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    manager = await server.signIn('manager');
    agent1 = await server.signIn('agent1');
    toolbar = openToolbar(server, agent1);
    await until(() => toolbar.rt.state?.agent.status.kind === 'paused', 'toolbar connected');
    port = server.app.sipPort ?? 0;
    assert.ok(port);
  });
  after(async () => {
    toolbar?.rt.stop();
    await server?.close();
  });

  test('before any trunk, INVITE and REGISTER from an unknown source get 403 and nothing is queued', async () => {
    // Each scenario passes only on its 403: a 404, a 503 or a 401 challenge fails it.
    const invite = await sipp('uac-invite-expect-403-ack.xml', port, 'u1', 1, '+61290001000');
    assert.equal(invite.status, 0, invite.output.slice(-3000));
    const register = await sipp('uac-register-expect-403.xml', port, 'u1', 1, 'desk-1001');
    assert.equal(register.status, 0, register.output.slice(-3000));
    assert.equal((await manager.interactions(ws)).length, 0);
  });

  test('trunks are administrators’ data: checked on save, the password never shown, agents refused', async () => {
    await assert.rejects(
      admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', register: true }),
      (e: ApiError) => e.code === 'VALIDATION_FAILED' && /username and password/.test(e.message),
    );
    await assert.rejects(
      admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', allowedSources: ['300.1.1.1/8'] }),
      { code: 'VALIDATION_FAILED' },
    );
    await assert.rejects(admin.trunks(ws).create({ name: 'Carrier', host: 'bad host!' }), {
      code: 'VALIDATION_FAILED',
    });
    await assert.rejects(
      admin.trunks(ws).create({ name: 'Carrier', host: 'sip.carrier.invalid' }),
      (e: ApiError) =>
        e.code === 'VALIDATION_FAILED' && /sip\.carrier\.invalid cannot be found/.test(e.message),
    );
    await assert.rejects(agent1.trunks(ws).list(), { code: 'FORBIDDEN_ROLE' });
    await assert.rejects(manager.trunks(ws).list(), { code: 'FORBIDDEN_ROLE' });
    assert.deepEqual(await admin.trunks(ws).list(), [], 'nothing half-saved');
  });

  test('a registering trunk answers the carrier’s 401 with its credentials and shows "registered"', async (t) => {
    const registrar = sippServer('uas-registrar-401.xml');
    const trunk = await carrierTrunk(t, { port: registrar.port, register: true });
    assert.equal(trunk.hasPassword, true);
    assert.equal((trunk as unknown as { password?: string }).password, undefined, 'never shown');
    const r = await registrar.result;
    assert.equal(r.status, 0, r.output.slice(-3000));
    const shown = await eventually(
      () => admin.trunks(ws).get(trunk.id),
      (current) => current.registration.state !== 'registering',
      'registration',
    );
    assert.deepEqual(shown.registration, { state: 'registered', detail: '200 OK' });
  });

  test('a caller through the trunk picks 1 by SIP INFO (dtmf-relay) and reaches the Sales queue', async (t) => {
    await carrierTrunk(t);
    const r = await sipp('uac-info-menu.xml', port, 'u1', 1, '+61290001000');
    assert.equal(r.status, 0, r.output.slice(-3000));
    const [call] = await eventually(
      () => manager.interactions(ws),
      (list) => list[0]?.state === 'abandoned',
      'the call abandoned in the queue',
    );
    assert.equal(
      (call as InteractionSummary).campaignName,
      'Sales Enquiries',
      'no key would give Customer Care',
    );
    assert.equal((call as InteractionSummary).platformPhone, '+61290001000');
    assert.equal((call as InteractionSummary).customerPhone, '+61400111222');
  });

  test('call-me to a number goes out by the trunk (its carrier by host name) with its caller ID and answers the carrier’s 407', async (t) => {
    const carrier = sippServer('uas-trunk-407.xml');
    await carrierTrunk(t, { host: 'localhost', port: carrier.port });
    assert.equal((await agent1.callMe({ destination: '0412 345 678', persistent: true })).state, 'calling');
    const connected = eventually(state, (s) => s.voice === 'connected', 'the voice path over the trunk');
    await connected.catch(async (err) => {
      throw new Error(`${err.message}\n${(await carrier.result).output.slice(-3000)}`);
    });
    const r = await carrier.result; // the carrier hangs up after six seconds
    assert.equal(r.status, 0, r.output.slice(-3000));
    await eventually(state, (s) => s.voice === 'lost', 'the voice path lost with the hang-up');
  });

  test('a busy phone (486) is reported to the agent; the workspace’s own dial plan refuses what it excludes', async (t) => {
    await carrierTrunk(t); // a SIP address is called only on a trusted host
    // Persistent or not, the phone rings at once, so a busy one is reported either way.
    for (const [n, persistent] of [true, false].entries()) {
      const busy = sippServer('uas-busy-486.xml');
      await agent1.callMe({ destination: `sip:agent@127.0.0.1:${busy.port}`, persistent });
      const r = await busy.result;
      assert.equal(r.status, 0, r.output.slice(-3000));
      await until(
        () =>
          toolbar.state().notifications.filter((x) => /was not connected \(486 Busy Here\)/.test(x.text))
            .length ===
          n + 1,
        'the busy notification',
      );
      await eventually(state, (s) => s.voice === 'none', 'no voice path');
    }

    t.after(() => admin.settings(ws).update({ dialPlan: null }));
    await admin.settings(ws).update({
      dialPlan: { defaultCountry: 'AU', allowedPrefixes: ['+614'], blockedPrefixes: [] },
    });
    await assert.rejects(
      agent1.callMe({ destination: '02 9000 1000', persistent: true }),
      (e: ApiError) => e.code === 'DIAL_PLAN_REFUSED' && /outside the countries/.test(e.message),
    );
    await assert.rejects(agent1.callMe({ destination: '+1 212 555 0100', persistent: true }), {
      code: 'DIAL_PLAN_REFUSED',
    });
  });

  test('desk phones register with digest: challenged, wrong passwords refused, then locked out', async (t) => {
    await carrierTrunk(t); // the desk phones' network
    await admin
      .extensions(ws)
      .create({ extension: '2001', username: 'desk-2001', password: 'desk-pass-2001' });
    await assert.rejects(
      admin.extensions(ws).create({ extension: '2001', username: 'desk-other', password: 'desk-pass-2001' }),
      { code: 'CONFLICT' },
    );
    /** SIPp registers desk-2001 with `password`, expecting 200 (auth) or 403 (refused). */
    const register = (scenario: string, password: string) =>
      sipp(scenario, port, 'u1', 1, 'desk-2001', ['-au', 'desk-2001', '-ap', password]);
    const ok = await register('uac-register-auth.xml', 'desk-pass-2001');
    assert.equal(ok.status, 0, ok.output.slice(-3000));
    const [ext] = await admin.extensions(ws).list();
    assert.match(ext?.registeredContact ?? '', /^sip:desk-2001@127\.0\.0\.1:\d+$/);
    for (let i = 0; i < 5; i++) {
      const bad = await register('uac-register-refused.xml', 'wrong-password');
      assert.equal(bad.status, 0, bad.output.slice(-3000));
    }
    const locked = await register('uac-register-refused.xml', 'desk-pass-2001');
    assert.equal(locked.status, 0, 'the right password is refused too while locked out');
  });

  test('non-persistent call-me to a registered extension: it rings per call, no answer pauses, answering connects', async (t) => {
    await carrierTrunk(t); // the desk phones' network, and the caller's carrier
    const phone = await agent1DeskPhone(admin, ws, port);
    try {
      await eventually(
        () => admin.extensions(ws).list(),
        (list) => list.some((e) => e.extension === '1001' && e.registeredContact !== null),
        'baresip registered',
      );
      await admin.settings(ws).update({ agentRingTimeoutSeconds: 5 });
      await agent1.callMe({ destination: '1001', persistent: false });
      // The phone rings once to prove the number; answered, it hears it is ready and is hung up.
      await phone.waitFor('CALL_INCOMING');
      assert.equal((await state()).voice, 'connecting', 'not ready until the phone answers');
      phone.command('accept');
      await phone.waitFor('CALL_ESTABLISHED');
      await phone.waitFor('CALL_CLOSED', 10_000);
      await eventually(state, (s) => s.voice === 'connected', 'ready for calls');
      phone.events.length = 0;
      await agent1.setStatus({ kind: 'available' });

      const care = (await admin.campaigns(ws).list()).find((c) => c.name === 'Customer Care');
      assert.ok(care);
      await admin.numbers(ws).create({ number: '+61290002000', name: 'Care direct', campaignId: care.id });
      const caller = sipp('uac-agent-hangs-up.xml', port, 'u1', 1, '+61290002000');
      await phone.waitFor('CALL_INCOMING');
      // Not answered: the Agent Ring Timeout gives Auto Pause, and the phone stops ringing.
      await phone.waitFor('CALL_CLOSED', 10_000);
      // The phone is told at once; the status is published once stored (a moment later).
      const paused = await eventually(state, (s) => s.status.kind === 'paused', 'Auto Pause');
      assert.match(JSON.stringify(paused.status), /Auto Pause/);
      await agent1.setStatus({ kind: 'available' });
      await phone.waitFor('CALL_INCOMING');
      phone.command('accept');
      await phone.waitFor('CALL_ESTABLISHED');
      const busy = await eventually(
        state,
        (s) => s.interactions[0]?.state === 'busy',
        'the call connected on the phone',
      );
      const callId = busy.interactions[0]?.id ?? '';
      await agent1.endInteraction(callId);
      await phone.waitFor('CALL_CLOSED'); // the platform hung up the agent's phone too
      const r = await caller;
      assert.equal(r.status, 0, r.output.slice(-3000));
      assert.equal((await state()).voice, 'connected', 'still ready for the next call');
    } finally {
      await phone.stop();
    }
  });

  test('an IVR "transfer" node puts a caller through the trunk to a number outside; each hears the other', async (t) => {
    const far = await Baresip.withTone(1000, { autoAnswer: true, user: '+61412345678' });
    const caller = await Baresip.withTone(700);
    try {
      await carrierTrunk(t, { port: far.sipPort });
      const care = (await admin.campaigns(ws).list()).find((c) => c.name === 'Customer Care');
      assert.ok(care);
      await admin.campaigns(ws).update(care.id, { callerId: '+61290007777' });
      const flow = await admin.workflows(ws).create({
        name: 'After hours',
        definition: {
          start: 'out',
          nodes: {
            out: { type: 'transfer', number: '+61412345678', failed: 'bye' },
            bye: { type: 'hangup' },
          },
        },
      });
      await admin.numbers(ws).create({
        number: '+61290005000',
        name: 'After hours',
        campaignId: care.id,
        workflowId: flow.id,
      });
      const queuedBefore = (await manager.interactions(ws)).length;
      caller.command('dial', `sip:+61290005000@127.0.0.1:${port}`);
      await caller.waitFor('CALL_ESTABLISHED');
      const answered = await far.waitFor('CALL_ESTABLISHED');
      assert.match(JSON.stringify(answered), /sip:\+61290007777@/, 'the campaign’s caller ID is presented');
      await listen(3000); // both sides talk: what each heard is measured below
      far.command('hangup');
      await far.waitFor('CALL_CLOSED');
      await caller.waitFor('CALL_CLOSED'); // the platform hung up the caller too
      const farHeard = await far.heard(700);
      const callerHeard = await caller.heard(1000);
      console.log(
        `transfer: far end heard the caller ${farHeard.toFixed(1)} s, caller heard it ${callerHeard.toFixed(1)} s`,
      );
      assert.ok(farHeard > 1.5, 'the number outside hears the caller');
      assert.ok(callerHeard > 1.5, 'the caller hears the number outside');
      assert.equal((await far.heard(1000)) < 0.5, true, 'nobody hears themselves');
      assert.equal((await manager.interactions(ws)).length, queuedBefore, 'no agent queue was involved');
    } finally {
      await far.stop();
      await caller.stop();
    }
  });

  test('an IVR transfer nobody answers is CANCELled after its ring time (the 487 ACKed); the caller goes on to the queue', async (t) => {
    const far = sippServer('uas-ring-no-answer.xml');
    const caller = await Baresip.withTone(700);
    try {
      await carrierTrunk(t, { port: far.port });
      const care = (await admin.campaigns(ws).list()).find((c) => c.name === 'Customer Care');
      assert.ok(care);
      const flow = await admin.workflows(ws).create({
        name: 'Try the duty phone first',
        definition: {
          start: 'out',
          nodes: {
            out: { type: 'transfer', number: '+61412345679', ringSeconds: 5, failed: 'queue' },
            queue: { type: 'queue', campaignId: care.id },
          },
        },
      });
      await admin.numbers(ws).create({
        number: '+61290006000',
        name: 'Duty line',
        campaignId: care.id,
        workflowId: flow.id,
      });
      caller.command('dial', `sip:+61290006000@127.0.0.1:${port}`);
      await caller.waitFor('CALL_ESTABLISHED');
      const r = await far.result; // INVITE, 180, our CANCEL after 5 s, 487, our ACK
      assert.equal(r.status, 0, r.output.slice(-3000));
      const [call] = await eventually(
        () => manager.interactions(ws),
        (list) => list[0]?.channelName === 'Duty line' && list[0]?.state === 'waiting',
        'the caller queued after the unanswered transfer',
      );
      assert.equal(call?.campaignName, 'Customer Care');
      caller.command('hangup');
      await caller.waitFor('CALL_CLOSED');
    } finally {
      await caller.stop();
    }
  });
});
