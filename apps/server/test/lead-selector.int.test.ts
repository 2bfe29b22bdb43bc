import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import { DEFAULT_LEAD_RULES, type LeadRules } from '@parley/contract';
import fc from 'fast-check';
import { LeadSelector, refreshReady } from '../src/leads/lead-selector.js';
import { startTestServer, type TestServer } from './helpers.js';
import { seedLeads } from './leads.js';
import { buildTeam } from './toolbar.js';

const rules: LeadRules = {
  ...DEFAULT_LEAD_RULES,
  timeZone: 'Australia/Sydney',
  callingHours: { from: '09:00', to: '20:00', days: [1, 2, 3, 4, 5] },
  callbackGraceMinutes: 15,
};
/** Tuesday 8 December 2026, 10:00 in Sydney (UTC+11). */
const TUESDAY_10AM = new Date('2026-12-07T23:00:00Z');

/**
 * The next-lead statement (G1, issue #16 item 8) on the real database: never one lead to two
 * agents however many ask at once, due callbacks first (a personal one for its owner, then for
 * anyone after the grace time), then priority; only leads with a number the rules allow now.
 */
describe('lead selection', () => {
  let server: TestServer;
  let admin: HttpClient;
  let selector: LeadSelector;
  const agentIds: string[] = [];
  before(async () => {
    server = await startTestServer();
    admin = await server.signIn('admin');
    selector = new LeadSelector(server.database.db);
    const { agents } = await buildTeam(server, admin, { kind: 'outbound_preview', agents: 20 });
    agentIds.push(...agents.map((a) => a.user.id));
  });
  after(async () => server?.close());

  async function campaignWith(leads: Parameters<typeof seedLeads>[2]) {
    const { campaign } = await buildTeam(server, admin, { kind: 'outbound_preview', agents: 0 });
    const ids = await seedLeads(
      server.database.db,
      { id: campaign.id, workspaceId: server.workspaceId },
      leads,
    );
    return { campaignId: campaign.id, ids };
  }

  test('20 agents asking at once never share a lead, and every lead is given once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 2, max: 20 }),
        async (count, agents) => {
          const { campaignId, ids } = await campaignWith(
            Array.from({ length: count }, (_, i) => ({
              fields: { Name: `Lead ${i}` },
              numbers: [['Mobile', `+6129876${String(i).padStart(4, '0')}`]],
              priority: i % 3,
            })),
          );
          const given = await Promise.all(
            agentIds.slice(0, agents).map(async (agent) => {
              const mine: string[] = [];
              for (;;) {
                const id = await selector.next(agent, campaignId, rules, TUESDAY_10AM);
                if (!id) return mine;
                mine.push(id);
              }
            }),
          );
          const all = given.flat();
          assert.equal(new Set(all).size, all.length, 'no lead given twice');
          assert.deepEqual([...all].sort(), [...ids].sort(), 'every lead given');
        },
      ),
      { numRuns: 8 },
    );
  });

  test('due callbacks first, then priority; a personal callback waits for its owner until the grace time', async () => {
    const db = server.database.db;
    const [owner, other] = agentIds;
    assert.ok(owner && other);
    const { campaignId, ids } = await campaignWith([
      { fields: { Name: 'High' }, numbers: [['Mobile', '+61298760001']], priority: 9 },
      { fields: { Name: 'Callback' }, numbers: [['Mobile', '+61298760002']] },
      { fields: { Name: 'Personal' }, numbers: [['Mobile', '+61298760003']] },
      { fields: { Name: 'Later' }, numbers: [['Mobile', '+61298760004']], priority: 99 },
    ]);
    const [high, callback, personal, later] = ids;
    assert.ok(high && callback && personal && later);
    const ago = (min: number) => new Date(TUESDAY_10AM.getTime() - min * 60_000);
    await db
      .updateTable('leads')
      .set({ callback_at: ago(5) })
      .where('id', '=', callback)
      .execute();
    await db
      .updateTable('leads')
      .set({ callback_at: ago(1), callback_owner_id: owner })
      .where('id', '=', personal)
      .execute();
    await db
      .updateTable('leads')
      .set({ callback_at: new Date(TUESDAY_10AM.getTime() + 3600_000) })
      .where('id', '=', later)
      .execute();

    assert.equal(
      await selector.next(other, campaignId, rules, TUESDAY_10AM),
      callback,
      'the due callback first',
    );
    assert.equal(
      await selector.next(other, campaignId, rules, TUESDAY_10AM),
      high,
      'not another’s personal callback',
    );
    assert.equal(
      await selector.next(other, campaignId, rules, TUESDAY_10AM),
      undefined,
      'nor a callback not yet due',
    );
    assert.equal(
      await selector.next(owner, campaignId, rules, TUESDAY_10AM),
      personal,
      'the owner gets theirs',
    );
    await selector.release([personal]);
    const pastGrace = new Date(TUESDAY_10AM.getTime() + 15 * 60_000);
    assert.equal(
      await selector.next(other, campaignId, rules, pastGrace),
      personal,
      'past the grace, anyone',
    );
  });

  test('only numbers the rules allow now: calling hours in the lead’s zone, completed, attempts, retry time, do-not-call', async () => {
    const db = server.database.db;
    const agent = agentIds[2] as string;
    const { campaignId, ids } = await campaignWith([
      { fields: { Name: 'Perth' }, numbers: [['Mobile', '+61898760001']] },
      { fields: { Name: 'Completed' }, numbers: [['Mobile', '+61298760011']] },
      { fields: { Name: 'Tried' }, numbers: [['Mobile', '+61298760012']] },
      { fields: { Name: 'Retry' }, numbers: [['Mobile', '+61298760013']] },
      { fields: { Name: 'DNC' }, numbers: [['Mobile', '+61298760014']] },
      { fields: { Name: 'Fine' }, numbers: [['Mobile', '+61298760015']], priority: -1 },
    ]);
    const [perth, completed, tried, retry, dnc, fine] = ids;
    await db
      .updateTable('leads')
      .set({ time_zone: 'Australia/Perth' })
      .where('id', '=', perth as string)
      .execute();
    await db
      .updateTable('lead_numbers')
      .set({ completed: true })
      .where('lead_id', '=', completed as string)
      .execute();
    await db
      .updateTable('lead_numbers')
      .set({ attempts: rules.maxAttemptsPerNumber })
      .where('lead_id', '=', tried as string)
      .execute();
    await db
      .updateTable('lead_numbers')
      .set({ next_call_at: new Date(TUESDAY_10AM.getTime() + 60_000) })
      .where('lead_id', '=', retry as string)
      .execute();
    await db
      .insertInto('do_not_call')
      .values({ workspace_id: server.workspaceId, number: '+61298760014' })
      .execute();

    // 10:00 in Sydney is 07:00 in Perth: only Fine may be called.
    assert.equal(await selector.next(agent, campaignId, rules, TUESDAY_10AM), fine);
    assert.equal(await selector.next(agent, campaignId, rules, TUESDAY_10AM), undefined);
    // Two hours later Perth is open and the retry time has passed.
    const noon = new Date(TUESDAY_10AM.getTime() + 2 * 3600_000);
    const later = [
      await selector.next(agent, campaignId, rules, noon),
      await selector.next(agent, campaignId, rules, noon),
    ];
    assert.deepEqual(later.sort(), [perth, retry].sort());
    assert.equal(
      await selector.next(agent, campaignId, rules, noon),
      undefined,
      'never the completed, tried-out or DNC',
    );
    assert.ok(dnc);
  });

  test('the ready time a wrap leaves: the soonest open number, and an exhausted lead back when the campaign allows more attempts', async () => {
    const db = server.database.db;
    const agent = agentIds[3] as string;
    const { campaignId, ids } = await campaignWith([
      { fields: { Name: 'Soon' }, numbers: [['Mobile', '+61298760021']], priority: 5 },
      {
        fields: { Name: 'Two numbers' },
        numbers: [
          ['Mobile', '+61298760022'],
          ['Home', '+61298760023'],
        ],
        priority: 4,
      },
      { fields: { Name: 'Exhausted' }, numbers: [['Mobile', '+61298760024']], priority: 3 },
    ]);
    const [soon, two, exhausted] = ids as [string, string, string];
    const inMinutes = (m: number) => new Date(TUESDAY_10AM.getTime() + m * 60_000);
    await db
      .updateTable('lead_numbers')
      .set({ next_call_at: inMinutes(1) })
      .where('lead_id', '=', soon)
      .execute();
    await db
      .updateTable('lead_numbers')
      .set({ next_call_at: inMinutes(60) })
      .where('lead_id', '=', two)
      .where('position', '=', 0)
      .execute();
    await db
      .updateTable('lead_numbers')
      .set({ attempts: rules.maxAttemptsPerNumber })
      .where('lead_id', '=', exhausted)
      .execute();
    await db
      .updateTable('campaigns')
      .set({ lead_rules: JSON.stringify(rules) })
      .where('id', '=', campaignId)
      .execute();
    await refreshReady(db, ids, rules);

    assert.equal(
      await selector.next(agent, campaignId, rules, TUESDAY_10AM),
      two,
      'its Home number is open now',
    );
    assert.equal(
      await selector.next(agent, campaignId, rules, TUESDAY_10AM),
      undefined,
      'Soon waits a minute',
    );
    assert.equal(await selector.next(agent, campaignId, rules, inMinutes(1)), soon, 'and then comes');
    assert.equal(await selector.next(agent, campaignId, rules, inMinutes(2)), undefined, 'Exhausted is out');

    const more = { ...rules, maxAttemptsPerNumber: rules.maxAttemptsPerNumber + 1 };
    await admin.campaigns(server.workspaceId).update(campaignId, { leadRules: more });
    assert.equal(
      await selector.next(agent, campaignId, more, inMinutes(2)),
      exhausted,
      'one more attempt allowed: it may be called again',
    );
  });
});
