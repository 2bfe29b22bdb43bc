// npm run bench:leads (issue #16 item 10). Two parts; it prints figures and never fails on time.
//
// (a) CSV import on the embedded database (PGlite). Target: 100,000 rows in under 15 s. The
// server runs as its own process (bench/platform.ts starts src/main.ts on a fresh data folder);
// the bench signs in as the demo administrator, creates a preview campaign (numbers read in AU)
// and a list, and streams a generated file (never whole in memory: a chunk of rows at a time)
// through POST /api/workspaces/:ws/lead-lists/:list/imports?phone=Mobile&phone=Home&priority=...,
// then follows the job with GET /api/workspaces/:ws/lead-imports/:id until it completes. Prints
// rows/s, the upload (POST to 202) and the whole time (POST to completed), the job's counts, and
// the server's resident memory before and at its peak (VmHWM, /proc).
//
// (b) Next-lead selection on the PostgreSQL server. Target: p99 < 10 ms with 1,000,000 leads and
// 200 agents. A fresh database (test-store's createStore('postgres'), dropped at the end), the
// schema by the migrations; 1,000,000 leads with about 1.5 numbers each loaded with INSERT ...
// SELECT generate_series (seeded, so every run loads the same mix: see loadLeads), ANALYZE.
// Then LeadSelector.next itself, the server's statements, over the bench's own pg pool (LEADS_POOL
// connections), with a fixed clock (a Tuesday, 10:00 in Sydney, 07:00 in Perth):
//   1. one agent alone, taking and wrapping leads one after another: the statements' own cost;
//   2. 200 agents, each asking on average every LEADS_PACE_MS (4 s: 50 selections/s, some 25
//      times what 200 agents on calls ask for), taking the lead and wrapping it;
//   3. 200 agents flat out, each taking a lead and releasing it at once (the lead unchanged):
//      the most contended case, every agent after the same few leads;
//   4. 200 agents flat out, each taking a lead and wrapping it as lead-work does (no answer: the
//      number retried in an hour; complete the lead; Complete Phone Number; a callback
//      tomorrow): what an hour or two of a busy campaign leaves at the head of the index.
// A wrap is one transaction: an attempt on the first open number and on the lead, the outcome,
// and the lead let go. Each selection is timed whole (with the wait for a pool connection) and
// without that wait (the statements' round trips: what the target is about), and by the pass
// that served it (the due callbacks, or the priority order after an empty callbacks pass). A
// lead handed to a second agent while the first still held it counts as a double (none may
// happen); no lead may stay reserved after the phases. EXPLAIN (ANALYZE, BUFFERS) of both passes
// as LeadSelector writes them (captured, rolled back), before and after the phases.
//
// Environment: LEADS_PART=import|select (default both), LEADS_IMPORT_ROWS (100000), LEADS_PROF
// (a folder for a V8 CPU profile of the import's server), LEADS_COUNT (1000000), LEADS_AGENTS
// (200), LEADS_POOL (20), LEADS_SERIAL (phase 1, 1000), LEADS_PACED (phase 2, 3000),
// LEADS_PACE_MS (4000), LEADS_SELECTIONS (phase 3, 5000), LEADS_WRAPS (phase 4, 10000),
// LEADS_KEEP=1 (leave the database for a look; drop it yourself), PG_ADMIN_URL (test-store's).
// A smoke run: LEADS_IMPORT_ROWS=2000 LEADS_COUNT=20000 LEADS_SERIAL=200 LEADS_PACED=200
// LEADS_SELECTIONS=500 LEADS_WRAPS=2000.
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { HttpClient } from '@parley/client';
import { DEFAULT_LEAD_RULES, type LeadImport, type LeadRules } from '@parley/contract';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { type Db, openDatabase } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { createStore } from '../src/db/test-store.js';
import {
  LeadSelector,
  refreshCampaignReady,
  refreshReady,
  SELECTION_PASSES,
  type SelectionPass,
} from '../src/leads/lead-selector.js';
import { cpuSeconds, startPlatform, stopPlatform } from './platform.js';

const PART = process.env.LEADS_PART ?? 'all';
const IMPORT_ROWS = Number(process.env.LEADS_IMPORT_ROWS ?? 100_000);
const LEADS = Number(process.env.LEADS_COUNT ?? 1_000_000);
const AGENTS = Number(process.env.LEADS_AGENTS ?? 200);
const POOL = Number(process.env.LEADS_POOL ?? 20);
const SERIAL = Number(process.env.LEADS_SERIAL ?? 1_000);
const SELECTIONS = Number(process.env.LEADS_SELECTIONS ?? 5_000);
const WRAPS = Number(process.env.LEADS_WRAPS ?? 10_000);
const PACED = Number(process.env.LEADS_PACED ?? 3_000);
const PACE_MS = Number(process.env.LEADS_PACE_MS ?? 4_000);
const KEEP = process.env.LEADS_KEEP === '1';
const PROF = process.env.LEADS_PROF;
const PASSWORD = 'bench-password-123';

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
}
function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  return `p50 ${ms(pct(s, 0.5))}  p95 ${ms(pct(s, 0.95))}  p99 ${ms(pct(s, 0.99))}  max ${ms(s.at(-1) ?? Number.NaN)} ms`;
}

/** A /proc/<pid>/status figure in kB (VmRSS, VmHWM). */
function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? Number.NaN);
}

// --- (a) the CSV import ------------------------------------------------------------------------

const CSV_HEADER = 'First Name,Last Name,Mobile,Home,Email,Postcode,Priority,Notes';
const FIRST = ['Ann', 'Ben', 'Cy', 'Di', 'Ed', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo'];
const LAST = ['Archer', 'Baker', 'Carter', 'Dune', 'Early', 'Fox', 'Gray', 'Hill', 'Ives', 'Jones'];
/** Row i: a unique mobile (0410 000 000 + i) and, on two rows in three, a unique landline. */
function csvRow(i: number): string {
  const first = FIRST[i % 10] as string;
  const last = LAST[Math.floor(i / 10) % 10] as string;
  const mobile = `04${String(10_000_000 + i)}`;
  const home = i % 3 === 2 ? '' : `(02) 9${String(i).padStart(7, '0')}`;
  const notes = i % 5 === 0 ? '"Renewal due, call after lunch"' : 'Renewal due';
  return `${first},${last} ${i},${mobile},${home},${first.toLowerCase()}.${i}@example.com,${2000 + (i % 900)},${i % 10 === 0 ? 5 : 0},${notes}`;
}

/** A CSV made as it is sent, a chunk of rows at a time: never a whole file in memory. */
function generatedCsv(rows: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(encoder.encode(`${CSV_HEADER}\r\n`));
    },
    pull(c) {
      if (i >= rows) return c.close();
      const lines: string[] = [];
      for (const end = Math.min(rows, i + 500); i < end; i++) lines.push(csvRow(i));
      c.enqueue(encoder.encode(`${lines.join('\r\n')}\r\n`));
    },
  });
}

async function importBench(): Promise<void> {
  const store = await createStore('pglite');
  const server = await startPlatform({ dataDir: store.dataDir, password: PASSWORD, prof: PROF });
  const pid = server.child.pid as number;
  try {
    const admin = new HttpClient({ baseUrl: server.url, manageCookies: true });
    const session = await admin.login({ username: 'admin', password: PASSWORD });
    const ws = session.workspace.id;
    const campaign = await admin.campaigns(ws).create({
      name: 'Bench Renewals',
      kind: 'outbound_preview',
      leadRules: { ...DEFAULT_LEAD_RULES, defaultCountry: 'AU', timeZone: 'Australia/Sydney' },
    });
    const list = await admin.leadLists(ws).create({ campaignId: campaign.id, name: 'Bench import' });
    const rssBefore = procKb(pid, 'VmRSS');
    let rssPeakSampled = rssBefore;
    const sampler = setInterval(() => {
      rssPeakSampled = Math.max(rssPeakSampled, procKb(pid, 'VmRSS'));
    }, 250);
    console.log(
      `(a) CSV import: ${fmt(IMPORT_ROWS)} generated rows (${CSV_HEADER}; phone columns Mobile and Home), PGlite, server pid ${pid}`,
    );
    const cpu0 = cpuSeconds(pid);
    const t0 = now();
    let job: LeadImport;
    let uploaded: number;
    try {
      const started = await admin.leadLists(ws).importCsv(list.id, generatedCsv(IMPORT_ROWS), {
        phone: ['Mobile', 'Home'],
        priority: 'Priority',
      });
      uploaded = now();
      job = await admin.leadImports(ws).wait(started.id, { intervalMs: 100, timeoutMs: 600_000 });
    } finally {
      clearInterval(sampler);
    }
    const t1 = now();
    const cpu = cpuSeconds(pid) - cpu0;
    const seconds = (t1 - t0) / 1000;
    const leads = (await admin.leadLists(ws).get(list.id)).leads;
    const peak = procKb(pid, 'VmHWM');
    console.log(
      `    ${fmt(IMPORT_ROWS / seconds)} rows/s: ${seconds.toFixed(1)} s from POST to completed ` +
        `(upload ${((uploaded - t0) / 1000).toFixed(1)} s, ${(job.bytes / 1024 / 1024).toFixed(1)} MB; ` +
        `reading and writing ${((t1 - uploaded) / 1000).toFixed(1)} s)  [target: ${fmt(100_000)} rows < 15 s]`,
    );
    console.log(
      `    server CPU meanwhile: ${cpu.toFixed(1)} s (${Math.round((cpu / seconds) * 100)}% of one core; ` +
        `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`,
    );
    console.log(
      `    job ${job.status}: read ${fmt(job.rowsRead)}, imported ${fmt(job.imported)}, duplicates ${job.duplicates}, ` +
        `rejected ${job.rejected}, report lines ${job.reportLines}; the list holds ${fmt(leads)} leads`,
    );
    console.log(
      `    server RSS: ${mb(rssBefore)} before the import, peak ${mb(rssPeakSampled)} sampled during it, ` +
        `${mb(peak)} peak since start (VmHWM)`,
    );
    if (job.status !== 'completed' || job.imported !== IMPORT_ROWS || job.rejected !== 0)
      console.log(`    !! not every row imported: ${JSON.stringify(job.error)}`);
  } finally {
    await stopPlatform(server);
    await store.drop();
  }
}

// --- (b) next-lead selection -------------------------------------------------------------------

const RULES: LeadRules = { ...DEFAULT_LEAD_RULES, defaultCountry: 'AU', timeZone: 'Australia/Sydney' };
/** Tuesday 8 December 2026, 10:00 in Sydney (07:00 in Perth: its leads are outside calling hours). */
const NOW = new Date('2026-12-07T23:00:00Z');
/** The due callbacks and the future ones, out of every lead. */
const DUE_CALLBACKS = 1 / 1000;
const FUTURE_CALLBACKS = 2 / 100;

/**
 * The campaign's leads, seeded (setseed), so every run loads the same mix:
 * - time zones as an import sets them: 69% Sydney (the campaign's), 10% Perth (outside calling
 *   hours at NOW), 8% Brisbane, 7% Adelaide, 5% Auckland, and 1% none (the campaign's);
 * - 15% done; priority 0 (70%), 1-3 (20%), 5 (8%), 10 (2%);
 * - 0.1% with a due callback (a third of them personal, to one of the agents, due up to 3 days
 *   ago), 2% with one in the next 2 days;
 * - a lead-level next call (a retry outcome): 75% none, 20% past, 5% in the next 2 days;
 *   attempts 0-4, 0.5% at the lead's limit (15);
 * - numbers: a mobile for every lead, a landline for one in three, a work number for one in
 *   seven (about 1.48 a lead); 8% completed, 2% at the number's attempt limit, 6% retried later,
 *   15% with a retry time past; every 200th lead's mobile on the do-not-call list.
 */
async function loadLeads(db: Db, ids: { ws: string; campaign: string; list: string; agents: string[] }) {
  await sql`select setseed(0.42)`.execute(db);
  const t0 = now();
  await sql`
    insert into leads (workspace_id, campaign_id, list_id, fields, time_zone, priority, done,
      next_call_at, callback_at, callback_owner_id, attempts, last_attempt_at, last_outcome)
    select ${ids.ws}::uuid, ${ids.campaign}::uuid, ${ids.list}::uuid,
      json_build_object('First Name', 'First ' || i, 'Last Name', 'Last ' || i,
        'Email', 'lead' || i || '@example.com', 'Postcode', (2000 + i % 900)::text, 'Notes', 'Renewal due'),
      case when z < 0.01 then null when z < 0.70 then 'Australia/Sydney' when z < 0.80 then 'Australia/Perth' when z < 0.88 then 'Australia/Brisbane'
        when z < 0.95 then 'Australia/Adelaide' else 'Pacific/Auckland' end,
      case when p < 0.70 then 0 when p < 0.90 then 1 + (i % 3) when p < 0.98 then 5 else 10 end,
      d < 0.15,
      case when n < 0.75 then null when n < 0.95 then ${NOW}::timestamptz - (n * interval '3 days')
        else ${NOW}::timestamptz + (n * interval '2 days') end,
      case when c < ${DUE_CALLBACKS} then ${NOW}::timestamptz - (c / ${DUE_CALLBACKS} * interval '3 days')
        when c < ${DUE_CALLBACKS + FUTURE_CALLBACKS} then ${NOW}::timestamptz + ((c - ${DUE_CALLBACKS}) / ${FUTURE_CALLBACKS} * interval '2 days')
        end,
      case when c < ${DUE_CALLBACKS / 3} then (${ids.agents}::uuid[])[1 + (i % ${ids.agents.length})] end,
      case when n < 0.75 and c >= ${DUE_CALLBACKS + FUTURE_CALLBACKS} then 0 when a < 0.005 then 15 else 1 + (i % 4) end,
      case when n >= 0.75 or c < ${DUE_CALLBACKS + FUTURE_CALLBACKS} then ${NOW}::timestamptz - interval '3 days' end,
      case when n >= 0.75 or c < ${DUE_CALLBACKS + FUTURE_CALLBACKS} then 'No Answer' end
    from (
      select i, random() z, random() p, random() d, random() n, random() c, random() a
      from generate_series(1, ${LEADS}) i
    ) r
  `.execute(db);
  const t1 = now();
  await sql`
    insert into lead_numbers (lead_id, position, label, number, attempts, next_call_at, completed)
    select l.id, k, case k when 0 then 'Mobile' when 1 then 'Home' else 'Work' end,
      case k when 0 then '+614' when 1 then '+612' else '+613' end || lpad(l.seq::text, 8, '0'),
      case when s < 0.02 then 5 else floor(s * 4)::int end,
      case when s >= 0.90 and s < 0.96 then ${NOW}::timestamptz + interval '1 hour' * (1 + floor(s * 100)::int % 5)
        when s >= 0.75 and s < 0.90 then ${NOW}::timestamptz - interval '1 hour' end,
      s >= 0.02 and s < 0.10
    from (
      select l.id, l.seq, k, random() s
      from leads l cross join generate_series(0, 2) k
      where k = 0 or (k = 1 and l.seq % 3 = 0) or (k = 2 and l.seq % 7 = 0)
    ) l
  `.execute(db);
  // What the wrap keeps on each lead (migration 0023): when it may next be called.
  await refreshCampaignReady(db, ids.campaign, RULES);
  const t2 = now();
  await sql`
    insert into do_not_call (workspace_id, number, reason)
    select ${ids.ws}::uuid, '+614' || lpad(i::text, 8, '0'), 'bench'
    from generate_series(200, (select max(seq) from leads)::int, 200) i
  `.execute(db);
  await sql`analyze`.execute(db);
  const t3 = now();
  return { leads: (t1 - t0) / 1000, numbers: (t2 - t1) / 1000, rest: (t3 - t2) / 1000 };
}

/** One selection's timings: the whole call, the waits for a pool connection, its statements. */
interface Timing {
  wait: number;
  statements: number;
}
const timing = new AsyncLocalStorage<Timing>();

/** A pg pool that notes, for the selection running, how long it waited for each connection. */
function timedPool(url: string, max: number): { pool: pg.Pool; dialectPool: PostgresPoolLike } {
  const pool = new pg.Pool({ connectionString: url, max });
  return {
    pool,
    dialectPool: {
      async connect() {
        const t = timing.getStore();
        const start = now();
        const client = await pool.connect();
        if (t) {
          t.wait += now() - start;
          t.statements++;
        }
        return client;
      },
      end: () => pool.end(),
    },
  };
}
type PostgresPoolLike = { connect(): Promise<pg.PoolClient>; end(): Promise<void> };

interface PhaseResult {
  /** Per selection: the whole call, and without the waits for a pool connection. */
  total: number[];
  inDb: number[];
  /** Without pool wait, by the pass that served it: the due callbacks (one statement), the priority order (two). */
  callbackPass: number[];
  priorityPass: number[];
  empty: number;
  doubles: number;
  seconds: number;
  /** Leads rows read during the phase, by index (idx_tup_read) and by sequential scans (seq_tup_read). */
  indexReads: Map<string, number>;
}

type Outcome = 'no answer' | 'complete lead' | 'complete number' | 'callback';
/** The outcome of the n-th wrap: 60% no answer, 25% complete the lead, 10% the number, 5% a callback. */
function outcomeOf(n: number): Outcome {
  const r = (n * 37) % 100;
  return r < 60 ? 'no answer' : r < 85 ? 'complete lead' : r < 95 ? 'complete number' : 'callback';
}

/**
 * What lead-work does around a call, in one transaction: the dial counts an attempt on the
 * number and the lead; the wrap sets the number's outcome (a retry time after no answer, or
 * completed) and the lead's (done when complete or when no number is left; a callback; the
 * callback cleared otherwise, as applyOutcome does), and the lead is let go.
 */
async function wrapLead(db: Db, leadId: string, outcome: Outcome): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const number = await tx
      .selectFrom('lead_numbers')
      .select('id')
      .where('lead_id', '=', leadId)
      .where('completed', '=', false)
      .orderBy('position')
      .executeTakeFirst();
    if (number)
      await tx
        .updateTable('lead_numbers')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_attempt_at: NOW,
          last_outcome: outcome,
          ...(outcome === 'no answer' && { next_call_at: new Date(NOW.getTime() + 3600_000) }),
          ...(outcome === 'complete number' && { completed: true }),
        }))
        .where('id', '=', number.id)
        .execute();
    const open = await tx
      .selectFrom('lead_numbers')
      .select('id')
      .where('lead_id', '=', leadId)
      .where('completed', '=', false)
      .executeTakeFirst();
    await tx
      .updateTable('leads')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_attempt_at: NOW,
        last_outcome: outcome,
        done: outcome === 'complete lead' || !open,
        ...(outcome === 'callback'
          ? { callback_at: new Date(NOW.getTime() + 86_400_000), callback_owner_id: null }
          : outcome !== 'complete number' && { callback_at: null, callback_owner_id: null }),
        reserved_by: null,
        reserved_at: null,
      }))
      .where('id', '=', leadId)
      .execute();
    await refreshReady(tx, [leadId], RULES);
  });
}

interface Phase {
  agents: string[];
  /** Stop after this many selections. */
  count: number;
  /** Let the lead go at once, unchanged ('release'), or wrapped with an outcome ('wrap'). */
  mode: 'release' | 'wrap';
  /** Each agent asks on average every this many ms (a random pause before each); 0: at once. */
  paceMs?: number;
  /** Told every 2,000 selections (the times without pool wait so far). */
  window?: (done: number, inDb: number[]) => void;
}

/** The agents at once, each asking for its next lead and letting it go, until `count` selections. */
async function runPhase(
  db: Db,
  pool: pg.Pool,
  selector: LeadSelector,
  campaignId: string,
  phase: Phase,
): Promise<PhaseResult> {
  const held = new Map<string, number>();
  const r: PhaseResult = {
    total: [],
    inDb: [],
    callbackPass: [],
    priorityPass: [],
    empty: 0,
    doubles: 0,
    seconds: 0,
    indexReads: new Map(),
  };
  const readsBefore = await indexReads(pool);
  let started = 0;
  let wraps = 0;
  const t0 = now();
  let lastEnd = t0;
  await Promise.all(
    phase.agents.map(async (agentId, agent) => {
      while (started < phase.count) {
        if (phase.paceMs) await sleep(-Math.log(1 - Math.random()) * phase.paceMs);
        if (started >= phase.count) break;
        started++;
        const t: Timing = { wait: 0, statements: 0 };
        const start = now();
        const leadId = await timing.run(t, () => selector.next(agentId, campaignId, RULES, NOW));
        lastEnd = now();
        const took = lastEnd - start;
        r.total.push(took);
        r.inDb.push(took - t.wait);
        if (phase.window && r.inDb.length % 2_000 === 0) phase.window(r.inDb.length, r.inDb);
        if (!leadId) {
          r.empty++;
          continue;
        }
        const served = await db
          .selectFrom('leads')
          .select((eb) => eb('callback_at', 'is not', null).as('callback'))
          .where('id', '=', leadId)
          .executeTakeFirst();
        (served?.callback ? r.callbackPass : r.priorityPass).push(took - t.wait);
        if (held.has(leadId)) r.doubles++;
        held.set(leadId, agent);
        // Let go: off the map first, so a lead taken by another agent after the release has
        // committed is never counted as a double (one taken before it would be).
        held.delete(leadId);
        if (phase.mode === 'release') await selector.release([leadId]);
        else await wrapLead(db, leadId, outcomeOf(wraps++));
      }
    }),
  );
  // To the last selection's answer: paced agents may still be pausing after it.
  r.seconds = (lastEnd - t0) / 1000;
  for (const [index, n] of await indexReads(pool)) r.indexReads.set(index, n - (readsBefore.get(index) ?? 0));
  return r;
}

/**
 * Index entries read so far, by index of the leads table: how far the selections walk, whatever
 * the machine's speed. Statistics reach the view within a second of a transaction's end.
 */
async function indexReads(pool: pg.Pool): Promise<Map<string, number>> {
  // Every connection of the pool sends what it counted (PostgreSQL 15: at its next idle moment).
  const clients = await Promise.all(Array.from({ length: POOL }, () => pool.connect()));
  for (const c of clients) await c.query('select pg_stat_force_next_flush()');
  for (const c of clients) c.release();
  await sleep(500);
  const { rows } = await pool.query<{ name: string; reads: string }>(
    `select indexrelname as name, idx_tup_read as reads from pg_stat_user_indexes where relname = 'leads'
     union all select 'sequential scans', seq_tup_read from pg_stat_user_tables where relname = 'leads'`,
  );
  return new Map(rows.map((r) => [r.name, Number(r.reads)]));
}

function printPhase(name: string, r: PhaseResult): void {
  const n = r.total.length;
  console.log(`    ${name}: ${fmt(n)} selections in ${r.seconds.toFixed(1)} s, ${fmt(n / r.seconds)}/s`);
  console.log(`      whole call:                ${summary(r.total)}`);
  console.log(`      without pool wait:         ${summary(r.inDb)}   [target p99 < 10 ms]`);
  if (r.callbackPass.length)
    console.log(
      `        served by due callbacks: ${summary(r.callbackPass)}  (n=${fmt(r.callbackPass.length)})`,
    );
  if (r.priorityPass.length)
    console.log(
      `        served by priority:      ${summary(r.priorityPass)}  (n=${fmt(r.priorityPass.length)})`,
    );
  const walked = [...r.indexReads]
    .filter(([index, n]) => n > 0 && index !== 'leads_pkey' && index !== 'leads_reserved')
    .map(([index, n]) => `${index} ${fmt(n / r.total.length)}`);
  console.log(`      leads rows read per selection: ${walked.join(', ') || 'none'}`);
  console.log(`      none left: ${r.empty}; leads handed to two agents at once: ${r.doubles}`);
}

/**
 * The plan the pass runs with inside `next_lead` (the generic plan it keeps per connection), from
 * `auto_explain` (ANALYZE, BUFFERS, nested statements) sent back as a notice, in a transaction
 * rolled back.
 */
async function explain(
  url: string,
  agentId: string,
  campaignId: string,
  pass: SelectionPass,
): Promise<string> {
  const plans: string[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('connect', (client) =>
    client.on('notice', (n) => {
      if (/Query Text:\s*update leads/i.test(n.message ?? '')) plans.push(n.message ?? '');
    }),
  );
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const rollback = new Error('rollback');
  try {
    await db
      .transaction()
      .execute(async (tx) => {
        await sql`load 'auto_explain'`.execute(tx);
        for (const setting of [
          'auto_explain.log_min_duration = 0',
          'auto_explain.log_analyze = on',
          'auto_explain.log_buffers = on',
          'auto_explain.log_nested_statements = on',
          'client_min_messages = log',
        ])
          await sql.raw(`set local ${setting}`).execute(tx);
        await new LeadSelector(tx).take({ agentId, campaignId, rules: RULES, now: NOW }, [pass]);
        throw rollback;
      })
      .catch((err) => {
        if (err !== rollback) throw err;
      });
  } finally {
    await db.destroy();
  }
  const plan = plans[0];
  if (!plan) throw new Error('no plan of the selection statement came back');
  // The plan only: the statement's text is the function's (migration 0026).
  return plan.slice(plan.search(/\n\s*(Update|Result|Limit|Nested|Index|Seq)\b/) + 1);
}

async function selectBench(): Promise<void> {
  const store = await createStore('postgres');
  const url = store.databaseUrl as string;
  try {
    console.log(
      `(b) next-lead selection: ${fmt(LEADS)} leads, ${AGENTS} agents, PostgreSQL (${new URL(url).host}), pool of ${POOL}`,
    );
    const opened = await openDatabase({ dataDir: store.dataDir, databaseUrl: url });
    const ids = { ws: '', campaign: '', list: '', agents: [] as string[] };
    let load: Awaited<ReturnType<typeof loadLeads>>;
    try {
      const db = opened.db;
      const ws = await db
        .insertInto('workspaces')
        .values({ slug: 'bench', name: 'Bench' })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.ws = ws.id;
      const users = await db
        .insertInto('users')
        .values(
          Array.from({ length: AGENTS }, (_, i) => ({
            workspace_id: ws.id,
            username: `bench-agent-${i}`,
            display_name: `Bench Agent ${i}`,
            role: 'agent' as const,
            password_hash: 'x',
          })),
        )
        .returning('id')
        .execute();
      ids.agents = users.map((u) => u.id);
      const campaign = await db
        .insertInto('campaigns')
        .values({
          workspace_id: ws.id,
          name: 'Bench Renewals',
          kind: 'outbound_preview',
          lead_rules: JSON.stringify(RULES),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.campaign = campaign.id;
      const list = await db
        .insertInto('lead_lists')
        .values({ workspace_id: ws.id, campaign_id: campaign.id, name: 'Bench' })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.list = list.id;
      load = await loadLeads(db, ids);
      const counts = await sql<Record<string, string>>`
        select count(*) leads, count(*) filter (where done) done,
          count(*) filter (where not done and callback_at <= ${NOW}) callbacks_due,
          count(*) filter (where not done and callback_at > ${NOW}) callbacks_later,
          (select count(*) from lead_numbers) numbers,
          (select count(*) from lead_numbers where completed) numbers_completed,
          (select count(*) from do_not_call) do_not_call,
          pg_size_pretty(pg_total_relation_size('leads')) leads_size,
          pg_size_pretty(pg_relation_size('leads_ready')) leads_ready_size
        from leads
      `.execute(db);
      const c = counts.rows[0] ?? {};
      console.log(
        `    loaded in ${(load.leads + load.numbers + load.rest).toFixed(1)} s (leads ${load.leads.toFixed(1)} s, ` +
          `numbers and ready times ${load.numbers.toFixed(1)} s, do-not-call and ANALYZE ${load.rest.toFixed(1)} s): ` +
          `${fmt(Number(c.leads))} leads (${fmt(Number(c.done))} done, ${fmt(Number(c.callbacks_due))} callbacks due, ` +
          `${fmt(Number(c.callbacks_later))} later), ${fmt(Number(c.numbers))} numbers (${fmt(Number(c.numbers_completed))} completed), ` +
          `${fmt(Number(c.do_not_call))} on the do-not-call list; leads ${c.leads_size} with indexes, leads_ready ${c.leads_ready_size}`,
      );
    } finally {
      await opened.close();
    }

    const agent0 = ids.agents[0] as string;
    for (const pass of SELECTION_PASSES)
      console.log(
        `    EXPLAIN (ANALYZE, BUFFERS), the ${pass} pass, before:\n${indent(await explain(url, agent0, ids.campaign, pass))}`,
      );

    const { pool, dialectPool } = timedPool(url, POOL);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: dialectPool }) });
    try {
      const selector = new LeadSelector(db);
      // Connections open and the statement planned before timing anything.
      await Promise.all(Array.from({ length: POOL }, () => sql`select 1`.execute(db)));
      printPhase(
        '1. one agent, take and wrap',
        await runPhase(db, pool, selector, ids.campaign, { agents: [agent0], count: SERIAL, mode: 'wrap' }),
      );
      printPhase(
        `2. ${AGENTS} agents, each every ${PACE_MS / 1000} s on average (${fmt((AGENTS * 1000) / PACE_MS)}/s), take and wrap`,
        await runPhase(db, pool, selector, ids.campaign, {
          agents: ids.agents,
          count: PACED,
          mode: 'wrap',
          paceMs: PACE_MS,
        }),
      );
      printPhase(
        `3. ${AGENTS} agents flat out, take and release`,
        await runPhase(db, pool, selector, ids.campaign, {
          agents: ids.agents,
          count: SELECTIONS,
          mode: 'release',
        }),
      );
      const windows: string[] = [];
      let last = 0;
      const phase4 = await runPhase(db, pool, selector, ids.campaign, {
        agents: ids.agents,
        count: WRAPS,
        mode: 'wrap',
        window: (done, inDb) => {
          const part = inDb.slice(last).sort((x, y) => x - y);
          windows.push(`${fmt(last + 1)}-${fmt(done)} p99 ${ms(pct(part, 0.99))} ms`);
          last = done;
        },
      });
      printPhase(`4. ${AGENTS} agents flat out, take and wrap`, phase4);
      console.log(`      without pool wait, p99 by 2,000 selections: ${windows.join('; ')}`);
      const left = await sql<{
        n: string;
      }>`select count(*) n from leads where reserved_by is not null`.execute(db);
      console.log(`    leads still reserved after the phases: ${left.rows[0]?.n}`);
    } finally {
      await db.destroy();
    }
    for (const pass of SELECTION_PASSES)
      console.log(
        `    EXPLAIN (ANALYZE, BUFFERS), the ${pass} pass, after the phases:\n${indent(await explain(url, agent0, ids.campaign, pass))}`,
      );
  } finally {
    if (KEEP) console.log(`    LEADS_KEEP: the database is left as it is: ${url} (drop it when done)`);
    else await store.drop();
  }
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');

console.log(
  `bench:leads (${new Date().toISOString()}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`,
);
if (PART !== 'select') await importBench();
if (PART !== 'import') await selectBench();
