import { LEAD_CSV_MAX_RECORD_BYTES } from '@parley/contract';

export type CsvDelimiter = ',' | ';' | '\t';
export const CSV_DELIMITERS: { value: CsvDelimiter; label: string }[] = [
  { value: ',', label: 'Comma (,)' },
  { value: ';', label: 'Semicolon (;)' },
  { value: '\t', label: 'Tab' },
];

/** How much of the file is read to find its header row (and a few rows after it): never the whole file. */
export const HEADER_SAMPLE_BYTES = LEAD_CSV_MAX_RECORD_BYTES * 2;

/** What the browser reads of a CSV file before it is uploaded: its header row and a sample after it. */
export interface CsvHeader {
  /** The header row's names, trimmed, in file order (an empty name for a column without one). */
  columns: string[];
  delimiter: CsvDelimiter;
  /** The first data row (to show beside each column), when the sample has one. */
  sample: string[] | undefined;
  /**
   * Data rows in the whole file: counted when the sample is the whole file, else estimated from
   * the file's size and the sample's bytes per row; undefined when the sample holds no whole row.
   */
  rows: { count: number; exact: boolean } | undefined;
}

/** A file whose header row cannot be read, said in words. */
export class CsvHeaderError extends Error {
  override name = 'CsvHeaderError';
}

interface ParsedRecord {
  fields: string[];
  /** Where the next record starts. */
  next: number;
}

/**
 * Reads one CSV record from `start` (quoted fields, "" inside them, CRLF, CR or LF line ends).
 * Undefined when the text stops inside the record and more of the file would be needed.
 */
export function parseCsvRecord(
  text: string,
  start: number,
  delimiter: string,
  atEnd: boolean,
): ParsedRecord | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        if (i + 1 === text.length && !atEnd) return undefined;
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      i++;
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = '';
      fieldStart = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      fields.push(field);
      return { fields, next: c === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1 };
    }
    field += c;
    fieldStart = false;
    i++;
  }
  if (!atEnd || quoted) return undefined;
  fields.push(field);
  return { fields, next: text.length };
}

/** The delimiter the first line uses most outside quotes: a comma unless a semicolon or tab wins. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

const firstRowTooLong = () =>
  new CsvHeaderError(
    `The first row does not end within the first ${HEADER_SAMPLE_BYTES / 1024} KB of the file: is it a CSV file?`,
  );

const isBlank = (fields: string[]) => fields.every((f) => f.trim() === '');

/**
 * Reads the header row of CSV text that is the start of a file of `fileSize` bytes (`atEnd`: the
 * text is the whole file), with the delimiter given or found in the first line.
 */
export function readCsvHeaderText(
  text: string,
  fileSize: number,
  atEnd: boolean,
  delimiter?: CsvDelimiter,
): CsvHeader {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const body = text.slice(bom);
  if (body.trim() === '')
    throw new CsvHeaderError('The file is empty: it needs a header row, then one lead a row.');
  const d = delimiter ?? detectDelimiter(body);
  const header = parseCsvRecord(body, 0, d, atEnd);
  if (!header) throw firstRowTooLong();
  const columns = header.fields.map((f) => f.trim());
  if (columns.every((c) => c === ''))
    throw new CsvHeaderError('The first row of the file has no column names.');

  let sample: string[] | undefined;
  let rows = 0;
  let at = header.next;
  let consumed = header.next;
  while (at < body.length) {
    const record = parseCsvRecord(body, at, d, atEnd);
    if (!record) break;
    at = record.next;
    consumed = record.next;
    if (isBlank(record.fields)) continue;
    rows++;
    sample ??= record.fields;
  }
  const encoder = new TextEncoder();
  let estimate: CsvHeader['rows'];
  if (atEnd) estimate = { count: rows, exact: true };
  else if (rows > 0) {
    const headerBytes = encoder.encode(text.slice(0, bom + header.next)).length;
    const rowBytes = encoder.encode(body.slice(header.next, consumed)).length / rows;
    estimate = { count: Math.max(rows, Math.round((fileSize - headerBytes) / rowBytes)), exact: false };
  }
  return { columns, delimiter: d, sample, rows: estimate };
}

function readBytes(blob: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(new CsvHeaderError('The file could not be read.'));
    reader.readAsArrayBuffer(blob);
  });
}

/**
 * Reads the header row of a CSV file in the browser from its first bytes only (a sample of
 * HEADER_SAMPLE_BYTES), so that a large file is never loaded whole before it is uploaded.
 */
export async function readCsvHeader(file: Blob, delimiter?: CsvDelimiter): Promise<CsvHeader> {
  const atEnd = file.size <= HEADER_SAMPLE_BYTES;
  let bytes = await readBytes(atEnd ? file : file.slice(0, HEADER_SAMPLE_BYTES));
  if (!atEnd) {
    // Stop at the sample's last line break: no character is cut in two.
    const lastBreak = Math.max(bytes.lastIndexOf(0x0a), bytes.lastIndexOf(0x0d));
    if (lastBreak < 0) throw firstRowTooLong();
    bytes = bytes.subarray(0, lastBreak + 1);
  }
  return readCsvHeaderText(
    new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
    file.size,
    atEnd,
    delimiter,
  );
}
