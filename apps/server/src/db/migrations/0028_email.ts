import { type Kysely, sql } from 'kysely';

/**
 * Email (issue #19). A mailbox belongs to an email campaign: mail read from it (IMAP) or sent to
 * the platform's SMTP listener queues on the campaign, one queue entry per inbound message, and
 * replies leave by its SMTP server. A thread holds the messages of one conversation (the Email
 * thread ID) and a short token that replies carry in their subject, for clients that drop the
 * threading headers. An inbound message is stored once per mailbox whatever happens between
 * storing it and moving it out of the inbox: by its Message-ID, and by its IMAP UID. An
 * interaction's reply is a draft (saved as the agent types) until sent, then an outbound message
 * queued for SMTP with its attempts and the time of the next. Files live under
 * DATA_DIR/email-attachments, never in the web root. Passwords are encrypted at rest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table agent_profiles add column send_email boolean not null default false`.execute(db);
  await sql`
    create table email_mailboxes (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid not null references campaigns(id) on delete cascade,
      name text not null,
      address text not null,
      display_name text not null default '',
      inbound text not null default 'none' check (inbound in ('imap', 'smtp', 'none')),
      enabled boolean not null default true,
      imap jsonb,
      imap_password text,
      smtp jsonb,
      smtp_password text,
      health_state text not null default 'off' check (health_state in ('off', 'connecting', 'ok', 'error')),
      health_error text,
      health_since timestamptz,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create unique index email_mailboxes_address on email_mailboxes (workspace_id, lower(address))`.execute(
    db,
  );
  await sql`
    create table email_templates (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid not null references campaigns(id) on delete cascade,
      name text not null,
      subject text not null default '',
      html text not null default '',
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create unique index email_templates_name on email_templates (campaign_id, lower(name))`.execute(
    db,
  );
  await sql`
    create table email_threads (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      campaign_id uuid references campaigns(id) on delete set null,
      token text not null unique,
      subject text not null,
      contact_name text not null default '',
      contact_address text not null default '',
      created_at timestamptz not null,
      last_at timestamptz not null
    )
  `.execute(db);
  await sql`create index email_threads_history on email_threads (workspace_id, last_at desc)`.execute(db);
  await sql`
    create table email_messages (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      thread_id uuid not null references email_threads(id) on delete cascade,
      mailbox_id uuid references email_mailboxes(id) on delete set null,
      direction text not null check (direction in ('in', 'out')),
      message_id text,
      in_reply_to text,
      refs text[] not null default '{}',
      from_name text not null default '',
      from_address text not null default '',
      to_addrs jsonb not null default '[]',
      cc_addrs jsonb not null default '[]',
      bcc_addrs jsonb not null default '[]',
      subject text not null default '',
      body_text text not null default '',
      body_html text,
      remote_images integer not null default 0,
      status text not null check (status in ('received', 'queued', 'sent', 'failed', 'bounced')),
      error text,
      auto_reply boolean not null default false,
      entry_id uuid references queue_entries(id) on delete set null,
      agent_id uuid references users(id) on delete set null,
      agent_name text,
      imap_uidvalidity bigint,
      imap_uid bigint,
      raw_size integer not null default 0,
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      created_at timestamptz not null,
      sent_at timestamptz
    )
  `.execute(db);
  await sql`
    create unique index email_messages_inbound_id on email_messages (mailbox_id, message_id)
      where direction = 'in' and message_id is not null
  `.execute(db);
  await sql`
    create unique index email_messages_imap_uid on email_messages (mailbox_id, imap_uidvalidity, imap_uid)
      where imap_uid is not null
  `.execute(db);
  await sql`create index email_messages_message_id on email_messages (workspace_id, message_id)`.execute(db);
  await sql`create index email_messages_thread on email_messages (thread_id, created_at)`.execute(db);
  await sql`create index email_messages_entry on email_messages (entry_id) where entry_id is not null`.execute(
    db,
  );
  await sql`create index email_messages_outbox on email_messages (next_attempt_at) where status = 'queued'`.execute(
    db,
  );
  await sql`
    create index email_messages_text on email_messages
      using gin (to_tsvector('simple', subject || ' ' || body_text))
  `.execute(db);
  await sql`
    create table email_attachments (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      message_id uuid references email_messages(id) on delete cascade,
      draft_entry_id uuid references queue_entries(id) on delete cascade,
      name text not null,
      content_type text not null,
      size integer not null,
      content_id text,
      inline boolean not null default false,
      created_at timestamptz not null
    )
  `.execute(db);
  await sql`create index email_attachments_message on email_attachments (message_id)`.execute(db);
  await sql`create index email_attachments_draft on email_attachments (draft_entry_id)`.execute(db);
  await sql`
    create table email_drafts (
      entry_id uuid primary key references queue_entries(id) on delete cascade,
      mode text not null check (mode in ('reply', 'replyAll', 'forward', 'new')),
      to_addrs text[] not null default '{}',
      cc_addrs text[] not null default '{}',
      bcc_addrs text[] not null default '{}',
      subject text not null default '',
      html text not null default '',
      template_id uuid references email_templates(id) on delete set null,
      saved_at timestamptz not null
    )
  `.execute(db);
  await sql`
    alter table queue_entries
      add column email_thread_id uuid references email_threads(id) on delete set null,
      add column email_message_id uuid references email_messages(id) on delete set null
  `.execute(db);
  await sql`create index queue_entries_email_thread on queue_entries (email_thread_id) where email_thread_id is not null`.execute(
    db,
  );
}
