import { type Kysely, sql } from 'kysely';

/**
 * Web chat (issue #18). A chat channel is what a website's widget opens: its chat campaign, the
 * pre-chat survey, the origins allowed to embed it, its hours and offline message. A chat is one
 * conversation with one customer, its messages numbered from 1 without gaps (`last_seq` is the
 * last given), whatever the agents who had it: each agent's part is a queue entry naming the chat
 * (`queue_entries.chat_id`), so a chat handed back to the queue keeps its transcript. A message a
 * side sends twice (a resend after a drop) is stored once, by the sender's own id. Canned
 * responses belong to a campaign, one per snippet whatever its case. Agents hold at most five
 * chats (the guide).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update agent_profiles set max_concurrent_chats = least(max_concurrent_chats, 5)`.execute(db);
  await sql`
    alter table agent_profiles
      drop constraint agent_profiles_max_concurrent_chats_check,
      add constraint agent_profiles_max_concurrent_chats_check check (max_concurrent_chats between 1 and 5)
  `.execute(db);
  await sql`
    create table chat_channels (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid not null references campaigns(id) on delete cascade,
      name text not null,
      survey jsonb not null default '[]',
      allowed_origins text[] not null default '{}',
      hours jsonb,
      offline_message text not null default '',
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index chat_channels_workspace on chat_channels (workspace_id)`.execute(db);
  await sql`
    create table chats (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      channel_id uuid references chat_channels(id) on delete set null,
      campaign_id uuid references campaigns(id) on delete set null,
      contact_name text not null,
      survey jsonb not null default '[]',
      origin text,
      state text not null default 'queued' check (state in ('queued', 'active', 'ended')),
      last_seq integer not null default 0,
      customer_read_seq integer not null default 0,
      agent_read_seq integer not null default 0,
      created_at timestamptz not null,
      ended_at timestamptz,
      ended_by text check (ended_by in ('agent', 'customer', 'system'))
    )
  `.execute(db);
  await sql`create index chats_history on chats (workspace_id, created_at desc)`.execute(db);
  await sql`
    create table chat_attachments (
      id uuid primary key default gen_random_uuid(),
      chat_id uuid not null references chats(id) on delete cascade,
      name text not null,
      content_type text not null,
      size integer not null,
      created_at timestamptz not null
    )
  `.execute(db);
  await sql`
    create table chat_messages (
      chat_id uuid not null references chats(id) on delete cascade,
      seq integer not null,
      sender text not null check (sender in ('customer', 'agent', 'system')),
      agent_id uuid references users(id) on delete set null,
      agent_name text,
      body text not null,
      client_id text,
      attachment_id uuid references chat_attachments(id) on delete set null,
      created_at timestamptz not null,
      primary key (chat_id, seq)
    )
  `.execute(db);
  await sql`
    create unique index chat_messages_client on chat_messages (chat_id, sender, client_id)
      where client_id is not null
  `.execute(db);
  // Chat History's text search.
  await sql`
    create index chat_messages_text on chat_messages using gin (to_tsvector('simple', body))
  `.execute(db);
  await sql`alter table queue_entries add column chat_id uuid references chats(id) on delete set null`.execute(
    db,
  );
  await sql`create index queue_entries_chat on queue_entries (chat_id) where chat_id is not null`.execute(db);
  await sql`
    create table canned_responses (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid not null references campaigns(id) on delete cascade,
      snippet text not null,
      text text not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create unique index canned_responses_snippet on canned_responses (campaign_id, lower(snippet))`.execute(
    db,
  );
}
