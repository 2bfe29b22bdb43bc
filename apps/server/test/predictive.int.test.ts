import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import { DEFAULT_LEAD_RULES, DEFAULT_PREDICTIVE } from '@parley/contract';
import { sippServer } from '../src/sip/uas/sipp-runner.js';
import { startTestServer, type TestServer } from './helpers.js';
import { seedLeads } from './leads.js';
import { soxTone } from './sox.js';
import { buildTeam } from './toolbar.js';
import { callOn, toolbarShows, webAgent } from './web-parties.js';

const AGENT = 1000;
/** Every call rings this long at the carrier before it answers. */
const RING_MS = 1500;

/**
 * Predictive dialling end to end on the server (H1): SIPp as the carrier answering every call
 * after a ring; an agent on Web Connect. An answered call reaches the free agent with the beep,
 * the lead and Call Type "Outbound Predictive", and the agent wraps it as a lead. A call answered
 * when no agent is free is abandoned 2 s after the answer: the campaign's information message
 * plays, the call ends, the number is locked out for the dialler, and the audit log and
 * dialler_calls say so.
 */
describe('predictive dialling', () => {
  let server: TestServer;
  let admin: HttpClient;
  before(async () => {
    server = await startTestServer({ media: true });
    admin = await server.signIn('admin');
  });
  after(async () => server?.close());

  async function until<T>(
    what: string,
    check: () => Promise<T | undefined | false>,
    ms = 20_000,
  ): Promise<T> {
    for (const end = Date.now() + ms; Date.now() < end; ) {
      const v = await check();
      if (v) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`never: ${what}`);
  }

  test('answered calls reach the free agent with the lead (the beep is heard in e2e/predictive.e2e.ts); with no agent free the call is abandoned, hears the message and is locked out', async (t) => {
    const ws = server.workspaceId;
    const db = server.database.db;
    const { campaign, agents } = await buildTeam(server, admin, { kind: 'outbound_predictive' });
    const sold = await admin.wrapCodes(ws, campaign.id).create({ name: 'Sold', completesLead: true });
    const agent = agents[0];
    assert.ok(agent);
    const a = agent.client;
    const [reason] = await admin.pauseReasons(ws).list();
    assert.ok(reason);
    const tab = await webAgent(server, a, AGENT);
    t.after(() => tab.close());
    await a.setStatus({ kind: 'paused', reasonId: reason.id });
    const carrier = sippServer('uas-predictive-carrier.xml', 2, '90s', ['-d', String(RING_MS)]);
    const trunk = await admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', port: carrier.port });
    t.after(() => admin.trunks(ws).remove(trunk.id));
    // A short information message of its own: one second of 600 Hz.
    const wav = soxTone(path.join(tmpdir(), `info-${process.pid}.wav`), { hz: 600, seconds: 1 });
    const info = await admin.announcements(ws, campaign.id).upload('Who called', readFileSync(wav));
    await admin.campaigns(ws).update(campaign.id, {
      leadRules: {
        ...DEFAULT_LEAD_RULES,
        callingHours: { from: '00:00', to: '00:00', days: [1, 2, 3, 4, 5, 6, 7] },
      },
      predictive: { abandonCap: 0.03, lockoutHours: 72, infoMessageId: info.id, maxLinesPerAgent: 1 },
    });
    const [first, second] = await seedLeads(db, { id: campaign.id, workspaceId: ws }, [
      { fields: { Name: 'Ada First' }, numbers: [['Mobile', '+61290000001']], priority: 2 },
      { fields: { Name: 'Bo Second' }, numbers: [['Mobile', '+61290000002']], priority: 1 },
    ]);
    assert.ok(first && second);

    await a.setStatus({ kind: 'available' });

    // The first lead is dialled, answered and put straight onto the agent.
    await toolbarShows(
      a,
      'the predictive call',
      (i) => i?.state === 'busy' && i.callType === 'predictive',
      15_000,
    );
    const call = await callOn(a);
    assert.equal(call?.leadId, first, 'the lead’s details come with the call');
    assert.equal(call?.label, 'Ada First');
    const panel = await a.interactionPanel(call?.id as string);
    assert.equal(panel.callType, 'Outbound Predictive');
    assert.equal(panel.customerPhone, '+61290000001');
    const connected = await db
      .selectFrom('dialler_calls')
      .selectAll()
      .where('lead_id', '=', first)
      .executeTakeFirstOrThrow();
    assert.equal(connected.outcome, 'connected');
    assert.equal(connected.agent_id, agent.user.id);
    assert.ok((connected.waited_ms ?? 99_999) < 2000, `connected ${connected.waited_ms} ms after the answer`);
    assert.ok(
      connected.answered_at &&
        connected.answered_at.getTime() - connected.dialled_at.getTime() >= RING_MS - 100,
    );

    // Hang up and wrap as a lead: its outcome lands on the lead, which is let go.
    await a.endInteraction(call?.id as string);
    const ended = await until('the connected call’s end on its row', async () => {
      const row = await db
        .selectFrom('dialler_calls')
        .select('ended_at')
        .where('id', '=', connected.id)
        .executeTakeFirst();
      return row?.ended_at ?? undefined;
    });
    assert.ok(ended.getTime() >= (connected.connected_at?.getTime() ?? Number.POSITIVE_INFINITY));
    // In wrap-up the agent takes a pause, so the next call finds nobody free.
    await a.setStatus({ kind: 'paused', reasonId: reason.id });
    await a.wrapInteraction(call?.id as string, { wrapCodeId: sold.id });
    const wrapped = await db
      .selectFrom('leads')
      .selectAll()
      .where('id', '=', first)
      .executeTakeFirstOrThrow();
    assert.equal(wrapped.last_outcome, 'Sold');
    assert.equal(wrapped.done, true, 'Sold completes the lead');
    assert.equal(wrapped.reserved_by, null, 'the wrapped lead is let go');

    // Available again: the second lead is dialled; while it rings the agent pauses.
    await a.setStatus({ kind: 'available' });
    const ringing = await until('the second lead dialled', async () =>
      db.selectFrom('dialler_calls').selectAll().where('lead_id', '=', second).executeTakeFirst(),
    );
    await a.setStatus({ kind: 'paused', reasonId: reason.id });
    const abandoned = await until('the call abandoned', async () => {
      const row = await db
        .selectFrom('dialler_calls')
        .selectAll()
        .where('id', '=', ringing.id)
        .executeTakeFirst();
      return row?.outcome === 'abandoned' && row;
    });
    assert.ok(abandoned.answered_at, 'it was answered');
    assert.ok(
      (abandoned.waited_ms ?? 0) >= 2000 && (abandoned.waited_ms ?? 0) < 2500,
      `abandoned ${abandoned.waited_ms} ms after the answer: the 2-second rule`,
    );
    assert.equal(abandoned.message_played, true, 'the information message played');
    assert.ok(
      abandoned.ended_at && abandoned.ended_at.getTime() - abandoned.answered_at.getTime() >= 2000 + 900,
      'the call ended after the one-second message',
    );
    assert.equal(await callOn(a), undefined, 'the paused agent never got it');
    const number = await db
      .selectFrom('lead_numbers')
      .selectAll()
      .where('lead_id', '=', second)
      .executeTakeFirstOrThrow();
    assert.equal(number.last_outcome, 'Abandoned');
    const lockout = (number.dialler_locked_until?.getTime() ?? 0) - (abandoned.ended_at?.getTime() ?? 0);
    assert.ok(Math.abs(lockout - 72 * 3_600_000) < 10_000, 'locked out for 72 hours');
    const lead = await db.selectFrom('leads').selectAll().where('id', '=', second).executeTakeFirstOrThrow();
    assert.equal(lead.reserved_by, null, 'the abandoned lead is let go');

    const result = await carrier.result;
    assert.equal(
      result.status,
      0,
      `the carrier saw both calls through to the platform's BYE:\n${result.output}`,
    );

    // The audit log: the decisions that placed both calls, and the abandon with its times.
    const log = await db
      .selectFrom('dialler_audit')
      .selectAll()
      .where('campaign_id', '=', campaign.id)
      .orderBy('id')
      .execute();
    const placed = log.filter((e) => e.kind === 'decision' && (e.detail as { placed: number }).placed > 0);
    assert.equal(placed.length, 2, 'two decisions placed a call');
    const abandon = log.find((e) => e.kind === 'abandon');
    assert.ok(abandon, 'the abandon is in the audit log');
    assert.equal((abandon.detail as { number: string }).number, '+61290000002');
    assert.equal((abandon.detail as { messagePlayed: boolean }).messagePlayed, true);
    assert.ok(
      log.some((e) => e.kind === 'settings'),
      'the settings change is in the audit log',
    );
  });

  test('settings cannot break compliance: a cap over 3%, a lockout under 72 hours, another campaign’s message are refused; a change is audited with who made it', async () => {
    const ws = server.workspaceId;
    const campaigns = admin.campaigns(ws);
    const { campaign } = await buildTeam(server, admin, { kind: 'outbound_predictive', agents: 0 });
    const other = await buildTeam(server, admin, { kind: 'outbound_predictive', agents: 0 });
    const wav = soxTone(path.join(tmpdir(), `other-${process.pid}.wav`), { hz: 600, seconds: 1 });
    const theirs = await admin.announcements(ws, other.campaign.id).upload('Theirs', readFileSync(wav));
    const refused = async (predictive: Record<string, unknown>) =>
      assert.rejects(
        campaigns.update(campaign.id, { predictive: { ...DEFAULT_PREDICTIVE, ...predictive } }),
        (e: unknown) => (e as { code?: string }).code === 'VALIDATION_FAILED',
      );
    await refused({ abandonCap: 0.031 });
    await refused({ abandonCap: 0 });
    await refused({ lockoutHours: 71 });
    await refused({ infoMessageId: theirs.id });
    assert.deepEqual((await campaigns.get(campaign.id)).predictive, DEFAULT_PREDICTIVE, 'nothing stored');

    await campaigns.update(campaign.id, { predictive: { ...DEFAULT_PREDICTIVE, abandonCap: 0.02 } });
    const [change] = await server.database.db
      .selectFrom('dialler_audit')
      .selectAll()
      .where('campaign_id', '=', campaign.id)
      .execute();
    assert.equal(change?.kind, 'settings');
    assert.equal(change?.actor_id, (await admin.session()).user.id);
    assert.deepEqual(change?.detail, {
      predictive: { before: DEFAULT_PREDICTIVE, after: { ...DEFAULT_PREDICTIVE, abandonCap: 0.02 } },
    });
  });
});
