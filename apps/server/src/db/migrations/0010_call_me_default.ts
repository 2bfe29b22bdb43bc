import { type Kysely, sql } from 'kysely';

/**
 * "Call me to connect"'s "Save as default" is kept with the agent, not in one browser: agents
 * who hot-desk find their number and mode wherever they sign in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column call_me_default jsonb`.execute(db);
}
