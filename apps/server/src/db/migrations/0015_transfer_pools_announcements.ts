import { type Kysely, sql } from 'kysely';

/**
 * Two per-campaign resources for the transfer dialog and Play Announcement (issue #14): the
 * transfer pool (named numbers, kept in E.164, each number once per campaign) and announcements
 * (WAV files under the data folder, 8 kHz mono 16-bit PCM; the row holds where and how long).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table transfer_destinations (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid not null references campaigns(id) on delete cascade,
      name text not null,
      number text not null,
      position integer not null default 0,
      constraint transfer_destinations_name_key unique (campaign_id, name),
      constraint transfer_destinations_number_key unique (campaign_id, number)
    );

    create table announcements (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid not null references campaigns(id) on delete cascade,
      name text not null,
      path text not null,
      duration_ms integer not null,
      size_bytes integer not null,
      created_at timestamptz not null default now(),
      unique (campaign_id, name)
    );
  `.execute(db);
}
