import type { DiallerReport, DiallerReportDay, DiallerReportQuery, Role } from '@parley/contract';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { predictiveSettings } from './dialler-audit.js';
import { AUDIT_CSV_HEADER, auditCsvLine, CALLS_CSV_HEADER, callCsvLine } from './dialler-csv.js';

const DAY_MS = 86_400_000;
/** The longest report or export, in days (a leap year). */
export const MAX_REPORT_DAYS = 366;
/** Rows read per query while a CSV is written: a 30-day export never sits whole in memory. */
const PAGE = 1000;

export interface Viewer {
  userId: string;
  workspaceId: string;
  role: Role;
}

/** A report's days: UTC midnights, `end` the midnight after `to`. */
export interface ReportRange {
  from: string;
  to: string;
  start: Date;
  end: Date;
  days: number;
}

/** Checks a from/to pair: real dates, from at or before to, at most 366 days. */
export function reportRange(q: DiallerReportQuery): ReportRange {
  const start = utcDate(q.from, 'from');
  const last = utcDate(q.to, 'to');
  const days = (last.getTime() - start.getTime()) / DAY_MS + 1;
  if (days < 1) throw invalid('/to', 'The end date is before the start date');
  if (days > MAX_REPORT_DAYS)
    throw invalid('/to', `A report covers at most ${MAX_REPORT_DAYS} days; this range has ${days}`);
  return { from: q.from, to: q.to, start, end: new Date(last.getTime() + DAY_MS), days };
}

function utcDate(text: string, field: 'from' | 'to'): Date {
  const d = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text)
    throw invalid(`/${field}`, `${text} is not a date (YYYY-MM-DD)`);
  return d;
}

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { details: [{ path, message }] });

/** What a campaign's export is called: its name, safe in a header and a file system. */
export function fileSlug(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 60);
  return slug || fallback;
}

interface DayRow {
  day: string;
  dialled: number;
  answered: number;
  connected: number;
  abandoned: number;
  messages: number;
  longest: number;
  decisions: number;
  settings: number;
  answered24: number;
  abandoned24: number;
  answered30: number;
  abandoned30: number;
}

const rate = (abandoned: number, answered: number) => (answered ? abandoned / answered : 0);

/**
 * The compliance report and audit exports of predictive campaigns (H2): per UTC day what the
 * dialler did, from `dialler_calls` and `dialler_audit`, for the campaigns the viewer may see
 * (a manager their teams' campaigns, an administrator the workspace's).
 */
export class DiallerReports {
  constructor(private readonly db: Db) {}

  /** The campaigns a manager may see (their teams'); undefined for an administrator: all. */
  async visibleCampaigns(viewer: Viewer): Promise<Set<string> | undefined> {
    if (viewer.role === 'administrator') return undefined;
    const rows = await this.db
      .selectFrom('campaign_teams as ct')
      .innerJoin('team_members as tm', 'tm.team_id', 'ct.team_id')
      .innerJoin('campaigns as c', 'c.id', 'ct.campaign_id')
      .select('ct.campaign_id')
      .distinct()
      .where('tm.user_id', '=', viewer.userId)
      .where('c.workspace_id', '=', viewer.workspaceId)
      .execute();
    return new Set(rows.map((r) => r.campaign_id));
  }

  /**
   * A campaign of the viewer's workspace they may see, else not found (as for a live call they
   * may not supervise). Any kind: a campaign that stopped being predictive keeps its history.
   */
  async campaign(viewer: Viewer, campaignId: string): Promise<{ id: string; name: string; cap: number }> {
    const row = await this.db
      .selectFrom('campaigns')
      .select(['id', 'name', 'predictive'])
      .where('id', '=', campaignId)
      .where('workspace_id', '=', viewer.workspaceId)
      .executeTakeFirst();
    const visible = await this.visibleCampaigns(viewer);
    if (!row || (visible && !visible.has(row.id))) throw new AppError('NOT_FOUND', 'Campaign not found');
    return { id: row.id, name: row.name, cap: predictiveSettings(row.predictive).abandonCap };
  }

  async report(viewer: Viewer, campaignId: string, query: DiallerReportQuery): Promise<DiallerReport> {
    const range = reportRange(query);
    const c = await this.campaign(viewer, campaignId);
    const rows = await this.days(c.id, range);
    return { campaignId: c.id, name: c.name, cap: c.cap, days: rows.map(toDay) };
  }

  /**
   * One statement for every day of the range. Answered calls count on the day of their answer.
   * The windows stand at the day's last answer T: the 24 hours (T-24h, T] read from the calls
   * (two days at most); the 30 days are the day itself, the 29 days before it (their totals, from
   * the same grouping) and the part of the day before those after T-30d — so no day reads more
   * than two days of calls, whatever the range.
   */
  private async days(campaignId: string, r: ReportRange): Promise<DayRow[]> {
    const since = new Date(r.start.getTime() - 31 * DAY_MS);
    const { rows } = await sql<DayRow>`
      with answered as (
        select (answered_at at time zone 'UTC')::date as day,
          count(*)::int as answered,
          (count(*) filter (where outcome = 'connected'))::int as connected,
          (count(*) filter (where outcome = 'abandoned'))::int as abandoned,
          (count(*) filter (where outcome = 'abandoned' and message_played))::int as messages,
          coalesce(max(waited_ms) filter (where outcome = 'abandoned'), 0)::int as longest,
          max(answered_at) as last_at
        from dialler_calls
        where campaign_id = ${campaignId} and answered_at >= ${since} and answered_at < ${r.end}
        group by 1
      ),
      dialled as (
        select (dialled_at at time zone 'UTC')::date as day, count(*)::int as dialled
        from dialler_calls
        where campaign_id = ${campaignId} and dialled_at >= ${r.start} and dialled_at < ${r.end}
        group by 1
      ),
      audited as (
        select (at at time zone 'UTC')::date as day,
          (count(*) filter (where kind = 'decision'))::int as decisions,
          (count(*) filter (where kind = 'settings'))::int as settings
        from dialler_audit
        where campaign_id = ${campaignId} and at >= ${r.start} and at < ${r.end}
        group by 1
      ),
      days as (
        select d::date as day
        from generate_series(${r.from}::date, ${r.to}::date, interval '1 day') as d
      )
      select days.day::text as day,
        coalesce(dialled.dialled, 0) as dialled,
        coalesce(a.answered, 0) as answered,
        coalesce(a.connected, 0) as connected,
        coalesce(a.abandoned, 0) as abandoned,
        coalesce(a.messages, 0) as messages,
        coalesce(a.longest, 0) as longest,
        coalesce(audited.decisions, 0) as decisions,
        coalesce(audited.settings, 0) as settings,
        coalesce(w24.answered, 0) as answered24,
        coalesce(w24.abandoned, 0) as abandoned24,
        coalesce(full30.answered + tail30.answered, 0) as answered30,
        coalesce(full30.abandoned + tail30.abandoned, 0) as abandoned30
      from days
      left join answered a on a.day = days.day
      left join dialled on dialled.day = days.day
      left join audited on audited.day = days.day
      left join lateral (
        select count(*)::int as answered, (count(*) filter (where outcome = 'abandoned'))::int as abandoned
        from dialler_calls
        where campaign_id = ${campaignId}
          and answered_at > a.last_at - interval '24 hours' and answered_at <= a.last_at
      ) w24 on a.last_at is not null
      left join lateral (
        select sum(p.answered)::int as answered, sum(p.abandoned)::int as abandoned
        from answered p
        where p.day > a.day - 30 and p.day <= a.day
      ) full30 on a.last_at is not null
      left join lateral (
        select count(*)::int as answered, (count(*) filter (where outcome = 'abandoned'))::int as abandoned
        from dialler_calls
        where campaign_id = ${campaignId}
          and answered_at > a.last_at - interval '30 days'
          and answered_at < (a.day - 29)::timestamp at time zone 'UTC'
      ) tail30 on a.last_at is not null
      order by days.day
    `.execute(this.db);
    return rows;
  }

  /** The audit log of the range in time order, as CSV lines (header first), read a page at a time. */
  async *auditCsv(campaignId: string, r: ReportRange): AsyncGenerator<string> {
    yield AUDIT_CSV_HEADER;
    let after: { at: string; id: string } | undefined;
    for (;;) {
      let q = this.db
        .selectFrom('dialler_audit as a')
        .leftJoin('users as u', 'u.id', 'a.actor_id')
        .select([
          'a.id',
          'a.at',
          'a.kind',
          'a.campaign_name',
          'a.detail',
          'u.display_name',
          // The cursor to the microsecond: a Date keeps only milliseconds.
          sql<string>`to_char(a.at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`.as('cursor'),
        ])
        .where('a.campaign_id', '=', campaignId)
        .where('a.at', '>=', r.start)
        .where('a.at', '<', r.end);
      if (after)
        q = q.where(
          sql<boolean>`(a.at, a.id) > (${after.at}::timestamp at time zone 'UTC', ${after.id}::bigint)`,
        );
      const rows = await q.orderBy('a.at').orderBy('a.id').limit(PAGE).execute();
      for (const row of rows) yield auditCsvLine(row);
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = { at: last.cursor, id: String(last.id) };
    }
  }

  /** Every call dialled in the range, in dialling order, as CSV lines (header first). */
  async *callsCsv(campaignId: string, r: ReportRange): AsyncGenerator<string> {
    yield CALLS_CSV_HEADER;
    let after: { at: string; id: string } | undefined;
    for (;;) {
      let q = this.db
        .selectFrom('dialler_calls as d')
        .leftJoin('users as u', 'u.id', 'd.agent_id')
        .select([
          'd.id',
          'd.number',
          'd.dialled_at',
          'd.answered_at',
          'd.connected_at',
          'd.ended_at',
          'd.outcome',
          'd.reason',
          'd.waited_ms',
          'd.message_played',
          'u.display_name',
          sql<string>`to_char(d.dialled_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`.as('cursor'),
        ])
        .where('d.campaign_id', '=', campaignId)
        .where('d.dialled_at', '>=', r.start)
        .where('d.dialled_at', '<', r.end);
      if (after)
        q = q.where(
          sql<boolean>`(d.dialled_at, d.id) > (${after.at}::timestamp at time zone 'UTC', ${after.id}::uuid)`,
        );
      const rows = await q.orderBy('d.dialled_at').orderBy('d.id').limit(PAGE).execute();
      for (const row of rows) yield callCsvLine(row);
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = { at: last.cursor, id: last.id };
    }
  }
}

function toDay(r: DayRow): DiallerReportDay {
  return {
    date: r.day,
    dialled: r.dialled,
    answered: r.answered,
    connected: r.connected,
    abandoned: r.abandoned,
    abandonRate: rate(r.abandoned, r.answered),
    messagesPlayed: r.messages,
    rate24Hours: rate(r.abandoned24, r.answered24),
    rate30Days: rate(r.abandoned30, r.answered30),
    longestAbandonWaitMs: r.longest,
    decisions: r.decisions,
    settingsChanges: r.settings,
  };
}
