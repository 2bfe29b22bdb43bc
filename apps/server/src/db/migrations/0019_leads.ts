import { type Kysely, sql } from 'kysely';

/**
 * Leads for outbound campaigns (issue #16). A lead list belongs to a campaign; a lead has its own
 * fields, its time zone, and a lead-level state (done, callback time and owner, when it may be
 * called next, who has it reserved); each of its phone numbers keeps its own state (attempts,
 * last outcome, next call time, completed), apart from the lead's: "Complete Phone Number"
 * completes one number and leaves the lead's callback alone. The do-not-call list is the
 * workspace's. Wrap codes gain a retry interval and "do not call"; an interaction on a lead
 * points at it and at the number called.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table lead_lists (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid not null references campaigns(id) on delete cascade,
      name text not null,
      created_at timestamptz not null default now(),
      unique (campaign_id, name)
    )
  `.execute(db);
  await sql`
    create table leads (
      id uuid primary key default gen_random_uuid(),
      seq bigserial not null,
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid not null references campaigns(id) on delete cascade,
      list_id uuid not null references lead_lists(id) on delete cascade,
      fields jsonb not null default '{}',
      time_zone text,
      priority integer not null default 0,
      done boolean not null default false,
      next_call_at timestamptz,
      callback_at timestamptz,
      callback_owner_id uuid references users(id) on delete set null,
      reserved_by uuid references users(id) on delete set null,
      reserved_at timestamptz,
      attempts integer not null default 0,
      last_attempt_at timestamptz,
      last_outcome text,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  // The next lead for a campaign: the due callbacks, then by priority and next-call time.
  await sql`
    create index leads_next on leads (campaign_id, priority desc, next_call_at nulls first, seq)
      where not done and reserved_by is null
  `.execute(db);
  await sql`
    create index leads_callbacks on leads (campaign_id, callback_at)
      where not done and callback_at is not null
  `.execute(db);
  await sql`create index leads_list on leads (list_id, seq)`.execute(db);
  await sql`create index leads_reserved on leads (reserved_by) where reserved_by is not null`.execute(db);
  await sql`
    create table lead_numbers (
      id uuid primary key default gen_random_uuid(),
      lead_id uuid not null references leads(id) on delete cascade,
      position integer not null,
      label text not null default '',
      number text not null,
      attempts integer not null default 0,
      last_attempt_at timestamptz,
      last_outcome text,
      next_call_at timestamptz,
      completed boolean not null default false
    )
  `.execute(db);
  await sql`create index lead_numbers_lead on lead_numbers (lead_id, position)`.execute(db);
  await sql`create index lead_numbers_number on lead_numbers (number)`.execute(db);
  await sql`
    create table do_not_call (
      workspace_id uuid not null references workspaces(id) on delete cascade,
      number text not null,
      reason text not null default '',
      created_at timestamptz not null default now(),
      primary key (workspace_id, number)
    )
  `.execute(db);
  await sql`alter table campaigns add column lead_rules jsonb`.execute(db);
  await sql`
    alter table wrap_codes
      add column retry_minutes integer check (retry_minutes between 1 and 525600),
      add column do_not_call boolean not null default false
  `.execute(db);
  await sql`
    alter table queue_entries
      add column lead_id uuid references leads(id) on delete set null,
      add column lead_number_id uuid references lead_numbers(id) on delete set null,
      drop constraint queue_entries_call_type_check,
      add constraint queue_entries_call_type_check check (call_type in ('manual', 'agent', 'preview'))
  `.execute(db);
  await sql`create index queue_entries_lead on queue_entries (lead_id) where lead_id is not null`.execute(db);
}
