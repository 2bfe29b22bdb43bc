import { type Kysely, sql } from 'kysely';

/** Dial-in numbers for agents (Call in to connect) and the verification PINs the toolbar shows. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table inbound_numbers
      add column purpose text not null default 'customer' check (purpose in ('customer', 'agent_dial_in')),
      alter column campaign_id drop not null,
      add constraint inbound_numbers_customer_campaign check (purpose <> 'customer' or campaign_id is not null);
    create table call_in_pins (
      user_id uuid primary key references users(id) on delete cascade,
      pin_hash text not null,
      expires_at timestamptz not null
    );
  `.execute(db);
}
