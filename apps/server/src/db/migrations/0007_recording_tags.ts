import { type Kysely, sql } from 'kysely';

/** Marks an agent puts on a call recording (E2): where in the file, and when. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table recordings add column tags jsonb not null default '[]'`.execute(db);
}
