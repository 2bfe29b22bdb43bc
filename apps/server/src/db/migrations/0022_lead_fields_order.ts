import { type Kysely, sql } from 'kysely';

/**
 * A lead's columns keep the order of the file they came from (the information panel lists them
 * so): `json` keeps an object's keys as written, where `jsonb` sorts them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table leads alter column fields drop default`.execute(db);
  await sql`alter table leads alter column fields type json using fields::json`.execute(db);
  await sql`alter table leads alter column fields set default '{}'::json`.execute(db);
}
