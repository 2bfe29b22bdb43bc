import { type Kysely, sql } from 'kysely';

/** Inbound numbers, what a voice call adds to its queue entry, recordings and the interaction timeline. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table inbound_numbers (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      number text not null unique,
      name text not null,
      campaign_id uuid not null references campaigns(id) on delete restrict,
      web_phone boolean not null default true,
      created_at timestamptz not null default now()
    );
    create index inbound_numbers_ws on inbound_numbers (workspace_id);

    alter table queue_entries
      add column customer_phone text,
      add column platform_phone text,
      add column channel_name text,
      add column ended_by text check (ended_by in ('agent', 'customer', 'system'));

    create table recordings (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      queue_entry_id uuid not null references queue_entries(id) on delete cascade,
      path text not null,
      mode text not null check (mode in ('mixed', 'stereo')),
      started_at timestamptz not null,
      ended_at timestamptz,
      duration_ms integer,
      segments jsonb not null default '[]'
    );
    create index recordings_entry on recordings (queue_entry_id);

    create table interaction_events (
      id bigserial primary key,
      workspace_id uuid not null references workspaces(id) on delete cascade,
      queue_entry_id uuid not null references queue_entries(id) on delete cascade,
      at timestamptz not null,
      kind text not null,
      user_id uuid references users(id) on delete set null,
      detail jsonb
    );
    create index interaction_events_entry on interaction_events (queue_entry_id, id);
  `.execute(db);
}
