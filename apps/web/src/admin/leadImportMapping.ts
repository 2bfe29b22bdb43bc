import {
  type DoNotCallImportQuery,
  LEAD_CSV_MAX_COLUMNS,
  LEAD_MAX_PHONE_COLUMNS,
  type LeadImportQuery,
} from '@parley/contract';
import type { CsvDelimiter, CsvHeader } from './csvHeader';

/** The longest header name an import's mapping may name (the query's limit). */
const MAX_HEADER_NAME = 100;

/** How the administrator maps a lead file's columns: phone columns in calling order, and the optional two. */
export interface LeadMapping {
  phone: string[];
  /** A column's name, or '' for none. */
  timeZone: string;
  priority: string;
  delimiter: CsvDelimiter;
}

/** The columns a mapping may name: those with a header name short enough to send. */
export function mappableColumns(header: CsvHeader): string[] {
  return header.columns.filter((c) => c !== '' && c.length <= MAX_HEADER_NAME);
}

/** Why the server would refuse this header whatever the mapping (CSV_INVALID), said before uploading. */
export function headerProblem(header: CsvHeader): string | undefined {
  if (header.columns.length > LEAD_CSV_MAX_COLUMNS)
    return `The header has ${header.columns.length} columns; an import reads at most ${LEAD_CSV_MAX_COLUMNS}.`;
  const seen = new Map<string, number>();
  for (const [i, name] of header.columns.entries()) {
    if (!name) continue;
    const key = name.toLowerCase();
    const before = seen.get(key);
    if (before !== undefined)
      return `The header names the column "${name}" twice (columns ${before + 1} and ${i + 1}): rename one of them.`;
    seen.set(key, i);
  }
  return undefined;
}

const PHONE = /phone|mobile|cell|^tel|landline/i;
const TIME_ZONE = /time.?zone|^tz$/i;
const PRIORITY = /^priority$/i;

/** A first guess from the header's names, for the administrator to correct. */
export function guessLeadMapping(header: CsvHeader): LeadMapping {
  const columns = mappableColumns(header);
  const timeZone = columns.find((c) => TIME_ZONE.test(c)) ?? '';
  const priority = columns.find((c) => PRIORITY.test(c)) ?? '';
  const phone = columns
    .filter((c) => PHONE.test(c) && c !== timeZone && c !== priority)
    .slice(0, LEAD_MAX_PHONE_COLUMNS);
  return { phone, timeZone, priority, delimiter: header.delimiter };
}

/** Ticks or unticks a phone column (a new one goes last); a column ticked as a phone is no longer the zone or priority. */
export function togglePhone(mapping: LeadMapping, column: string, on: boolean): LeadMapping {
  if (!on) return { ...mapping, phone: mapping.phone.filter((c) => c !== column) };
  if (mapping.phone.includes(column) || mapping.phone.length >= LEAD_MAX_PHONE_COLUMNS) return mapping;
  return {
    ...mapping,
    phone: [...mapping.phone, column],
    timeZone: mapping.timeZone === column ? '' : mapping.timeZone,
    priority: mapping.priority === column ? '' : mapping.priority,
  };
}

/** Moves a phone column one place earlier (-1) or later (+1) in the calling order. */
export function movePhone(mapping: LeadMapping, column: string, by: -1 | 1): LeadMapping {
  const phone = [...mapping.phone];
  const from = phone.indexOf(column);
  const to = from + by;
  if (from < 0 || to < 0 || to >= phone.length) return mapping;
  [phone[from], phone[to]] = [phone[to] as string, phone[from] as string];
  return { ...mapping, phone };
}

/** The import's query: the phone columns in order, then the optional columns and a delimiter other than a comma. */
export function leadImportQuery(mapping: LeadMapping): LeadImportQuery {
  return {
    phone: mapping.phone,
    ...(mapping.timeZone && { timeZone: mapping.timeZone }),
    ...(mapping.priority && { priority: mapping.priority }),
    ...(mapping.delimiter !== ',' && { delimiter: mapping.delimiter }),
  };
}

/** How the administrator maps a do-not-call file: its number column, and a reason column if any. */
export interface DoNotCallMapping {
  number: string;
  reason: string;
  delimiter: CsvDelimiter;
}

export function guessDoNotCallMapping(header: CsvHeader): DoNotCallMapping {
  const columns = mappableColumns(header);
  const number = columns.find((c) => PHONE.test(c) || /number/i.test(c)) ?? columns[0] ?? '';
  const reason = columns.find((c) => /reason/i.test(c) && c !== number) ?? '';
  return { number, reason, delimiter: header.delimiter };
}

export function doNotCallImportQuery(mapping: DoNotCallMapping): DoNotCallImportQuery {
  return {
    ...(mapping.number && { number: mapping.number }),
    ...(mapping.reason && { reason: mapping.reason }),
    ...(mapping.delimiter !== ',' && { delimiter: mapping.delimiter }),
  };
}
