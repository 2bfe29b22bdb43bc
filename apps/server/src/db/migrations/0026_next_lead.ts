import { type Kysely, sql } from 'kysely';

/**
 * Next-lead selection as one PL/pgSQL function (issue #16, docs/performance.md). The statement
 * is the one `LeadSelector` sent before, with its varying parts (the agent, the campaign's open
 * time zones, calling hours, attempt limits, the passes to run) as arguments. PL/pgSQL keeps a
 * statement's plan per connection, and `force_generic_plan` makes that plan once: a selection no
 * longer pays 1-2 ms of planning for under 1 ms of work. A pass not asked for is cut off by its
 * gating condition before it reads anything.
 *
 * Calling hours are read as `inCallingHours` reads them: `hours_from < hours_to` a window inside a
 * day, equal the whole day, otherwise a window past midnight whose morning part counts for the
 * day before (`mornings` are the days after `days`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The lead may be called now: under its attempt limit, with a number that may be called now.
  const callable = `l.attempts < p_max_lead_attempts
    and exists (
      select 1 from lead_numbers n
      where n.lead_id = l.id and not n.completed and n.attempts < p_max_number_attempts
        and (n.next_call_at is null or n.next_call_at <= p_at)
        and (n.dialler_locked_until is null or n.dialler_locked_until <= p_at)
        and not exists (
          select 1 from do_not_call d where d.workspace_id = l.workspace_id and d.number = n.number))`;
  // A campaign pass: the first callable lead of each open time zone in the pass's order (a lead
  // with no zone of its own is in the campaign's, '' in the index), then the first of those.
  const byZone = (pass: string, alias: string, order: string[], where: string) => {
    const columns = order.map((o) => o.replace(' desc', ''));
    return sql.raw(`(select ${alias}.id from (
            select first.id from unnest(p_zones) z(zone) cross join lateral (
              select l.id, ${columns.map((c) => `l.${c}`).join(', ')} from leads l
              where '${pass}' = any(p_passes)
                and l.campaign_id = p_campaign and coalesce(l.time_zone, '') = z.zone
                and ${where}
                and ${callable}
              order by ${order.map((o) => `l.${o}`).join(', ')}
              limit 1
              for update of l skip locked
            ) first
            order by ${order.map((o) => `first.${o}`).join(', ')}
            limit 1
          ) ${alias})`);
  };
  await sql`
    create function next_lead(
      p_agent uuid, p_campaign uuid, p_at timestamptz, p_passes text[],
      p_zones text[], p_campaign_zone text,
      p_days int[], p_mornings int[], p_from time, p_to time,
      p_max_lead_attempts int, p_max_number_attempts int, p_grace_end timestamptz
    ) returns uuid
    language plpgsql
    set plan_cache_mode = force_generic_plan
    as $fn$
    declare
      picked uuid;
    begin
      update leads set reserved_by = p_agent, reserved_at = p_at
      where reserved_by is null and id = (
        select found.id from (
          (select own.id from (
            select l.id from leads l
            cross join lateral (select p_at at time zone coalesce(l.time_zone, p_campaign_zone) as t) local
            where 'own callbacks' = any(p_passes)
              and l.callback_owner_id = p_agent and not l.done and l.callback_at is not null
              and l.callback_at <= p_at and l.campaign_id = p_campaign and l.reserved_by is null
              and l.ready_at <= p_at
              and case
                when p_from < p_to then extract(isodow from local.t)::int = any(p_days)
                  and local.t::time >= p_from and local.t::time < p_to
                when p_from = p_to then extract(isodow from local.t)::int = any(p_days)
                else (local.t::time >= p_from and extract(isodow from local.t)::int = any(p_days))
                  or (local.t::time < p_to and extract(isodow from local.t)::int = any(p_mornings))
              end
              and ${sql.raw(callable)}
            order by l.callback_at
            limit 1
            for update of l skip locked
          ) own)
          union all
          ${byZone(
            'callbacks',
            'due',
            ['callback_at', 'ready_at', 'seq'],
            `not l.done and l.callback_at is not null
                and l.callback_at <= p_at and l.ready_at <= p_at and l.reserved_by is null
                and (l.callback_owner_id is null or l.callback_owner_id = p_agent or l.callback_at <= p_grace_end)`,
          )}
          union all
          ${byZone(
            'ready',
            'ready',
            ['priority desc', 'ready_at', 'seq'],
            `not l.done and l.reserved_by is null
                and l.callback_at is null and l.ready_at <= p_at`,
          )}
        ) found
        limit 1
      )
      returning id into picked;
      return picked;
    end
    $fn$
  `.execute(db);
}
