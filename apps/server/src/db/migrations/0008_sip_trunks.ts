import { type Kysely, sql } from 'kysely';

/**
 * Telephony as data (P4, B2): SIP trunks per workspace (where calls come from and go out), desk
 * phone extensions registering with digest credentials, the workspace's own dial plan, and the
 * caller ID a campaign presents on outbound calls.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sip_trunks (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      name text not null,
      host text not null,
      port integer not null default 5060 check (port between 1 and 65535),
      transport text not null default 'udp' check (transport in ('udp', 'tcp')),
      username text,
      password text,
      register boolean not null default false,
      allowed_sources text[] not null default '{}',
      caller_id text,
      created_at timestamptz not null default now(),
      unique (workspace_id, name)
    );
    create table sip_extensions (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      extension text not null,
      username text not null unique,
      ha1 text not null,
      user_id uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      unique (workspace_id, extension)
    );
    alter table workspaces add column dial_plan jsonb;
    alter table campaigns add column caller_id text;
  `.execute(db);
}
