/** A record of a CSV file with its number as a spreadsheet shows it (the first record is 1). */
export interface CsvRecord {
  row: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {}

/**
 * RFC 4180 CSV: fields split by commas, records by CRLF or LF; a quoted field may hold commas,
 * line breaks and doubled quotes. Blank lines are skipped (their numbers still count). A
 * leading byte-order mark is dropped.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let row = 1;
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ row, fields });
    fields = [];
    field = '';
    row++;
  };
  while (i < src.length) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRecord();
    } else field += c;
    i++;
  }
  if (quoted) throw new CsvSyntaxError(`Row ${row} opens a quoted field that never closes`);
  if (field !== '' || fields.length) endRecord();
  return records;
}
