import type { LeadRules } from '@parley/contract';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { mayCall, type Refusal } from './calling-rules.js';

/** The number about to be dialled: one of the lead's (with its state), or one an agent typed. */
export interface NumberToClaim {
  id: string | null;
  number: string;
  attempts: number;
  next_call_at: Date | null;
  completed: boolean;
  dialler_locked_until?: Date | null;
}

/**
 * Checks the calling rules for one number of a lead at the moment of dialling and, if it may be
 * called, counts the attempt on the number and the lead, all under a lock on the number, so one
 * number is never dialled twice at once whoever dials it (an agent, the dialler). A number the
 * dialler abandoned a call to is left alone by the dialler until its lockout ends (an agent may
 * call it). `record` runs in the same transaction (the caller's own record of the dial).
 */
export async function claimNumber(
  db: Db,
  o: {
    workspaceId: string;
    lead: { id: string; done: boolean; attempts: number; time_zone: string | null };
    number: NumberToClaim;
    rules: LeadRules;
    now: Date;
    dialler: boolean;
    record?: (tx: Db) => Promise<void>;
  },
): Promise<Refusal | undefined> {
  const { lead, number, now } = o;
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${number.number}))`.execute(tx);
    const live =
      (await tx
        .selectFrom('queue_entries')
        .select('id')
        .where('workspace_id', '=', o.workspaceId)
        .where('customer_phone', '=', number.number)
        .where('state', '=', 'busy')
        .executeTakeFirst()) ??
      (await tx
        .selectFrom('dialler_calls')
        .select('id')
        .where('workspace_id', '=', o.workspaceId)
        .where('number', '=', number.number)
        .where('outcome', '=', 'ringing')
        .executeTakeFirst());
    const dnc = await tx
      .selectFrom('do_not_call')
      .select('number')
      .where('workspace_id', '=', o.workspaceId)
      .where('number', '=', number.number)
      .executeTakeFirst();
    const refusal = mayCall(
      { done: lead.done, attempts: lead.attempts, timeZone: lead.time_zone },
      {
        number: number.number,
        attempts: number.attempts,
        nextCallAt: number.next_call_at,
        completed: number.completed,
      },
      o.rules,
      now,
      { doNotCall: dnc !== undefined, liveCall: live !== undefined },
    );
    if (refusal) return refusal;
    const locked = number.dialler_locked_until;
    if (o.dialler && locked && locked > now)
      return {
        code: 'LOCKED_OUT',
        reason: `${number.number} had an abandoned call: the dialler leaves it until ${locked.toISOString()}`,
      };
    if (number.id)
      await tx
        .updateTable('lead_numbers')
        .set({ attempts: number.attempts + 1, last_attempt_at: now })
        .where('id', '=', number.id)
        .execute();
    await tx
      .updateTable('leads')
      .set({ attempts: lead.attempts + 1, last_attempt_at: now })
      .where('id', '=', lead.id)
      .execute();
    await o.record?.(tx);
    return undefined;
  });
}
