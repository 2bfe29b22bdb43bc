import type { LeadRules } from '@parley/contract';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';

/**
 * The next lead for an agent, reserved for them in the same statement, so two agents never get
 * one lead: a row another selection has locked is skipped (`FOR UPDATE SKIP LOCKED`), one it
 * reserved meanwhile fails the re-check. Due callbacks come first (the agent's own, the
 * campaign's, and another agent's personal one once its owner is past the grace time), then by
 * priority and next-call time along the `leads_next` index. Only leads with a number that may be
 * called now: not completed, under the attempt limit, past its retry time, not on the
 * do-not-call list, inside calling hours in the lead's time zone.
 */
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

export class LeadSelector {
  constructor(private readonly db: Db) {}

  async next(agentId: string, campaignId: string, rules: LeadRules, now: Date): Promise<string | undefined> {
    return (
      (await this.pick(agentId, campaignId, rules, now, true)) ??
      this.pick(agentId, campaignId, rules, now, false)
    );
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

  private async pick(
    agentId: string,
    campaignId: string,
    rules: LeadRules,
    now: Date,
    callbacks: boolean,
  ): Promise<string | undefined> {
    const graceEnd = new Date(now.getTime() - rules.callbackGraceMinutes * 60_000);
    const local = sql`(${now}::timestamptz at time zone coalesce(l.time_zone, ${rules.timeZone}))`;
    const due = callbacks
      ? sql`l.callback_at is not null and l.callback_at <= ${now}
          and (l.callback_owner_id is null or l.callback_owner_id = ${agentId} or l.callback_at <= ${graceEnd})`
      : sql`l.callback_at is null`;
    const order = callbacks
      ? sql`l.callback_owner_id = ${agentId} desc nulls last, l.callback_at, l.seq`
      : sql`l.priority desc, l.next_call_at nulls first, l.seq`;
    const { rows } = await sql<{ id: string }>`
      update leads set reserved_by = ${agentId}, reserved_at = ${now}
      where reserved_by is null and id = (
        select l.id from leads l
        where l.campaign_id = ${campaignId} and not l.done and l.reserved_by is null
          and ${due}
          and (l.next_call_at is null or l.next_call_at <= ${now})
          and l.attempts < ${rules.maxAttemptsPerLead}
          and ${inHours(local, rules.callingHours)}
          and exists (
            select 1 from lead_numbers n
            where n.lead_id = l.id and not n.completed and n.attempts < ${rules.maxAttemptsPerNumber}
              and (n.next_call_at is null or n.next_call_at <= ${now})
              and not exists (
                select 1 from do_not_call d where d.workspace_id = l.workspace_id and d.number = n.number
              )
          )
        order by ${order}
        limit 1
        for update skip locked
      )
      returning id
    `.execute(this.db);
    return rows[0]?.id;
  }
}
