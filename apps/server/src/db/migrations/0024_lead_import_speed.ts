import { type Kysely, sql } from 'kysely';

/**
 * A lead's list, campaign and workspace checked by one foreign key to its list, not three, one to
 * each table: the database checks each key on every row inserted, and on the embedded database
 * those checks were a third of a CSV import's inserts into `leads` (docs/performance.md). The one
 * key also holds what the three did not: that a lead's campaign and workspace are its list's.
 * Deleting a workspace or a campaign still deletes its leads, by way of their lists.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table lead_lists add constraint lead_lists_scope unique (id, campaign_id, workspace_id)`.execute(
    db,
  );
  await sql`
    alter table leads
      drop constraint leads_list_id_fkey,
      drop constraint leads_campaign_id_fkey,
      drop constraint leads_workspace_id_fkey,
      add constraint leads_list_scope_fkey foreign key (list_id, campaign_id, workspace_id)
        references lead_lists (id, campaign_id, workspace_id) on delete cascade
  `.execute(db);
}
