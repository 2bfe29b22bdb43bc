import {
  LEAD_CSV_MAX_COLUMNS,
  LEAD_CSV_MAX_RECORD_BYTES,
  LEAD_FIELD_MAX_CHARS,
  LEAD_IMPORT_REPORT_COLUMNS,
  type LeadImportMapping,
} from '@parley/contract';
import { type CsvError, Parser } from 'csv-parse';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { AppError } from '../http/app-error.js';
import { chooseTimeZone } from './lead-import-zones.js';

/*
 * The pure parts of a CSV import: reading records from a stream with the line each starts on,
 * matching the header to the mapping, reading one row into a lead (or why not), and writing the
 * report's lines. Nothing here touches the database or the disk.
 */

/** One line of an import's report. `outcome`: what became of the row. */
export interface ReportLine {
  line: number;
  column: string;
  value: string;
  outcome: 'rejected' | 'duplicate' | 'imported';
  reason: string;
}

export interface CsvRecord {
  /** The line of the file the record starts on (the header is line 1 in most files). */
  line: number;
  cells: string[];
}

const malformed = (message: string) => new AppError('CSV_MALFORMED', message);

/** What csv-parse's error means, for a person. */
function describe(err: CsvError, line: number, nextRow: number): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `The row starting on line ${nextRow} opens a quoted field that never closes`;
    case 'CSV_MAX_RECORD_SIZE':
      return `The row starting on line ${nextRow} is over ${LEAD_CSV_MAX_RECORD_BYTES / 1024} KiB (a quoted field that never closes?)`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `Line ${line}: a quoted field is followed by more text before the next comma (write a quote inside a quoted field as "")`;
    default:
      if ((err.code as string) === 'INVALID_OPENING_QUOTE')
        return `Line ${line}: a quote in the middle of an unquoted field (quote the whole field, and write a quote inside it as "")`;
      return `Line ${line}: ${err.message}`;
  }
}

const BREAKS = /\r\n|\r|\n/g;
const countBreaks = (text: string) => text.match(BREAKS)?.length ?? 0;
const countBreakChars = (text: string) => text.match(/[\r\n]/g)?.length ?? 0;

/**
 * Reads CSV records from a stream of bytes, `handle` awaited for each in order (so a batch is
 * written before more of the file is read, and memory holds one chunk's records at most). Blank
 * lines and rows of empty cells are skipped; a byte-order mark is dropped. A file that stops being
 * CSV part-way throws CSV_MALFORMED after every record before the fault has been handled.
 */
export async function readCsv(
  source: AsyncIterable<Buffer>,
  options: { delimiter: string },
  handle: (record: CsvRecord) => Promise<void> | void,
): Promise<void> {
  const pending: CsvRecord[] = [];
  // csv-parse counts a CRLF inside a quoted field as two lines (a record delimiter as one): its
  // count is put right by what was over-counted so far, and the record's own line breaks give
  // the line it starts on.
  let overCounted = 0;
  /** The line the last record read ends on. */
  let lastLine = 0;
  const parser = new Parser({
    bom: true,
    delimiter: options.delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: LEAD_CSV_MAX_RECORD_BYTES,
    on_record: (cells: string[], context: { lines: number }) => {
      let chars = 0;
      let breaks = 0;
      for (const c of cells) {
        if (c.includes('\r') || c.includes('\n')) {
          chars += countBreakChars(c);
          breaks += countBreaks(c);
        }
      }
      overCounted += chars - breaks;
      lastLine = context.lines - overCounted;
      pending.push({ line: lastLine - breaks, cells });
      return null; // kept here, not pushed through the stream
    },
  });
  parser.on('error', () => {}); // reported through the write callbacks below
  parser.resume();
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve, reject) => parser.write(chunk, (err) => (err ? reject(err) : resolve())));
  const end = () =>
    new Promise<void>((resolve, reject) => {
      parser.once('error', reject);
      parser.end(() => resolve());
    });
  const drain = async () => {
    while (pending.length) {
      const next = pending.shift() as CsvRecord;
      await handle(next);
    }
  };
  let fault: unknown;
  try {
    for await (const chunk of source) {
      try {
        await write(chunk);
      } catch (err) {
        fault = err;
        break;
      }
      await drain();
    }
    if (fault === undefined) await end().catch((err) => (fault = err));
  } finally {
    if (fault !== undefined || !parser.writableEnded) parser.destroy();
  }
  await drain();
  if (fault !== undefined) {
    const err = fault as CsvError & { lines?: number };
    if (typeof err.code === 'string' && typeof err.lines === 'number')
      throw malformed(describe(err, Math.max(1, err.lines - overCounted), lastLine + 1));
    throw err;
  }
}

/** The columns of a lead file as the mapping reads them. */
export interface LeadColumns {
  width: number;
  phones: { index: number; label: string }[];
  timeZone?: { index: number; label: string };
  priority?: { index: number; label: string };
  fields: { index: number; name: string }[];
}

const invalid = (message: string) => new AppError('CSV_INVALID', message);
const key = (name: string) => name.trim().toLowerCase();

/**
 * Matches the header row to the mapping (names compared without case or surrounding spaces).
 * A header that names a column twice, lacks a mapped column or has too many columns is refused
 * with CSV_INVALID. Columns without a header name are left out.
 */
export function leadColumns(header: string[], mapping: LeadImportMapping): LeadColumns {
  if (header.length > LEAD_CSV_MAX_COLUMNS)
    throw invalid(`The header has ${header.length} columns; at most ${LEAD_CSV_MAX_COLUMNS} are read`);
  const names = header.map((h) => h.trim());
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    if (!n) return;
    const before = seen.get(key(n));
    if (before !== undefined)
      throw invalid(`The header names the column "${n}" twice (columns ${before + 1} and ${i + 1})`);
    seen.set(key(n), i);
  });
  const find = (wanted: string, what: string) => {
    const index = seen.get(key(wanted));
    if (index === undefined) {
      const has = names.filter(Boolean).map((n) => `"${n}"`);
      throw invalid(
        `The header has no column "${wanted.trim()}" (the ${what}); it has ${has.join(', ') || 'no named columns'}`,
      );
    }
    return { index, label: names[index] ?? '' };
  };
  const phones = mapping.phone.map((p) => find(p, 'phone column'));
  const timeZone = mapping.timeZone ? find(mapping.timeZone, 'time-zone column') : undefined;
  const priority = mapping.priority ? find(mapping.priority, 'priority column') : undefined;
  const taken = new Set([...phones, timeZone, priority].filter((c) => c !== undefined).map((c) => c.index));
  const fields = names.map((name, index) => ({ name, index })).filter((c) => c.name && !taken.has(c.index));
  return {
    width: header.length,
    phones,
    ...(timeZone && { timeZone }),
    ...(priority && { priority }),
    fields,
  };
}

/** How a lead file's numbers and zones are read: the campaign's country and zone. */
export interface LeadReading {
  country: string;
  campaignZone: string;
  /** The year whose time-zone rules decide whether a country keeps one local time. */
  year: number;
}

export interface LeadRow {
  fields: Record<string, string>;
  numbers: { number: string; label: string; raw: string }[];
  timeZone: string;
  priority: number;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const PRIORITY = /^[+-]?\d{1,7}$/;
const PRIORITY_MAX = 1_000_000;

/** Why a cell cannot be stored as it is, or undefined. */
export function cellProblem(value: string): string | undefined {
  if (value.includes('\uFFFD')) return 'holds bytes that are not UTF-8 text (save the file as "CSV UTF-8")';
  if (CONTROL.test(value)) return 'holds a control character';
  if (value.length > LEAD_FIELD_MAX_CHARS)
    return `is over ${LEAD_FIELD_MAX_CHARS.toLocaleString('en')} characters`;
  return undefined;
}

/**
 * One data row of a lead file: the lead it makes, and its report lines. A row with any problem
 * (a number that is not one, a bad priority, a cell that cannot be stored, too few cells, no
 * number at all) is rejected whole, with a line for each problem; a row whose time-zone cell
 * names no zone is imported with the zone from its number (or the campaign's) and a note.
 */
export function readLeadRow(
  cells: string[],
  line: number,
  columns: LeadColumns,
  reading: LeadReading,
): { lead?: LeadRow; report: ReportLine[] } {
  const report: ReportLine[] = [];
  const reject = (column: string, value: string, reason: string) =>
    report.push({ line, column, value, outcome: 'rejected', reason });
  if (cells.length < columns.width)
    return {
      report: [
        {
          line,
          column: '',
          value: '',
          outcome: 'rejected',
          reason: `has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'} where the header has ${columns.width}`,
        },
      ],
    };
  if (cells.slice(columns.width).some((c) => c.trim()))
    return {
      report: [
        {
          line,
          column: '',
          value: '',
          outcome: 'rejected',
          reason: `has ${cells.length} cells where the header has ${columns.width}`,
        },
      ],
    };
  const cell = (index: number) => (cells[index] ?? '').trim().replace(/\r\n?/g, '\n');

  const numbers: LeadRow['numbers'] = [];
  let firstCountry: string | undefined;
  for (const { index, label } of columns.phones) {
    const raw = cell(index);
    if (!raw) continue;
    const parsed = CONTROL.test(raw)
      ? undefined
      : parsePhoneNumberFromString(raw, reading.country as CountryCode);
    if (!parsed?.isValid()) {
      reject(label, raw, `not a valid phone number in ${reading.country}`);
      continue;
    }
    if (numbers.some((n) => n.number === parsed.number)) continue; // the same number twice in one row
    if (numbers.length === 0) firstCountry = parsed.country;
    numbers.push({ number: parsed.number, label, raw });
  }
  if (numbers.length === 0 && report.length === 0)
    reject(
      columns.phones.map((p) => p.label).join(' / '),
      '',
      columns.phones.length === 1 ? 'no phone number' : 'no phone number in any phone column',
    );

  let priority = 0;
  if (columns.priority) {
    const raw = cell(columns.priority.index);
    if (raw && (!PRIORITY.test(raw) || Math.abs(Number(raw)) > PRIORITY_MAX))
      reject(columns.priority.label, raw, `not a whole number from -${PRIORITY_MAX} to ${PRIORITY_MAX}`);
    else if (raw) priority = Number(raw);
  }

  const fields: Record<string, string> = {};
  for (const { index, name } of columns.fields) {
    const value = cell(index);
    if (!value) continue;
    const problem = cellProblem(value);
    if (problem) reject(name, value.slice(0, 100), problem);
    else fields[name] = value;
  }

  const zoneCell = columns.timeZone ? cell(columns.timeZone.index) : '';
  if (zoneCell) {
    const problem = cellProblem(zoneCell);
    if (problem) reject(columns.timeZone?.label ?? '', zoneCell.slice(0, 100), problem);
  }
  if (report.length) return { report };

  const zone = chooseTimeZone({
    column: zoneCell,
    country: firstCountry,
    campaignZone: reading.campaignZone,
    year: reading.year,
  });
  if (zoneCell && zone.source !== 'column')
    report.push({
      line,
      column: columns.timeZone?.label ?? '',
      value: zoneCell,
      outcome: 'imported',
      reason: `not a time zone; the lead has ${zone.zone} (${zone.source === 'number' ? "its number's country" : "the campaign's"})`,
    });
  return { lead: { fields, numbers, timeZone: zone.zone, priority }, report };
}

/**
 * A report value safe to open in a spreadsheet: a cell starting with =, +, -, @ or a control
 * character is a formula there, so it is written after an apostrophe, unless it is only a
 * phone number's characters ("+61 2 9374 4000").
 */
function safeCell(value: string): string {
  if (/^[=+\-@\t\r]/.test(value) && !/^[+-]?[\d\s().-]*$/.test(value)) return `'${value}`;
  return value;
}

/** RFC 4180: quoted where it holds a comma, quote or line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const REPORT_HEADER = `${LEAD_IMPORT_REPORT_COLUMNS.join(',')}\r\n`;

/** One line of the report file, CRLF-ended. */
export function reportCsvLine(r: ReportLine): string {
  const cells = [String(r.line), safeCell(r.column), safeCell(r.value), r.outcome, safeCell(r.reason)];
  return `${cells.map(csvCell).join(',')}\r\n`;
}
