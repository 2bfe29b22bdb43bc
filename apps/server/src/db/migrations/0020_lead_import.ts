import { type Kysely, sql } from 'kysely';

/**
 * CSV imports of leads into a lead list, and of numbers into the workspace's do-not-call list
 * (issue #16, G8). An import is a job: the uploaded file is kept under the data folder while it
 * is read, the counts are written with each batch (so a page shows progress from any process),
 * and `heartbeat_at` tells a running import from one whose process stopped. At most one import
 * runs per list (and one per workspace's do-not-call list). A lead remembers the import and the
 * line it came from: that is how a duplicate of a row in an earlier batch of the same file is
 * reported with its line, without holding the file's numbers in memory. (No foreign key on
 * `leads.import_id`: it would need an index on millions of leads only to delete an import's row.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table lead_imports (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      kind text not null check (kind in ('leads', 'do_not_call')),
      list_id uuid references lead_lists(id) on delete cascade,
      status text not null default 'uploading'
        check (status in ('uploading', 'importing', 'completed', 'failed')),
      mapping jsonb not null,
      bytes bigint not null default 0,
      rows_read integer not null default 0,
      imported integer not null default 0,
      duplicates integer not null default 0,
      rejected integer not null default 0,
      report_lines integer not null default 0,
      error_code text,
      error_message text,
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null,
      heartbeat_at timestamptz not null,
      finished_at timestamptz,
      check ((kind = 'leads') = (list_id is not null))
    )
  `.execute(db);
  await sql`create index lead_imports_list on lead_imports (list_id, created_at desc)`.execute(db);
  await sql`create index lead_imports_workspace on lead_imports (workspace_id, kind, created_at desc)`.execute(
    db,
  );
  await sql`
    create unique index lead_imports_one_per_list on lead_imports (list_id)
      where status in ('uploading', 'importing') and kind = 'leads'
  `.execute(db);
  await sql`
    create unique index lead_imports_one_do_not_call on lead_imports (workspace_id)
      where status in ('uploading', 'importing') and kind = 'do_not_call'
  `.execute(db);
  await sql`
    alter table leads
      add column import_id uuid,
      add column import_line integer
  `.execute(db);
}
