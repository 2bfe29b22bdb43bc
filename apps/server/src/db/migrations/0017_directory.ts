import { type Kysely, sql } from 'kysely';

/**
 * The directory (issue #15, F2). The workspace's own contacts: each name once per workspace
 * (compared without case, so a CSV import updates the contact it names), phone numbers in
 * E.164 with their kind. And Microsoft Graph per workspace: the client secret only sealed
 * (AES-256-GCM under the server's key), never in plain text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table directory_contacts (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      name text not null,
      name_key text generated always as (lower(name)) stored,
      title text,
      department text,
      phones jsonb not null default '[]',
      email text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint directory_contacts_name_key unique (workspace_id, name_key)
    );

    create table directory_graph_settings (
      workspace_id uuid primary key references workspaces(id) on delete cascade,
      enabled boolean not null default false,
      tenant_id text not null,
      client_id text not null,
      client_secret_sealed text,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}
