import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError, HttpClient } from '@parley/client';
import type { DiallerReportDay } from '@parley/contract';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { AcdService } from '../src/agents/acd.service.js';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { type Db, openDatabase } from '../src/db/database.js';
import { seedDemoWorkspace } from '../src/demo/demo-seed.js';
import { registerDiallerRoutes } from '../src/dialler/dialler.routes.js';
import { type DiallerDeps, DiallerService } from '../src/dialler/dialler.service.js';
import { createStore, DEMO_PASSWORD } from './helpers.js';

type Outcome = 'connected' | 'abandoned' | 'no answer';
interface Story {
  at: string;
  outcome: Outcome;
  n?: number;
  /** Dialled this long before the answer (or the no answer). */
  ringMs?: number;
  waitedMs?: number;
  messagePlayed?: boolean;
}

/*
 * The story of "Renewals, "North"" (the name needs quoting in a CSV), answered calls by the hour:
 *  02-02 11:00 one abandoned (in day 1's and 2's 30 days, not day 4's), 13:00 one abandoned (in
 *  all three); 02-10 98 connected.
 *  03-01 one connected dialled on 02-28; 46 connected at 07:00; 50 at 09:00; 2 abandoned at 10:00
 *  (waited 2000 ms heard the message, 2150 ms hung up first); the last, connected, at 18:00;
 *  20 not answered.
 *  03-02 46 connected at 07:30, 3 abandoned at 07:45; the last, connected, at 08:00; 10 not answered.
 *  03-03 no call, one settings change. 03-04 9 connected at 11:00, the last abandoned at 12:00.
 */
const STORY: Story[] = [
  { at: '2026-02-02T11:00:00Z', outcome: 'abandoned', waitedMs: 2000 },
  { at: '2026-02-02T13:00:00Z', outcome: 'abandoned', waitedMs: 2000 },
  { at: '2026-02-10T10:00:00Z', outcome: 'connected', n: 98 },
  { at: '2026-03-01T00:00:03Z', outcome: 'connected', ringMs: 5000 },
  { at: '2026-03-01T07:00:00Z', outcome: 'connected', n: 46 },
  { at: '2026-03-01T09:00:00Z', outcome: 'connected', n: 50 },
  { at: '2026-03-01T10:00:00Z', outcome: 'abandoned', waitedMs: 2000, messagePlayed: true },
  { at: '2026-03-01T10:00:01Z', outcome: 'abandoned', waitedMs: 2150 },
  { at: '2026-03-01T18:00:00Z', outcome: 'connected' },
  { at: '2026-03-01T12:00:00Z', outcome: 'no answer', n: 20 },
  { at: '2026-03-02T07:30:00Z', outcome: 'connected', n: 46 },
  { at: '2026-03-02T07:45:00Z', outcome: 'abandoned', n: 3, waitedMs: 2000, messagePlayed: true },
  { at: '2026-03-02T08:00:00Z', outcome: 'connected' },
  { at: '2026-03-02T12:00:00Z', outcome: 'no answer', n: 10 },
  { at: '2026-03-04T11:00:00Z', outcome: 'connected', n: 9 },
  { at: '2026-03-04T12:00:00Z', outcome: 'abandoned', waitedMs: 2400, messagePlayed: true },
];

const NAME = 'Renewals, "North"';
const day = (date: string, figures: Partial<DiallerReportDay>): DiallerReportDay => ({
  date,
  dialled: 0,
  answered: 0,
  connected: 0,
  abandoned: 0,
  abandonRate: 0,
  messagesPlayed: 0,
  rate24Hours: 0,
  rate30Days: 0,
  longestAbandonWaitMs: 0,
  decisions: 0,
  settingsChanges: 0,
  ...figures,
});

/**
 * Predictive campaigns' compliance report and audit exports (H2), over rows put straight into
 * `dialler_calls` and `dialler_audit`: every figure of every day, the rolling windows at each
 * day's last answer, empty days, who may see which campaign, and the CSVs read back.
 */
describe('dialler report and exports', () => {
  const clock = new ManualClock(Date.parse('2026-03-04T12:00:00Z'));
  let close: () => Promise<void>;
  let db: Db;
  let url: string;
  let ws: string;
  let admin: HttpClient;
  let manager: HttpClient;
  let agent: HttpClient;
  let ours: string;
  let theirs: string;

  before(async () => {
    const store = await createStore();
    const config = loadConfig({
      DATA_DIR: store.dataDir,
      DATABASE_URL: store.databaseUrl,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DEMO_PASSWORD,
      ROLES: 'api,realtime,acd',
    });
    const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    db = database.db;
    await seedDemoWorkspace(db, config.dataDir, DEMO_PASSWORD);
    const app = await buildApp({ config, db });
    // The live figures from the real service; no agent is signed in to these campaigns.
    const acd = { campaignAgents: () => ({ free: [], busy: [] }) } as unknown as AcdService;
    const dialler = new DiallerService({ db, clock, acd } as unknown as DiallerDeps);
    if (!app.hasRoute({ method: 'GET', url: '/api/dialler/campaigns' }))
      registerDiallerRoutes(app, { db, dialler });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    close = async () => {
      await app.close();
      await database.close();
      await store.drop();
    };
    const signIn = async (username: string) => {
      const c = new HttpClient({ baseUrl: url, manageCookies: true });
      await c.login({ username, password: DEMO_PASSWORD });
      return c;
    };
    [admin, manager, agent] = await Promise.all([signIn('admin'), signIn('manager'), signIn('agent1')]);
    ws = (await db.selectFrom('workspaces').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow())
      .id;
    const teams = await admin.teams(ws).list();
    const sales = teams.find((t) => t.name === 'Sales');
    const other = await admin.teams(ws).create({ name: 'Night shift' });
    assert.ok(sales);
    const create = (name: string, teamId: string) =>
      admin.campaigns(ws).create({ name, kind: 'outbound_predictive', teamIds: [teamId] });
    ours = (await create(NAME, sales.id)).id;
    theirs = (await create('Night renewals', other.id)).id;

    const rows = STORY.flatMap((s) =>
      Array.from({ length: s.n ?? 1 }, () => {
        const at = new Date(s.at);
        const dialled = new Date(at.getTime() - (s.ringMs ?? 8000));
        const answered = s.outcome !== 'no answer';
        return {
          workspace_id: ws,
          campaign_id: ours,
          number: '+61290000001',
          dialled_at: dialled,
          answered_at: answered ? at : null,
          connected_at: s.outcome === 'connected' ? new Date(at.getTime() + 300) : null,
          ended_at: new Date(at.getTime() + 60_000),
          outcome: s.outcome,
          waited_ms: s.outcome === 'connected' ? 300 : (s.waitedMs ?? null),
          message_played: s.messagePlayed ?? false,
          reason: s.outcome === 'abandoned' ? 'no agent was free within 2 s' : null,
        };
      }),
    );
    await db.insertInto('dialler_calls').values(rows).execute();
    // Another campaign's calls count nowhere here.
    await db
      .insertInto('dialler_calls')
      .values({ ...rows[3], campaign_id: theirs, outcome: 'abandoned' } as (typeof rows)[number])
      .execute();
    const adminId = (
      await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
    ).id;
    const entry = (
      at: string,
      kind: 'decision' | 'abandon' | 'settings',
      detail: object,
      campaign = ours,
    ) => ({
      workspace_id: ws,
      campaign_id: campaign,
      campaign_name: NAME,
      at: new Date(at),
      kind,
      actor_id: kind === 'settings' ? adminId : null,
      detail: JSON.stringify(detail),
    });
    await db
      .insertInto('dialler_audit')
      .values([
        entry('2026-02-28T23:00:00Z', 'decision', decision(9)),
        entry('2026-03-01T09:59:59Z', 'decision', decision(1)),
        entry('2026-03-01T10:00:02Z', 'abandon', ABANDON),
        entry('2026-03-01T10:00:03Z', 'decision', decision(2)),
        entry('2026-03-01T10:00:03Z', 'decision', decision(3)),
        entry('2026-03-02T07:00:00Z', 'decision', decision(4)),
        entry('2026-03-03T15:00:00Z', 'settings', {
          predictive: { before: { abandonCap: 0.03 }, after: { abandonCap: 0.02 } },
          ringSeconds: { before: 20, after: 25 },
        }),
        entry('2026-03-01T12:00:00Z', 'decision', decision(7), theirs),
      ])
      .execute();
  });
  after(async () => close?.());

  const report = (c: HttpClient, campaignId: string, from: string, to: string) =>
    c.diallerReport(ws, campaignId, from, to);
  const csv = async (
    c: HttpClient,
    campaignId: string,
    what: 'audit' | 'calls',
    from: string,
    to: string,
  ) => {
    const res = await c.requestRaw('GET', c.diallerCsvUrl(ws, campaignId, what, from, to).slice(url.length));
    const text = await res.text();
    return {
      res,
      text,
      rows: parse(text, { columns: true }) as Record<string, string>[],
    };
  };
  const refused = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => assert.fail('not refused'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApiError);
    return { status: err.status, code: err.code };
  };

  test('every figure of every day, the windows at the day’s last answer, empty days as zeros', async () => {
    const r = await report(admin, ours, '2026-03-01', '2026-03-05');
    assert.equal(r.name, NAME);
    assert.equal(r.cap, 0.03);
    assert.deepEqual(r.days, [
      day('2026-03-01', {
        dialled: 119,
        answered: 100,
        connected: 98,
        abandoned: 2,
        abandonRate: 0.02,
        messagesPlayed: 1,
        // 24 h: the day's 100 (02-28 answered nothing); 30 days: both of 02-02, 98 of 02-10.
        rate24Hours: 2 / 100,
        rate30Days: 4 / 200,
        longestAbandonWaitMs: 2150,
        decisions: 3,
      }),
      day('2026-03-02', {
        dialled: 60,
        answered: 50,
        connected: 47,
        abandoned: 3,
        abandonRate: 3 / 50,
        messagesPlayed: 3,
        // 24 h from 03-01 08:00: 53 of 03-01's answers (2 abandoned) and the day's 50.
        rate24Hours: 5 / 103,
        rate30Days: 7 / 250,
        longestAbandonWaitMs: 2000,
        decisions: 1,
      }),
      day('2026-03-03', { settingsChanges: 1 }),
      day('2026-03-04', {
        dialled: 10,
        answered: 10,
        connected: 9,
        abandoned: 1,
        abandonRate: 0.1,
        messagesPlayed: 1,
        rate24Hours: 1 / 10,
        // From 02-02 12:00: 02-02's 13:00 abandon in, its 11:00 one out.
        rate30Days: 7 / 259,
        longestAbandonWaitMs: 2400,
      }),
      day('2026-03-05', {}),
    ]);
  });

  test('a one-day range, and the live view agreeing with the last day’s windows', async () => {
    const r = await report(manager, ours, '2026-03-04', '2026-03-04');
    assert.deepEqual(
      r.days.map((d) => [d.date, d.answered, d.rate30Days]),
      [['2026-03-04', 10, 7 / 259]],
    );
    const live = await manager.diallerCampaigns();
    const all = (await admin.diallerCampaigns()).map((x) => x.name);
    assert.ok(
      all.includes('Night renewals') && all.includes(NAME),
      'an administrator sees all the workspace’s',
    );
    assert.deepEqual(
      live.map((x) => x.name),
      all.filter((n) => n !== 'Night renewals'),
      'a manager sees their teams’ campaigns only (the demo’s Sales one too)',
    );
    const c = live.find((x) => x.name === NAME);
    assert.ok(c);
    assert.deepEqual(c.windows, [
      { name: '24 hours', answered: 10, abandoned: 1, rate: 0.1 },
      { name: '30 days', answered: 259, abandoned: 7, rate: 7 / 259 },
    ]);
    assert.deepEqual(c.today, { dialled: 10, answered: 10, connected: 9, abandoned: 1 });
  });

  test('a manager is not shown another team’s campaign; agents are refused', async () => {
    const notFound = { status: 404, code: 'NOT_FOUND' };
    assert.deepEqual(await refused(report(manager, theirs, '2026-03-01', '2026-03-02')), notFound);
    assert.deepEqual(await refused(csv(manager, theirs, 'audit', '2026-03-01', '2026-03-02')), notFound);
    assert.deepEqual(await refused(csv(manager, theirs, 'calls', '2026-03-01', '2026-03-02')), notFound);
    assert.deepEqual(await refused(report(admin, crypto.randomUUID(), '2026-03-01', '2026-03-02')), notFound);
    const forbidden = { status: 403, code: 'FORBIDDEN_ROLE' };
    assert.deepEqual(await refused(agent.diallerCampaigns()), forbidden);
    assert.deepEqual(await refused(report(agent, ours, '2026-03-01', '2026-03-02')), forbidden);
    assert.deepEqual(await refused(csv(agent, ours, 'audit', '2026-03-01', '2026-03-02')), forbidden);
    // The theirs campaign's figures are there for the administrator.
    const r = await report(admin, theirs, '2026-03-01', '2026-03-01');
    assert.equal(r.days[0]?.decisions, 1);
  });

  test('dates out of order, a range over 366 days, or no date at all are refused', async () => {
    const invalid = { status: 400, code: 'VALIDATION_FAILED' };
    for (const [from, to] of [
      ['2026-03-02', '2026-03-01'],
      ['2025-01-01', '2026-01-02'],
      ['2026-02-30', '2026-03-01'],
      ['2026-3-1', '2026-03-01'],
      ['', '2026-03-01'],
    ] as const) {
      assert.deepEqual(await refused(report(manager, ours, from, to)), invalid, `${from}..${to}`);
      assert.deepEqual(await refused(csv(manager, ours, 'audit', from, to)), invalid, `${from}..${to} CSV`);
    }
    // 366 days is the most.
    assert.equal((await report(manager, ours, '2025-03-04', '2026-03-04')).days.length, 366);
  });

  test('the audit log as CSV: in time order, each kind’s detail in columns, names quoted', async () => {
    const { res, text, rows } = await csv(manager, ours, 'audit', '2026-03-01', '2026-03-03');
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(
      res.headers.get('content-disposition'),
      'attachment; filename="dialler-audit-renewals-north-2026-03-01-2026-03-03.csv"',
    );
    assert.ok(text.includes('"Renewals, ""North"""'), 'RFC 4180 quoting');
    assert.ok(text.endsWith('\r\n'));
    assert.deepEqual(
      rows.map((r) => [r.time, r.kind, r.campaign, r.dial]),
      [
        ['2026-03-01T09:59:59.000Z', 'decision', NAME, '1'],
        ['2026-03-01T10:00:02.000Z', 'abandon', NAME, ''],
        ['2026-03-01T10:00:03.000Z', 'decision', NAME, '2'],
        ['2026-03-01T10:00:03.000Z', 'decision', NAME, '3'],
        ['2026-03-02T07:00:00.000Z', 'decision', NAME, '4'],
        ['2026-03-03T15:00:00.000Z', 'settings', NAME, ''],
      ],
    );
    const [first, abandon, , , , settings] = rows;
    assert.deepEqual(pick(first, DECISION_COLUMNS), {
      actor: '',
      dial: '1',
      placed: '1',
      mode: 'predictive',
      'free agents': '2',
      'in flight': '3',
      'answer rate': '0.31',
      'expected answers': '1.2',
      'expected abandons': '0.01',
      allowance: '0.5',
      '24-hour answered': '52',
      '24-hour abandoned': '2',
      '30-day answered': '202',
      '30-day abandoned': '4',
      number: '',
    });
    assert.deepEqual(pick(abandon, ABANDON_COLUMNS), {
      number: '+61290000001',
      'answered at': '2026-03-01T10:00:00.000Z',
      'waited ms': '2000',
      'message played': 'true',
      'locked until': '2026-03-04T10:00:02.000Z',
      '24-hour answered': '51',
      dial: '',
    });
    assert.equal(settings?.actor, 'Alex Admin');
    assert.equal(settings?.changed, 'predictive ringSeconds');
    assert.deepEqual(JSON.parse(settings?.before ?? ''), {
      predictive: { abandonCap: 0.03 },
      ringSeconds: 20,
    });
    assert.deepEqual(JSON.parse(settings?.after ?? ''), {
      predictive: { abandonCap: 0.02 },
      ringSeconds: 25,
    });
  });

  test('the calls as CSV: every call dialled in the range with its times and outcome', async () => {
    const { res, rows } = await csv(admin, ours, 'calls', '2026-03-01', '2026-03-01');
    assert.equal(
      res.headers.get('content-disposition'),
      'attachment; filename="dialler-calls-renewals-north-2026-03-01-2026-03-01.csv"',
    );
    assert.equal(rows.length, 119, 'the call dialled on 02-28 belongs to 02-28');
    const count = (outcome: string) => rows.filter((r) => r.outcome === outcome).length;
    assert.deepEqual([count('connected'), count('abandoned'), count('no answer')], [97, 2, 20]);
    const times = rows.map((r) => r['dialled at'] ?? '');
    assert.deepEqual(times, [...times].sort(), 'in dialling order');
    const hungUp = rows.find((r) => r['waited ms'] === '2150');
    assert.deepEqual(hungUp && pick(hungUp, ['outcome', 'answered at', 'message played', 'reason']), {
      outcome: 'abandoned',
      'answered at': '2026-03-01T10:00:01.000Z',
      'message played': 'false',
      reason: 'no agent was free within 2 s',
    });
    const unanswered = rows.find((r) => r.outcome === 'no answer');
    assert.deepEqual(unanswered && pick(unanswered, ['answered at', 'message played', 'ended at']), {
      'answered at': '',
      'message played': '',
      'ended at': '2026-03-01T12:01:00.000Z',
    });
  });

  test('a long export is read a page at a time: no row lost or repeated, even within a millisecond', async () => {
    const rows = 2500;
    // Three decisions every half millisecond: several share a time, some only to the microsecond.
    await sql`
      insert into dialler_audit (workspace_id, campaign_id, campaign_name, at, kind, detail)
      select ${ws}, ${ours}, 'Renewals', timestamptz '2026-03-05 10:00:00+00' + (i / 3) * interval '500 microseconds',
        'decision', jsonb_build_object('decision', jsonb_build_object('dial', i))
      from generate_series(1, ${rows}) as i
    `.execute(db);
    const { rows: got } = await csv(admin, ours, 'audit', '2026-03-05', '2026-03-05');
    assert.equal(got.length, rows);
    const dials = got.map((r) => Number(r.dial));
    assert.deepEqual(
      [...dials].sort((a, b) => a - b),
      Array.from({ length: rows }, (_, i) => i + 1),
    );
    const times = got.map((r) => r.time ?? '');
    assert.deepEqual(times, [...times].sort());
    assert.equal((await report(admin, ours, '2026-03-05', '2026-03-05')).days[0]?.decisions, rows);
  });
});

const DECISION_COLUMNS = [
  'actor',
  'dial',
  'placed',
  'mode',
  'free agents',
  'in flight',
  'answer rate',
  'expected answers',
  'expected abandons',
  'allowance',
  '24-hour answered',
  '24-hour abandoned',
  '30-day answered',
  '30-day abandoned',
  'number',
];
const ABANDON_COLUMNS = [
  'number',
  'answered at',
  'waited ms',
  'message played',
  'locked until',
  '24-hour answered',
  'dial',
];

function pick(
  row: Record<string, string> | undefined,
  columns: string[],
): Record<string, string | undefined> {
  return Object.fromEntries(columns.map((c) => [c, row?.[c]]));
}

/** A decision as the dialler records it (the windows count answers that reached an agent). */
function decision(dial: number) {
  return {
    input: {
      freeAgents: 2,
      soonFree: 1,
      inFlight: 3,
      answerRate: 0.31,
      windows: { '24 hours': { answered: 50, abandoned: 2 }, '30 days': { answered: 198, abandoned: 4 } },
      cap: 0.03,
    },
    decision: { dial, mode: 'predictive', expectedAnswers: 1.2, expectedAbandons: 0.01, allowance: 0.5 },
    placed: dial,
  };
}

const ABANDON = {
  callId: '00000000-0000-4000-8000-000000000001',
  number: '+61290000001',
  answeredAt: '2026-03-01T10:00:00.000Z',
  waitedMs: 2000,
  messagePlayed: true,
  hungUp: false,
  lockedUntil: '2026-03-04T10:00:02.000Z',
  windows: { '24 hours': { answered: 50, abandoned: 1 }, '30 days': { answered: 198, abandoned: 3 } },
};
