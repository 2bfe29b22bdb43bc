import type { LeadRules } from '@parley/contract';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';

/**
 * One lead for one agent, chosen by them (the Lead Manager, Convert to Outbound): theirs unless
 * another agent holds it (LEAD_TAKEN). `db` may be a transaction.
 */
export async function claimLead(db: Db, leadId: string, agentId: string, at: Date): Promise<void> {
  const taken = await db
    .updateTable('leads')
    .set({ reserved_by: agentId, reserved_at: at })
    .where('id', '=', leadId)
    .where((eb) => eb.or([eb('reserved_by', 'is', null), eb('reserved_by', '=', agentId)]))
    .executeTakeFirst();
  if (taken.numUpdatedRows === 0n) throw new AppError('LEAD_TAKEN', 'Another agent is working this lead');
}

/** Calling hours in SQL, as `inCallingHours` reads them (a window past midnight, the whole day). */
function inHours(local: RawBuilder<unknown>, hours: LeadRules['callingHours']) {
  const days = hours.days.length ? hours.days : [0];
  const dow = sql`extract(isodow from ${local})::int`;
  const time = sql`${local}::time`;
  if (hours.from < hours.to)
    return sql`${dow} in (${sql.join(days)}) and ${time} >= ${hours.from}::time and ${time} < ${hours.to}::time`;
  if (hours.from === hours.to) return sql`${dow} in (${sql.join(days)})`;
  const mornings = days.map((d) => (d === 7 ? 1 : d + 1));
  return sql`((${time} >= ${hours.from}::time and ${dow} in (${sql.join(days)}))
    or (${time} < ${hours.to}::time and ${dow} in (${sql.join(mornings)})))`;
}

/**
 * Keeps `leads.ready_at` (migration 0023) after a lead's numbers or retry time changed: the later
 * of its own retry time and the soonest its open numbers may be called (a number is closed when
 * completed or at the campaign's attempt limit), `infinity` when nothing of it may be called
 * again. `db` may be the transaction that made the change.
 */
export async function refreshReady(db: Db, leadIds: string[], rules: LeadRules): Promise<void> {
  if (leadIds.length) await updateReady(db, rules, sql`l.id in (${sql.join(leadIds)})`);
}

/** `refreshReady` for every lead of a campaign still to be worked (its calling rules changed). */
export function refreshCampaignReady(db: Db, campaignId: string, rules: LeadRules): Promise<void> {
  return updateReady(db, rules, sql`l.campaign_id = ${campaignId} and not l.done`);
}

async function updateReady(db: Db, rules: LeadRules, which: RawBuilder<unknown>): Promise<void> {
  await sql`
    update leads l set ready_at = case when l.attempts >= ${rules.maxAttemptsPerLead} then 'infinity'
      else greatest(
        coalesce(l.next_call_at, '-infinity'),
        coalesce(
          (select min(coalesce(n.next_call_at, '-infinity')) from lead_numbers n
            where n.lead_id = l.id and not n.completed and n.attempts < ${rules.maxAttemptsPerNumber}),
          'infinity'))
      end
    where ${which}
  `.execute(db);
}

/**
 * The next lead for an agent, reserved for them in the same statement, so two agents never get
 * one lead: a row another selection has locked is skipped (`FOR UPDATE SKIP LOCKED`), one it
 * reserved meanwhile fails the re-check. Due callbacks come first: the agent's own, then the
 * campaign's (and another agent's personal one once its owner is past the grace time) in callback
 * order; then the rest by priority and ready time. Only leads with a number that may be called
 * now: not completed, under the attempt limit, past its retry time, not on the do-not-call list,
 * inside calling hours in the lead's time zone.
 *
 * Each pass walks an index and stops at the first lead it may give (docs/performance.md): the
 * campaign's passes walk once per time zone that is inside calling hours now (the zones come from
 * the index itself, a loose scan), so leads out of hours are never read, and leads waiting for a
 * retry are passed over on the index entry (`ready_at`) without a look at their numbers.
 */
export class LeadSelector {
  constructor(private readonly db: Db) {}

  async next(agentId: string, campaignId: string, rules: LeadRules, now: Date): Promise<string | undefined> {
    return this.take({ agentId, campaignId, rules, now }, SELECTION_PASSES);
  }

  /** The agent no longer holds these leads (wrapped, signed out). */
  async release(leadIds: string[]): Promise<void> {
    if (leadIds.length === 0) return;
    await this.db
      .updateTable('leads')
      .set({ reserved_by: null, reserved_at: null })
      .where('id', 'in', leadIds)
      .execute();
  }

  /** Every lead the agent holds goes back (sign-out, a restart). */
  async releaseAll(agentId: string): Promise<void> {
    await this.db
      .updateTable('leads')
      .set({ reserved_by: null, reserved_at: null })
      .where('reserved_by', '=', agentId)
      .execute();
  }

  /**
   * Reserves for the agent the first lead the passes find, in their order: one statement, each
   * pass run only when those before it found nothing (PostgreSQL runs a UNION ALL's branches in
   * turn, and the LIMIT stops it at the first row). The bench explains the passes one by one.
   */
  async take(c: Choice, passes: readonly SelectionPass[]): Promise<string | undefined> {
    // Each pass in a FROM of its own: a branch of a UNION may not lock rows itself.
    const picks = passes.map(
      (pass) => sql`(select id from (${pass === 'own callbacks' ? ownCallbacks(c) : byZone(c, pass)}) pass)`,
    );
    const { rows } = await sql<{ id: string }>`
      update leads set reserved_by = ${c.agentId}, reserved_at = ${c.now}
      where reserved_by is null and id = (
        select found.id from (${sql.join(picks, sql` union all `)}) found limit 1
      )
      returning id
    `.execute(this.db);
    return rows[0]?.id;
  }
}

/** The passes of a selection, in order: the agent's due callbacks, the campaign's, the rest. */
export const SELECTION_PASSES = ['own callbacks', 'callbacks', 'ready'] as const;
export type SelectionPass = (typeof SELECTION_PASSES)[number];

export interface Choice {
  agentId: string;
  campaignId: string;
  rules: LeadRules;
  now: Date;
}

/** The lead may be called now: under its attempt limit, and a number of it may be called now. */
function callable(c: Choice) {
  return sql`l.attempts < ${c.rules.maxAttemptsPerLead}
    and exists (
      select 1 from lead_numbers n
      where n.lead_id = l.id and not n.completed and n.attempts < ${c.rules.maxAttemptsPerNumber}
        and (n.next_call_at is null or n.next_call_at <= ${c.now})
        and not exists (
          select 1 from do_not_call d where d.workspace_id = l.workspace_id and d.number = n.number
        )
    )`;
}

/** The agent's own personal callbacks that are due, soonest first. */
function ownCallbacks(c: Choice) {
  const local = sql`(${c.now}::timestamptz at time zone coalesce(l.time_zone, ${c.rules.timeZone}))`;
  return sql`
    select l.id from leads l
    where l.callback_owner_id = ${c.agentId} and not l.done and l.callback_at is not null
      and l.callback_at <= ${c.now} and l.campaign_id = ${c.campaignId} and l.reserved_by is null
      and (l.next_call_at is null or l.next_call_at <= ${c.now})
      and ${inHours(local, c.rules.callingHours)}
      and ${callable(c)}
    order by l.callback_at
    limit 1
    for update skip locked`;
}

/**
 * The campaign's due callbacks in callback order, or its other leads by priority and ready time:
 * the first callable lead of each time zone inside calling hours, then the first of those. A
 * lead's zone is its own, or the campaign's ('' in the index) when it has none.
 */
function byZone(c: Choice, pass: 'callbacks' | 'ready') {
  const zone = sql`coalesce(l.time_zone, '')`;
  const walk =
    pass === 'ready'
      ? sql`not l.done and l.reserved_by is null and l.callback_at is null`
      : sql`not l.done and l.callback_at is not null`;
  const graceEnd = new Date(c.now.getTime() - c.rules.callbackGraceMinutes * 60_000);
  const due =
    pass === 'ready'
      ? sql`l.ready_at <= ${c.now}`
      : sql`l.callback_at <= ${c.now} and l.reserved_by is null
          and (l.callback_owner_id is null or l.callback_owner_id = ${c.agentId} or l.callback_at <= ${graceEnd})
          and (l.next_call_at is null or l.next_call_at <= ${c.now})`;
  const order = pass === 'ready' ? ['l.priority desc', 'l.ready_at', 'l.seq'] : ['l.callback_at', 'l.seq'];
  const local = sql`(${c.now}::timestamptz at time zone (case z.zone when '' then ${c.rules.timeZone} else z.zone end))`;
  return sql`
    with recursive zones(zone) as (
      (select ${zone} from leads l where l.campaign_id = ${c.campaignId} and ${walk} order by 1 limit 1)
      union all
      select (select ${zone} from leads l
               where l.campaign_id = ${c.campaignId} and ${walk} and ${zone} > zones.zone
               order by 1 limit 1)
        from zones where zones.zone is not null
    )
    select first.id from zones z cross join lateral (
      select l.id, ${sql.raw(order.map((o) => o.replace(' desc', '')).join(', '))} from leads l
      where l.campaign_id = ${c.campaignId} and ${zone} = z.zone and ${walk} and ${due}
        and ${callable(c)}
      order by ${sql.raw(order.join(', '))}
      limit 1
      for update of l skip locked
    ) first
    where z.zone is not null and ${inHours(local, c.rules.callingHours)}
    order by ${sql.raw(order.map((o) => o.replace('l.', 'first.')).join(', '))}
    limit 1`;
}
