import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table workspaces (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      name text not null,
      agent_ring_timeout_seconds integer not null default 20
        check (agent_ring_timeout_seconds between 5 and 120),
      mfa_policy text not null default 'off'
        check (mfa_policy in ('off', 'totp', 'webauthn', 'totp_or_webauthn')),
      recording_controls_visible boolean not null default true,
      agent_assist_enabled boolean not null default false,
      created_at timestamptz not null default now()
    );

    create table agent_profiles (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      name text not null,
      max_concurrent_chats integer not null default 5 check (max_concurrent_chats between 1 and 20),
      unique (workspace_id, name)
    );

    create table users (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      username text not null,
      display_name text not null,
      role text not null check (role in ('agent', 'manager', 'administrator')),
      password_hash text not null,
      agent_id integer check (agent_id > 0),
      pin_hash text,
      agent_profile_id uuid references agent_profiles(id) on delete restrict,
      disabled boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (workspace_id, agent_id)
    );
    create unique index users_username_key on users (lower(username));

    create table teams (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      name text not null,
      unique (workspace_id, name)
    );

    create table team_members (
      team_id uuid not null references teams(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      primary key (team_id, user_id)
    );
    create index team_members_user on team_members (user_id);

    create table campaigns (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      name text not null,
      kind text not null
        check (kind in ('inbound_voice', 'outbound_preview', 'outbound_predictive', 'chat', 'email')),
      script text not null default '',
      created_at timestamptz not null default now(),
      unique (workspace_id, name)
    );

    create table campaign_teams (
      campaign_id uuid not null references campaigns(id) on delete cascade,
      team_id uuid not null references teams(id) on delete cascade,
      primary key (campaign_id, team_id)
    );
    create index campaign_teams_team on campaign_teams (team_id);

    create table pause_reasons (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      name text not null,
      position integer not null default 0,
      unique (workspace_id, name)
    );

    create table wrap_codes (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid not null references campaigns(id) on delete cascade,
      name text not null,
      completes_lead boolean not null default false,
      completes_phone_number boolean not null default false,
      schedules_callback boolean not null default false,
      position integer not null default 0,
      unique (campaign_id, name)
    );

    create table sessions (
      token_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      workspace_id uuid not null references workspaces(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index sessions_user on sessions (user_id);

    create table login_throttle (
      key text primary key,
      failures integer not null,
      window_started_at timestamptz not null,
      blocked_until timestamptz
    );

    create table notifications (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      level text not null check (level in ('info', 'warning', 'error')),
      text text not null,
      created_at timestamptz not null,
      cleared boolean not null default false
    );
    create index notifications_user on notifications (user_id, created_at desc);
  `.execute(db);
}
