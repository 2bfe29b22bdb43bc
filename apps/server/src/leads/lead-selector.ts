import type { LeadRules } from '@parley/contract';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { inCallingHours } from './calling-rules.js';

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

/**
 * Keeps `leads.ready_at` (migration 0023) after a lead's numbers or retry time changed: the later
 * of its own retry time and the soonest its open numbers may be called, past their retry time and
 * any lockout after an abandoned predictive call (a number is closed when
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
          (select min(greatest(coalesce(n.next_call_at, '-infinity'), coalesce(n.dialler_locked_until, '-infinity')))
             from lead_numbers n
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
 * campaign's passes walk once per time zone of the campaign that is inside calling hours now, so
 * leads out of hours are never read, and leads waiting for a retry are passed over on the index
 * entry (`ready_at`) without a look at their numbers. A campaign's zones are read from the index
 * (a loose scan) at most once a minute, and again after a selection that found nothing.
 */
export class LeadSelector {
  private readonly zones = new Map<string, { zones: string[]; at: number }>();

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
   * Reserves for the agent the first lead the passes find, in their order: one statement in the
   * function `next_lead` (migration 0026), each pass run only when those before it found nothing
   * (PostgreSQL runs a UNION ALL's branches in turn, and the LIMIT stops it at the first row). The
   * function's plan is made once per connection. The bench explains the passes one by one.
   */
  async take(c: Choice, passes: readonly SelectionPass[]): Promise<string | undefined> {
    const open = (await this.zonesOf(c.campaignId, c.now)).filter((z) =>
      inCallingHours(c.now, z || c.rules.timeZone, c.rules.callingHours),
    );
    const { from, to, days } = c.rules.callingHours;
    const graceEnd = new Date(c.now.getTime() - c.rules.callbackGraceMinutes * 60_000);
    const { rows } = await sql<{ id: string | null }>`
      select next_lead(
        ${c.agentId}::uuid, ${c.campaignId}::uuid, ${c.now}::timestamptz, ${[...passes]}::text[],
        ${open}::text[], ${c.rules.timeZone}::text,
        ${days}::int[], ${days.map((d) => (d === 7 ? 1 : d + 1))}::int[], ${from}::time, ${to}::time,
        ${c.rules.maxAttemptsPerLead}::int, ${c.rules.maxAttemptsPerNumber}::int, ${graceEnd}::timestamptz
      ) id
    `.execute(this.db);
    const id = rows[0]?.id ?? undefined;
    // Nothing found: the zones are read afresh next time (an import may have brought new ones).
    if (!id) this.zones.delete(c.campaignId);
    return id;
  }

  /**
   * The time zones of the campaign's leads still to be worked ('' for leads with none: the
   * campaign's), by a loose scan of `leads_ready` and `leads_callbacks`: one index probe a zone.
   */
  private async zonesOf(campaignId: string, now: Date): Promise<string[]> {
    const known = this.zones.get(campaignId);
    if (known && Math.abs(now.getTime() - known.at) < ZONES_FRESH_MS) return known.zones;
    const loose = (walk: RawBuilder<unknown>) => sql`
      with recursive zones(zone) as (
        (select coalesce(time_zone, '') from leads where campaign_id = ${campaignId} and ${walk} order by 1 limit 1)
        union all
        select (select coalesce(time_zone, '') from leads
                 where campaign_id = ${campaignId} and ${walk} and coalesce(time_zone, '') > zones.zone
                 order by 1 limit 1)
          from zones where zones.zone is not null
      )
      select zone from zones where zone is not null`;
    const { rows } = await sql<{ zone: string }>`
      (${loose(sql`not done and reserved_by is null and callback_at is null`)})
      union (${loose(sql`not done and callback_at is not null`)})
    `.execute(this.db);
    const zones = rows.map((r) => r.zone);
    this.zones.set(campaignId, { zones, at: now.getTime() });
    return zones;
  }
}

/** How long a campaign's list of time zones is used before it is read again. */
const ZONES_FRESH_MS = 60_000;

/** The passes of a selection, in order: the agent's due callbacks, the campaign's, the rest. */
export const SELECTION_PASSES = ['own callbacks', 'callbacks', 'ready'] as const;
export type SelectionPass = (typeof SELECTION_PASSES)[number];

export interface Choice {
  agentId: string;
  campaignId: string;
  rules: LeadRules;
  now: Date;
}
