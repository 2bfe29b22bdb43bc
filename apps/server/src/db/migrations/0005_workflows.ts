import { type Kysely, sql } from 'kysely';

/** IVR workflows, stored as data, and the numbers that run them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table workflows (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      name text not null,
      definition jsonb not null,
      updated_at timestamptz not null default now(),
      unique (workspace_id, name)
    );
    alter table inbound_numbers
      add column workflow_id uuid references workflows(id) on delete restrict;
  `.execute(db);
}
