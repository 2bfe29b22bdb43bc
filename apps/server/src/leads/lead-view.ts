import { DEFAULT_LEAD_RULES, type Lead, type LeadRules, NEW_RECORD } from '@parley/contract';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { LeadNumbersTable, LeadsTable } from '../db/schema.js';

/** A campaign's calling rules: its own, over the defaults for anything it leaves out. */
export function leadRules(stored: LeadRules | null): LeadRules {
  return { ...DEFAULT_LEAD_RULES, ...(stored ?? {}) };
}

/** A lead and its numbers as the API shows them. */
export function toLead(l: Selectable<LeadsTable>, numbers: Selectable<LeadNumbersTable>[]): Lead {
  return {
    id: l.id,
    campaignId: l.campaign_id,
    listId: l.list_id,
    fields: l.fields,
    timeZone: l.time_zone,
    priority: l.priority,
    done: l.done,
    callbackAt: l.callback_at?.toISOString() ?? null,
    callbackOwnerId: l.callback_owner_id,
    attempts: l.attempts,
    lastAttemptAt: l.last_attempt_at?.toISOString() ?? null,
    lastOutcome: l.last_outcome ?? NEW_RECORD,
    numbers: numbers
      .sort((a, b) => a.position - b.position)
      .map((n) => ({
        id: n.id,
        label: n.label,
        number: n.number,
        attempts: n.attempts,
        lastAttemptAt: n.last_attempt_at?.toISOString() ?? null,
        lastOutcome: n.last_outcome,
        nextCallAt: n.next_call_at?.toISOString() ?? null,
        completed: n.completed,
      })),
  };
}

/** One lead with its numbers, or undefined. */
export async function loadLead(db: Db, leadId: string): Promise<Lead | undefined> {
  const lead = await db.selectFrom('leads').selectAll().where('id', '=', leadId).executeTakeFirst();
  if (!lead) return undefined;
  const numbers = await db.selectFrom('lead_numbers').selectAll().where('lead_id', '=', leadId).execute();
  return toLead(lead, numbers);
}

/** The name a lead goes by on the toolbar: its name columns, else its first number. */
export function leadLabel(fields: Record<string, string>, firstNumber: string | undefined): string {
  const get = (...names: string[]) =>
    names
      .map((n) =>
        Object.entries(fields)
          .find(([k]) => k.toLowerCase() === n)?.[1]
          ?.trim(),
      )
      .find(Boolean);
  const name =
    get('name', 'full name') ??
    [get('first name', 'firstname'), get('last name', 'lastname', 'surname')].filter(Boolean).join(' ');
  return name || firstNumber || 'Lead';
}
