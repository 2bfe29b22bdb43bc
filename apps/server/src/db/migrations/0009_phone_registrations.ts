import { type Kysely, sql } from 'kysely';

/**
 * Desk phones' registrations are kept with their extension, not in one process's memory: a
 * restart (or another SIP process) still knows where a phone is until its registration expires,
 * instead of waiting up to an hour for it to register again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sip_extensions
      add column contact text,
      add column contact_peer jsonb,
      add column registered_until timestamptz
  `.execute(db);
}
