import { type Kysely, sql } from 'kysely';

/**
 * The Lead Manager, Callbacks and Convert to Outbound (issue #16, G6, G7, I7): which outbound
 * campaigns an agent may convert an inbound call into (the workspace's setting: none, the
 * campaigns of the agent's teams, or every outbound campaign), and when a lead's callback was
 * announced to its agent (so a due callback is announced once, across restarts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table workspaces
      add column convert_to_outbound text not null default 'team'
        check (convert_to_outbound in ('none', 'team', 'all'))
  `.execute(db);
  await sql`alter table leads add column callback_notified_at timestamptz`.execute(db);
  // Search by number in the Lead Manager and Convert to Outbound: lead_numbers_number exists.
}
