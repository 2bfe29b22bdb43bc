import { type Kysely, sql } from 'kysely';

/**
 * A call transferred to an agent by name (issue #14) becomes a queue entry of its own, offered to
 * that agent only: it links to the entry it came from, and keeps the transferring agent's name
 * as the receiving toolbar shows it. An entry with `transferred_by` is never routed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table queue_entries
      add column transferred_from_id uuid references queue_entries(id) on delete set null,
      add column transferred_by text
  `.execute(db);
}
