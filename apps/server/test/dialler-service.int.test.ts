import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_LEAD_RULES, DEFAULT_PREDICTIVE, type LeadRules } from '@parley/contract';
import pino from 'pino';
import type { AcdService } from '../src/agents/acd.service.js';
import { ManualClock } from '../src/clock.js';
import { type Db, openDatabase } from '../src/db/database.js';
import { DiallerService } from '../src/dialler/dialler.service.js';
import { InProcessEventBus } from '../src/events.js';
import { LeadSelector } from '../src/leads/lead-selector.js';
import type { PredictiveCalls, PredictiveDial, PredictiveOutcome } from '../src/voice/predictive-calls.js';
import { createStore, type TestStore } from './helpers.js';
import { seedLeads } from './leads.js';

const RULES: LeadRules = {
  ...DEFAULT_LEAD_RULES,
  callingHours: { from: '00:00', to: '00:00', days: [1, 2, 3, 4, 5, 6, 7] },
};
/** Tuesday 8 December 2026, 03:00 UTC. */
const START = Date.parse('2026-12-08T03:00:00Z');
const HOUR = 3_600_000;

/** Call control as the dialler sees it: each call it places waits here for the test to end it. */
class HeldCalls {
  placed: { d: PredictiveDial; end: (o: PredictiveOutcome) => void }[] = [];
  place(d: PredictiveDial): Promise<PredictiveOutcome> {
    return new Promise((end) => this.placed.push({ d, end }));
  }
}

/**
 * The dialler service in virtual time (H1, H2) over the real database and lead selection, with
 * call control and the agents held by the test: how many calls it places for what it knows (its
 * windows kept across a restart in `dialler_calls`, its answer rate from today's calls), the
 * fallback to one line per free agent at the cap, the lockout after an abandon, a number the dial
 * plan refuses never dialled again.
 */
describe('the predictive dialler in virtual time', () => {
  let store: TestStore;
  let db: Db;
  let close: () => Promise<void>;
  let workspaceId: string;
  before(async () => {
    store = await createStore();
    const database = await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl });
    db = database.db;
    close = async () => {
      await database.close();
      await store.drop();
    };
    const ws = await db
      .insertInto('workspaces')
      .values({ slug: 'dialler', name: 'Dialler' })
      .returning('id')
      .executeTakeFirstOrThrow();
    workspaceId = ws.id;
  });
  after(async () => close?.());

  let n = 0;
  /** A predictive campaign with `leads` leads (one mobile each), its history, and a dialler for it. */
  async function campaign(o: {
    leads: number;
    free: number;
    history?: { dialled: number; answered: number; abandoned: number; hoursAgo: number };
  }) {
    const c = await db
      .insertInto('campaigns')
      .values({
        workspace_id: workspaceId,
        name: `Predictive ${++n}`,
        kind: 'outbound_predictive',
        lead_rules: JSON.stringify(RULES),
        predictive: JSON.stringify(DEFAULT_PREDICTIVE),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await seedLeads(
      db,
      { id: c.id, workspaceId },
      Array.from({ length: o.leads }, (_, i) => ({
        fields: { Name: `Lead ${i}` },
        numbers: [['Mobile', `+614${String(n).padStart(2, '0')}${String(i).padStart(6, '0')}`]],
      })),
    );
    const h = o.history;
    if (h)
      for (let i = 0; i < h.dialled; i++) {
        const at = new Date(START - h.hoursAgo * HOUR + i * 1000);
        const answered = i < h.answered;
        await db
          .insertInto('dialler_calls')
          .values({
            workspace_id: workspaceId,
            campaign_id: c.id,
            number: '+61400000000',
            dialled_at: at,
            answered_at: answered ? new Date(at.getTime() + 5000) : null,
            outcome: !answered ? 'no answer' : i < h.abandoned ? 'abandoned' : 'connected',
          })
          .execute();
      }
    const clock = new ManualClock(START);
    const calls = new HeldCalls();
    const agents = { free: Array.from({ length: o.free }, (_, i) => `agent-${i}`), busy: [] };
    const dialler = new DiallerService({
      db,
      clock,
      bus: new InProcessEventBus(),
      log: pino({ level: 'silent' }),
      selector: new LeadSelector(db),
      // Only this campaign has agents (the others' diallers are other tests').
      acd: {
        campaignAgents: (id: string) => (id === c.id ? agents : { free: [], busy: [] }),
      } as unknown as AcdService,
      calls: calls as unknown as PredictiveCalls,
    });
    const decisions = () =>
      db
        .selectFrom('dialler_audit')
        .select('detail')
        .where('campaign_id', '=', c.id)
        .where('kind', '=', 'decision')
        .orderBy('id')
        .execute()
        .then((rows) =>
          rows.map((r) => r.detail as { decision: { dial: number; mode: string }; placed: number }),
        );
    return { id: c.id, clock, calls, agents, dialler, decisions };
  }

  test('at the cap (its windows read back from the calls, as after a restart): one line per free agent, none more while they ring, for as long as either window is at the cap', async () => {
    // 100 answered in the last day, 3 of them abandoned: 3%, the cap.
    const c = await campaign({
      leads: 30,
      free: 5,
      history: { dialled: 100, answered: 100, abandoned: 3, hoursAgo: 20 },
    });
    await c.dialler.tick();
    assert.equal(c.calls.placed.length, 5, 'one call for each free agent');
    await c.dialler.tick();
    assert.equal(c.calls.placed.length, 5, 'none more while those ring');
    const [first] = await c.decisions();
    assert.deepEqual([first?.decision.mode, first?.decision.dial, first?.placed], ['progressive', 5, 5]);
    for (const p of c.calls.placed.splice(0))
      p.end({ kind: 'unanswered', status: 480, reason: 'there was no answer' });
    await c.dialler.settled();
    // A day later the 24-hour window has emptied, but the 30-day one still holds those calls.
    c.clock.advance(24 * HOUR);
    await c.dialler.tick();
    assert.equal(c.calls.placed.length, 5, 'still one call for each free agent');
    const last = (await c.decisions()).at(-1);
    assert.equal(last?.decision.mode, 'progressive', 'the 30-day window is at its cap too');
  });

  test('with an answer rate measured today it dials ahead of the free agents, within the lines per agent', async () => {
    // Today: 200 calls, 60 answered (30%), none abandoned.
    const c = await campaign({
      leads: 40,
      free: 5,
      history: { dialled: 200, answered: 60, abandoned: 0, hoursAgo: 2 },
    });
    await c.dialler.tick();
    const placed = c.calls.placed.length;
    assert.ok(placed > 5, `${placed} calls for 5 free agents: ahead of them`);
    assert.ok(
      placed <= 5 * DEFAULT_PREDICTIVE.maxLinesPerAgent,
      `${placed} calls: at most the lines allowed`,
    );
    const numbers = c.calls.placed.map((p) => p.d.number);
    assert.equal(new Set(numbers).size, numbers.length, 'no number twice at once');
    const leads = c.calls.placed.map((p) => p.d.leadId);
    const held = await db.selectFrom('leads').select('id').where('reserved_by', '=', c.id).execute();
    assert.deepEqual(
      held.map((l) => l.id).sort(),
      [...leads].sort(),
      'each lead dialled is held by the dialler',
    );
    assert.ok(
      c.calls.placed.every((p) => p.d.graceMs === 2000),
      'the 2-second rule',
    );
  });

  test('agents wrapping up count as soon free: with none free it dials for them, and for agents still talking it waits', async () => {
    const history = { dialled: 200, answered: 60, abandoned: 0, hoursAgo: 2 };
    const talking = await campaign({ leads: 40, free: 0, history });
    const wrapping = await campaign({ leads: 40, free: 0, history });
    const busy = (wrap: boolean) =>
      Array.from({ length: 30 }, (_, i) => ({ userId: `busy-${i}`, wrapping: wrap }));
    Object.assign(talking.agents, { busy: busy(false) });
    Object.assign(wrapping.agents, { busy: busy(true) });
    await talking.dialler.tick();
    await wrapping.dialler.tick();
    assert.ok(wrapping.calls.placed.length > 0, 'calls placed for agents about to be free');
    assert.ok(
      talking.calls.placed.length < wrapping.calls.placed.length,
      `${talking.calls.placed.length} calls for 30 agents talking, ${wrapping.calls.placed.length} for 30 wrapping up`,
    );
    const [decision] = await wrapping.decisions();
    assert.equal(
      (decision as unknown as { input: { wrapping: number } }).input.wrapping,
      30,
      'the audit says who was wrapping',
    );
  });

  test('an abandoned number is left alone for 72 hours; a number the dial plan refuses is never dialled again', async () => {
    const c = await campaign({ leads: 2, free: 1 });
    const lines = async () => {
      await c.dialler.tick();
      const placed = c.calls.placed.splice(0);
      return placed;
    };
    const [a, b] = await lines();
    assert.ok(a && !b, 'one call for one agent');
    const lockedNumber = a.d.number;
    // The answered call's interaction, as call control makes it (abandoned: nobody took it).
    const entry = await db
      .insertInto('queue_entries')
      .values({
        workspace_id: workspaceId,
        campaign_id: c.id,
        kind: 'voice',
        label: 'Lead 0',
        priority: 100,
        enqueued_at: c.clock.now(),
        state: 'abandoned',
        state_since: c.clock.now(),
        call_type: 'predictive',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    a.end({
      kind: 'abandoned',
      answeredAt: c.clock.now(),
      waitedMs: 2000,
      entryId: entry.id,
      messagePlayed: true,
      hungUp: false,
    });
    await c.dialler.settled();
    const [next] = await lines();
    assert.ok(next && next.d.number !== lockedNumber, 'the other lead comes next');
    next.end({
      kind: 'refused',
      code: 'DIAL_PLAN_REFUSED',
      reason: 'The dial plan does not allow that number',
    });
    await c.dialler.settled();
    c.clock.advance(71 * HOUR);
    assert.deepEqual(await lines(), [], '71 hours on: neither number');
    assert.deepEqual(await lines(), []);
    const empty = (await c.decisions()).filter((d) => d.decision.dial > 0 && d.placed === 0);
    assert.equal(empty.length, 1, 'out of leads: one decision in the audit log, not one a second');
    c.clock.advance(HOUR + 1000);
    const again = await lines();
    assert.deepEqual(
      again.map((p) => p.d.number),
      [lockedNumber],
      '72 hours on: the abandoned number again; the refused one never',
    );
    const refused = await db
      .selectFrom('lead_numbers')
      .select(['completed', 'last_outcome'])
      .where('number', '=', next.d.number)
      .executeTakeFirstOrThrow();
    assert.deepEqual(refused, { completed: true, last_outcome: 'Refused by the dial plan' });
  });

  test('the carrier failing (5xx) stops the campaign for 30 s instead of spending leads’ attempts', async () => {
    const c = await campaign({ leads: 5, free: 1 });
    await c.dialler.tick();
    const [call] = c.calls.placed.splice(0);
    assert.ok(call);
    call.end({ kind: 'unanswered', status: 503, reason: 'the carrier could not connect the call (503)' });
    await c.dialler.settled();
    await c.dialler.tick();
    assert.equal(c.calls.placed.length, 0, 'nothing dialled at once');
    c.clock.advance(29_000);
    await c.dialler.tick();
    assert.equal(c.calls.placed.length, 0, 'nor within 30 s');
    c.clock.advance(1_000);
    await c.dialler.tick();
    assert.equal(c.calls.placed.length, 1, 'then again');
    const failed = await db
      .selectFrom('dialler_calls')
      .select(['outcome', 'reason'])
      .where('number', '=', call.d.number)
      .executeTakeFirstOrThrow();
    assert.deepEqual(failed, { outcome: 'failed', reason: 'the carrier could not connect the call (503)' });
  });
});
