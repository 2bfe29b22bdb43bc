import { randomUUID } from 'node:crypto';
import type { LeadImportMapping } from '@parley/contract';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ImportTarget } from './lead-import.service.js';
import {
  type LeadReading,
  type LeadRow,
  leadColumns,
  type ReportLine,
  readLeadRow,
} from './lead-import-csv.js';

/**
 * Leads from a CSV file into one list. A row whose number is already in the list, or on an
 * earlier row of the file, is skipped as a duplicate and reported with that row's line: earlier
 * batches are already in the database (with their import and line), this batch's are in a map.
 */
export function leadImportTarget(ctx: {
  workspaceId: string;
  campaignId: string;
  listId: string;
  mapping: LeadImportMapping;
  reading: LeadReading;
}): ImportTarget<LeadRow> {
  return {
    header(cells) {
      const columns = leadColumns(cells, ctx.mapping);
      return {
        read: (row, line) => {
          const { lead, report } = readLeadRow(row, line, columns, ctx.reading);
          return lead ? { row: lead, report } : { report };
        },
        write: (tx, rows, importId) => writeLeads(tx, ctx, rows, importId),
      };
    },
  };
}

async function writeLeads(
  tx: Db,
  ctx: { workspaceId: string; campaignId: string; listId: string },
  rows: { row: LeadRow; line: number }[],
  importId: string,
): Promise<{ duplicates: ReportLine[] }> {
  const numbers = [...new Set(rows.flatMap((r) => r.row.numbers.map((n) => n.number)))];
  const existing = new Map<string, { importId: string | null; line: number | null }>();
  for (const f of await numbersInList(tx, ctx.listId, numbers))
    existing.set(f.number, { importId: f.import_id, line: f.import_line });
  const inBatch = new Map<string, number>();
  const duplicates: ReportLine[] = [];
  const leads: { id: string; row: LeadRow; line: number }[] = [];
  for (const { row, line } of rows) {
    let duplicate: ReportLine | undefined;
    for (const n of row.numbers) {
      const before = existing.get(n.number);
      const earlierLine =
        inBatch.get(n.number) ?? (before?.importId === importId ? (before.line ?? undefined) : undefined);
      if (earlierLine !== undefined || before) {
        duplicate = {
          line,
          column: n.label,
          value: n.raw,
          outcome: 'duplicate',
          reason:
            earlierLine !== undefined
              ? `duplicate of line ${earlierLine}: ${n.number}`
              : `already in the list: ${n.number}`,
        };
        break;
      }
    }
    if (duplicate) {
      duplicates.push(duplicate);
      continue;
    }
    for (const n of row.numbers) inBatch.set(n.number, line);
    leads.push({ id: timeOrderedUuid(), row, line });
  }
  if (leads.length) {
    // One parameter per statement (the batch as JSON), not nine per row: the database parses and
    // binds far less, which is most of an import's time on the embedded database.
    const leadRows = leads.map(({ id, row, line }) => ({
      id,
      fields: row.fields,
      time_zone: row.timeZone,
      priority: row.priority,
      import_line: line,
    }));
    await sql`
      insert into leads (id, workspace_id, campaign_id, list_id, fields, time_zone, priority, import_id, import_line)
      select r.id, ${ctx.workspaceId}::uuid, ${ctx.campaignId}::uuid, ${ctx.listId}::uuid, r.fields,
             r.time_zone, r.priority, ${importId}::uuid, r.import_line
        from json_to_recordset(${JSON.stringify(leadRows)}::json)
          as r(id uuid, fields json, time_zone text, priority integer, import_line integer)
    `.execute(tx);
    const numberRows = leads.flatMap(({ id, row }) =>
      row.numbers.map((n, position) => ({
        id: timeOrderedUuid(),
        lead_id: id,
        position,
        label: n.label,
        number: n.number,
      })),
    );
    // The ids made here, not by gen_random_uuid(): on the embedded database that is a call out to
    // the host's random source for every row, and its random order spreads the inserts over the
    // whole of the key indexes.
    await sql`
      insert into lead_numbers (id, lead_id, position, label, number)
      select r.id, r.lead_id, r.position, r.label, r.number
        from json_to_recordset(${JSON.stringify(numberRows)}::json)
          as r(id uuid, lead_id uuid, position integer, label text, number text)
    `.execute(tx);
  }
  return { duplicates };
}

/**
 * Which of the numbers the list already holds, with the import and line of the lead holding each.
 * One index probe a number (lead_numbers_number, then the lead by its key). The embedded database
 * has no statistics (nothing runs ANALYZE), so for `number = any(...)` with a batch's numbers it
 * guesses a good share of the table matches and reads all of it, every batch: an import got
 * slower the more the lists held. Sequential scans are off for this one statement (both settings
 * end with the transaction), so the plan is the probes on either database.
 */
async function numbersInList(
  tx: Db,
  listId: string,
  numbers: string[],
): Promise<{ number: string; import_id: string | null; import_line: number | null }[]> {
  if (numbers.length === 0) return [];
  await sql`set local enable_seqscan = off`.execute(tx);
  const { rows } = await sql<{ number: string; import_id: string | null; import_line: number | null }>`
    select n.number, l.import_id, l.import_line
      from lead_numbers n
      cross join lateral (
        select l.import_id, l.import_line from leads l where l.id = n.lead_id and l.list_id = ${listId} offset 0
      ) l
     where n.number = any(${numbers}::text[])
  `.execute(tx);
  await sql`set local enable_seqscan = on`.execute(tx);
  return rows;
}

let lastMs = 0;
let counter = 0;
let timePart = '';
/**
 * A UUID version 7 (RFC 9562): the time in milliseconds, then a counter within the millisecond,
 * then random bits. Ids made one after another sort in that order, so a batch's rows are added at
 * the end of the indexes on them (`leads_pkey`, `lead_numbers_pkey`, `lead_numbers_lead`), not
 * all over them as random ids are.
 */
export function timeOrderedUuid(): string {
  const now = Date.now();
  if (now > lastMs || !timePart) {
    lastMs = Math.max(now, lastMs);
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs++; // more than 4,096 in a millisecond: borrow the next one, still in order
    counter = 0;
  }
  if (counter === 0) {
    const time = lastMs.toString(16).padStart(12, '0');
    timePart = `${time.slice(0, 8)}-${time.slice(8)}-7`;
  }
  // randomUUID's last 17 characters: the variant and 62 random bits.
  return `${timePart}${counter.toString(16).padStart(3, '0')}${randomUUID().slice(18)}`;
}
