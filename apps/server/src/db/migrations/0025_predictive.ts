import { type Kysely, sql } from 'kysely';

/**
 * Predictive dialling (issue #17). A predictive campaign's settings (abandonment cap, lockout,
 * information message, lines per agent). Every call the dialler places is a row of
 * `dialler_calls` (dialled, answered, connected or abandoned: the abandonment windows are counted
 * from them), and every decision, abandon and settings change a row of `dialler_audit`, kept when
 * the campaign is deleted (a regulator may ask). A number an abandoned call went to is left alone
 * by the dialler until `dialler_locked_until`. The dialler holds the leads it is calling under the
 * campaign's id, so `reserved_by` names a user or a campaign.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table campaigns add column predictive jsonb`.execute(db);
  await sql`alter table lead_numbers add column dialler_locked_until timestamptz`.execute(db);
  await sql`alter table leads drop constraint leads_reserved_by_fkey`.execute(db);
  await sql`
    alter table queue_entries
      drop constraint queue_entries_call_type_check,
      add constraint queue_entries_call_type_check
        check (call_type in ('manual', 'agent', 'preview', 'predictive'))
  `.execute(db);
  await sql`
    create table dialler_calls (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid references campaigns(id) on delete set null,
      lead_id uuid references leads(id) on delete set null,
      lead_number_id uuid references lead_numbers(id) on delete set null,
      number text not null,
      dialled_at timestamptz not null,
      answered_at timestamptz,
      connected_at timestamptz,
      ended_at timestamptz,
      agent_id uuid references users(id) on delete set null,
      entry_id uuid references queue_entries(id) on delete set null,
      outcome text not null default 'ringing' check (outcome in
        ('ringing', 'no answer', 'busy', 'failed', 'refused', 'connected', 'abandoned')),
      reason text,
      waited_ms integer,
      message_played boolean not null default false
    )
  `.execute(db);
  await sql`
    create index dialler_calls_answered on dialler_calls (campaign_id, answered_at)
      where answered_at is not null
  `.execute(db);
  await sql`create index dialler_calls_dialled on dialler_calls (campaign_id, dialled_at)`.execute(db);
  // One call to a number at a time: the calls still ringing, by number.
  await sql`create index dialler_calls_ringing on dialler_calls (number) where outcome = 'ringing'`.execute(
    db,
  );
  await sql`
    create table dialler_audit (
      id bigserial primary key,
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid references campaigns(id) on delete set null,
      campaign_name text not null,
      at timestamptz not null,
      kind text not null check (kind in ('decision', 'abandon', 'settings')),
      actor_id uuid references users(id) on delete set null,
      detail jsonb not null
    )
  `.execute(db);
  await sql`create index dialler_audit_campaign on dialler_audit (campaign_id, at)`.execute(db);
}
