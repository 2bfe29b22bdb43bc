import { type Kysely, sql } from 'kysely';

/**
 * Calls agents place (issue #15): a Manual Call to a number or an Agent Call to a colleague is a
 * queue entry that never queues, marked by `call_type` (null: a call that came in, typed by its
 * campaign). A campaign's ring time is how long a number it calls may ring before the platform
 * gives up (no answer).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table queue_entries
      add column call_type text check (call_type in ('manual', 'agent'))
  `.execute(db);
  await sql`
    alter table campaigns
      add column ring_seconds integer not null default 30 check (ring_seconds between 15 and 120)
  `.execute(db);
}
