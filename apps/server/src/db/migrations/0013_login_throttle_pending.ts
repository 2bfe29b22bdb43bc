import { type Kysely, sql } from 'kysely';

/**
 * Attempts at a secret are reserved before the secret is checked (`auth/failure-counts.ts`):
 * `pending` counts those still being checked, so concurrent guesses cannot all pass the limit
 * before the first of them is counted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table login_throttle add column pending integer not null default 0`.execute(db);
}
