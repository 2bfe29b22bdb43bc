import { type Kysely, sql } from 'kysely';

/** What the agent writes on an interaction, and the IVR's parameter. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table queue_entries
      add column ivr_data text,
      add column notes text not null default '',
      add column transfer_notes text not null default '',
      add column accepted_at timestamptz,
      add column ended_at timestamptz;
  `.execute(db);
}
