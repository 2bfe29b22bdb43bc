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
  for (let i = 0; i < numbers.length; i += 5000) {
    const found = await tx
      .selectFrom('lead_numbers as n')
      .innerJoin('leads as l', 'l.id', 'n.lead_id')
      .select(['n.number', 'l.import_id', 'l.import_line'])
      .where('l.list_id', '=', ctx.listId)
      .where('n.number', 'in', numbers.slice(i, i + 5000))
      .execute();
    for (const f of found) existing.set(f.number, { importId: f.import_id, line: f.import_line });
  }
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
    leads.push({ id: randomUUID(), row, line });
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
      row.numbers.map((n, position) => ({ lead_id: id, position, label: n.label, number: n.number })),
    );
    await sql`
      insert into lead_numbers (lead_id, position, label, number)
      select r.lead_id, r.position, r.label, r.number
        from jsonb_to_recordset(${JSON.stringify(numberRows)}::jsonb)
          as r(lead_id uuid, position integer, label text, number text)
    `.execute(tx);
  }
  return { duplicates };
}
