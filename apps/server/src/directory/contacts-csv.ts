import { CONTACTS_CSV_COLUMNS, CONTACTS_CSV_MAX_ROWS, type ContactPhone } from '@parley/contract';
import { AppError } from '../http/app-error.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import { toE164 } from './phone-numbers.js';

type Column = (typeof CONTACTS_CSV_COLUMNS)[number];

/** A good row of a contacts file; the fields whose column the file lacks are left undefined. */
export interface ContactRow {
  row: number;
  name: string;
  title?: string | null;
  department?: string | null;
  phones?: ContactPhone[];
  email?: string | null;
}

export interface ContactsFile {
  /** The columns the header names: only these change an existing contact. */
  columns: Set<Column>;
  rows: ContactRow[];
  rejected: { row: number; reason: string }[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const invalid = (message: string) => new AppError('CSV_INVALID', message);

function readHeader(fields: string[]): Column[] {
  const names = fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !(CONTACTS_CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length)
    throw invalid(
      `Unknown column ${unknown.map((u) => `"${u}"`).join(', ')}: the header names columns from ${CONTACTS_CSV_COLUMNS.join(', ')}`,
    );
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw invalid(`The column "${twice}" is named twice in the header`);
  if (!names.includes('name')) throw invalid('The header has no "name" column');
  return names as Column[];
}

/** One row, or why it is left out. */
function readRow(header: Column[], fields: string[], country: string): Omit<ContactRow, 'row'> | string {
  if (fields.length !== header.length)
    return `has ${fields.length} fields where the header has ${header.length}`;
  // Line breaks and runs of spaces inside a cell become one space.
  const cell = new Map(header.map((c, i) => [c, (fields[i] ?? '').replace(/\s+/g, ' ').trim()]));
  if ([...cell.values()].some((v) => CONTROL.test(v))) return 'holds a control character';
  const text = (c: Column) => (cell.has(c) ? cell.get(c) || null : undefined);
  const name = cell.get('name') ?? '';
  if (!name) return 'has no name';
  if (name.length > 100) return 'has a name over 100 characters';
  for (const c of ['title', 'department'] as const)
    if ((text(c)?.length ?? 0) > 100) return `has a ${c} over 100 characters`;
  const email = text('email');
  if (email && (email.length > 254 || !EMAIL.test(email))) return `has an email that is not one: "${email}"`;
  const out: Omit<ContactRow, 'row'> = { name, title: text('title'), department: text('department'), email };
  if (cell.has('phone') || cell.has('mobile')) {
    const phones: ContactPhone[] = [];
    for (const [column, kind] of [
      ['phone', 'work'],
      ['mobile', 'mobile'],
    ] as const) {
      const raw = text(column);
      if (!raw) continue;
      const number = toE164(raw, country);
      if (!number) return `has a ${column} number that is not a valid phone number in ${country}: "${raw}"`;
      phones.push({ number, kind });
    }
    out.phones = phones;
  }
  return out;
}

/**
 * Reads a contacts CSV: a header row naming its columns, then one contact a row. Numbers are
 * read in `country` and kept in E.164. A row that cannot be a contact is rejected with its row
 * number and reason, as is a second row for a name already in the file; a file that cannot be
 * read at all (no usable header, too many rows) is refused with CSV_INVALID.
 */
export function readContactsCsv(text: string, country: string): ContactsFile {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw invalid(err.message);
    throw err;
  }
  const [head, ...data] = records;
  if (!head) throw invalid('The file is empty: it needs a header row, then one contact a row');
  if (data.length > CONTACTS_CSV_MAX_ROWS)
    throw invalid(`The file has ${data.length} rows; at most ${CONTACTS_CSV_MAX_ROWS} are imported at once`);
  const header = readHeader(head.fields);
  const firstRowOf = new Map<string, number>();
  const file: ContactsFile = { columns: new Set(header), rows: [], rejected: [] };
  for (const { row, fields } of data) {
    const read = readRow(header, fields, country);
    if (typeof read === 'string') {
      file.rejected.push({ row, reason: `Row ${row} ${read}` });
      continue;
    }
    const key = read.name.toLowerCase();
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      file.rejected.push({ row, reason: `Row ${row} names "${read.name}" again (first in row ${first})` });
      continue;
    }
    firstRowOf.set(key, row);
    file.rows.push({ row, ...read });
  }
  return file;
}
