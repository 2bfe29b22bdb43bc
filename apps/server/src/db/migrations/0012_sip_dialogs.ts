import { type Kysely, sql } from 'kysely';

/**
 * Every SIP dialog a process holds, so that the next start after a crash can send each a BYE:
 * a caller or an agent's phone is never left in silence by a process that died.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sip_dialogs (
      key text primary key,
      node text not null,
      call_id text not null,
      local_uri text not null,
      remote_uri text not null,
      remote_target text not null,
      peer jsonb not null,
      local_cseq integer not null default 0,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index sip_dialogs_node on sip_dialogs (node)`.execute(db);
}
