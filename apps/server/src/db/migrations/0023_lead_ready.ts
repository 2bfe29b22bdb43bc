import { type Kysely, sql } from 'kysely';

/**
 * Next-lead selection that stays fast as a campaign is worked (issue #16, docs/performance.md).
 * `ready_at` is when a lead may next be called: the later of its own retry time and the soonest
 * any of its open numbers may be, `infinity` when none may be called again; the wrap keeps it.
 * The priority order is indexed per time zone with it, so a selection walks only the zones inside
 * calling hours and skips leads waiting for a retry on the index alone. Callbacks get two indexes:
 * an agent's own, and the campaign's per zone in callback order; one more finds the personal
 * callbacks to announce.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table leads add column ready_at timestamptz not null default '-infinity'`.execute(db);
  await sql`
    update leads l set ready_at = greatest(
      coalesce(l.next_call_at, '-infinity'),
      coalesce(
        (select min(coalesce(n.next_call_at, '-infinity')) from lead_numbers n
          where n.lead_id = l.id and not n.completed),
        'infinity'))
    where not l.done
  `.execute(db);
  await sql`drop index leads_next`.execute(db);
  await sql`drop index leads_callbacks`.execute(db);
  await sql`
    create index leads_ready on leads (campaign_id, (coalesce(time_zone, '')), priority desc, ready_at, seq)
      where not done and reserved_by is null and callback_at is null
  `.execute(db);
  await sql`
    create index leads_callbacks on leads (campaign_id, (coalesce(time_zone, '')), callback_at, ready_at, seq)
      where not done and callback_at is not null
  `.execute(db);
  await sql`
    create index leads_own_callbacks on leads (callback_owner_id, callback_at)
      where not done and callback_at is not null and callback_owner_id is not null
  `.execute(db);
  await sql`
    create index leads_callbacks_to_announce on leads (callback_at)
      where not done and callback_notified_at is null and callback_owner_id is not null
  `.execute(db);
}
