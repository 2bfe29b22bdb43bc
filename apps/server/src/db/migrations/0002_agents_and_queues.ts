import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table agent_states (
      user_id uuid primary key references users(id) on delete cascade,
      workspace_id uuid not null references workspaces(id) on delete cascade,
      status_kind text not null check (status_kind in ('signed_out', 'available', 'paused')),
      pause_reason_id uuid references pause_reasons(id) on delete set null,
      pause_name text,
      detail text,
      since timestamptz not null,
      voice text not null default 'none' check (voice in ('none', 'connecting', 'connected', 'lost')),
      next_status jsonb,
      idle_since timestamptz not null
    );

    create table agent_state_history (
      id bigserial primary key,
      user_id uuid not null references users(id) on delete cascade,
      workspace_id uuid not null references workspaces(id) on delete cascade,
      status_kind text not null,
      label text not null,
      started_at timestamptz not null,
      ended_at timestamptz
    );
    create index agent_state_history_ws_time on agent_state_history (workspace_id, started_at);
    create index agent_state_history_open on agent_state_history (user_id) where ended_at is null;

    create table queue_entries (
      id uuid primary key default gen_random_uuid(),
      seq bigserial not null,
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid not null references campaigns(id) on delete cascade,
      kind text not null check (kind in ('voice', 'chat', 'email')),
      label text not null,
      priority integer not null default 0,
      enqueued_at timestamptz not null,
      state text not null check (state in ('waiting', 'offered', 'busy', 'wrapping', 'done', 'abandoned')),
      agent_id uuid references users(id) on delete set null,
      state_since timestamptz not null,
      offer_expires_at timestamptz,
      wrap_code_id uuid references wrap_codes(id) on delete set null
    );
    create index queue_entries_waiting on queue_entries (campaign_id, priority desc, enqueued_at, seq)
      where state = 'waiting';
    create index queue_entries_agent on queue_entries (agent_id) where state in ('offered', 'busy', 'wrapping');
  `.execute(db);
}
