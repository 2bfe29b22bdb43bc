import { type Kysely, sql } from 'kysely';

/**
 * The Outcome the agent has chosen while the interaction is still with them (talking or
 * wrapping), kept so a reload shows it and a wrap without a code uses it. `wrap_code_id` stays
 * the outcome the interaction was wrapped with.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table queue_entries
      add column chosen_wrap_code_id uuid references wrap_codes(id) on delete set null
  `.execute(db);
}
