import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../http/app-error.js';
import {
  type CsvRecord,
  csvCell,
  leadColumns,
  readCsv,
  readLeadRow,
  reportCsvLine,
} from './lead-import-csv.js';

async function records(chunks: (string | Buffer)[], delimiter = ','): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  await readCsv(
    (async function* () {
      for (const c of chunks) yield Buffer.isBuffer(c) ? c : Buffer.from(c);
    })(),
    { delimiter },
    (r) => {
      out.push(r);
    },
  );
  return out;
}

test('records carry the line they start on, quoted line breaks (LF or CRLF) and blank lines counted', async () => {
  const text =
    '\uFEFFname,phone\r\n"Lee, Jo",1\r\n\r\n"two\r\nlines\r\nhere",2\r\n,\r\nlast,3\n"lf\nonly",4\rcr,5';
  // Split anywhere: a record (and a multi-byte character) may straddle chunks.
  const bytes = Buffer.from(text);
  const got = await records([bytes.subarray(0, 7), bytes.subarray(7, 40), bytes.subarray(40)]);
  assert.deepEqual(
    got.map((r) => [r.line, r.cells[0]]),
    [
      [1, 'name'],
      [2, 'Lee, Jo'],
      [4, 'two\r\nlines\r\nhere'],
      [8, 'last'],
      [9, 'lf\nonly'],
      [11, 'cr'],
    ],
  );
});

test('a semicolon file, and a UTF-8 character split between chunks', async () => {
  const bytes = Buffer.from('name;city\nZoë;Köln\n');
  const got = await records([bytes.subarray(0, 13), bytes.subarray(13)], ';');
  assert.deepEqual(got[1]?.cells, ['Zoë', 'Köln']);
});

test('a file that stops being CSV: every record before the fault is handled, then CSV_MALFORMED with its line', async () => {
  for (const [text, line, message] of [
    ['a,b\n1,2\n3,4\n"open,5\n6,7\n', 4, /row starting on line 4 opens a quoted field that never closes/],
    ['a,b\n1,2\n3,4\n5,x"y\n6,7\n', 4, /Line 4: a quote in the middle of an unquoted field/],
    ['a,b\n1,2\n3,4\n5,"x"y\n6,7\n', 4, /Line 4: a quoted field is followed by more text/],
  ] as const) {
    const seen: number[] = [];
    await assert.rejects(
      readCsv(
        (async function* () {
          yield Buffer.from(text);
        })(),
        { delimiter: ',' },
        (r) => {
          seen.push(r.line);
        },
      ),
      (e: unknown) => {
        assert.ok(e instanceof AppError && e.code === 'CSV_MALFORMED', String(e));
        assert.match(e.message, message);
        return true;
      },
    );
    assert.deepEqual(seen, [1, 2, 3], `${text}: the rows before line ${line}`);
  }
  // A quote left open does not read the rest of a big file into one field.
  const big = `a,b\n1,"open\n${'x,y\n'.repeat(50_000)}`;
  await assert.rejects(records([big]), /over 64 KiB/);
});

const mapping = { phone: ['Mobile', 'home'], timeZone: 'TZ', priority: 'Priority', delimiter: ',' };
const header = ['First Name', 'Mobile', ' Home ', 'TZ', 'Priority', 'Notes', ''];

test('the header: mapped columns found without case or spaces; the rest are fields; unnamed ones left out', () => {
  const columns = leadColumns(header, mapping);
  assert.deepEqual(columns.phones, [
    { index: 1, label: 'Mobile' },
    { index: 2, label: 'Home' },
  ]);
  assert.deepEqual(columns.timeZone, { index: 3, label: 'TZ' });
  assert.deepEqual(columns.priority, { index: 4, label: 'Priority' });
  assert.deepEqual(columns.fields, [
    { name: 'First Name', index: 0 },
    { name: 'Notes', index: 5 },
  ]);
  const refused = (h: string[], m: typeof mapping, re: RegExp) =>
    assert.throws(
      () => leadColumns(h, m),
      (e: unknown) => e instanceof AppError && e.code === 'CSV_INVALID' && re.test(e.message),
    );
  refused(['Name', 'Phone'], mapping, /no column "Mobile" \(the phone column\); it has "Name", "Phone"/);
  refused(['Mobile', 'mobile '], { ...mapping, phone: ['Mobile'], timeZone: '', priority: '' }, /twice/);
  refused(
    Array.from({ length: 201 }, (_, i) => `c${i}`),
    mapping,
    /201 columns/,
  );
});

test('a row: numbers in E.164 labelled by column, fields by header, zone and priority, or why not', () => {
  const columns = leadColumns(header, mapping);
  const reading = { country: 'AU', campaignZone: 'Australia/Sydney', year: 2026 };
  const row = (cells: string[], line = 2) => readLeadRow(cells, line, columns, reading);

  assert.deepEqual(row(['Ann', '0412 345 678', '(02) 9374 4000', '', '5', 'Line one\r\nLine two', '']), {
    lead: {
      fields: { 'First Name': 'Ann', Notes: 'Line one\nLine two' },
      numbers: [
        { number: '+61412345678', label: 'Mobile', raw: '0412 345 678' },
        { number: '+61293744000', label: 'Home', raw: '(02) 9374 4000' },
      ],
      timeZone: 'Australia/Sydney',
      priority: 5,
    },
    report: [],
  });
  // A UK number: the lead's zone from its country; the same number twice in a row is kept once.
  const uk = row(['Ben', '+44 20 7946 0018', '+442079460018', '', '', '', '']);
  assert.deepEqual(
    [uk.lead?.timeZone, uk.lead?.numbers.length, uk.lead?.priority, uk.report],
    ['Europe/London', 1, 0, []],
  );
  // A zone that is not one: imported with its number's zone, and a note.
  const mars = row(['Cy', '+44 20 7946 0019', '', 'Mars/Olympus', '', '', ''], 7);
  assert.equal(mars.lead?.timeZone, 'Europe/London');
  assert.deepEqual(mars.report, [
    {
      line: 7,
      column: 'TZ',
      value: 'Mars/Olympus',
      outcome: 'imported',
      reason: "not a time zone; the lead has Europe/London (its number's country)",
    },
  ]);
  assert.equal(row(['Di', '0412 000 001', '', 'asia/tokyo', '', '', '']).lead?.timeZone, 'Asia/Tokyo');

  // Rejected whole, a line for each problem.
  const bad = row(['Ed', '12345', '0412 000 002', '', 'high', 'ok', ''], 9);
  assert.equal(bad.lead, undefined);
  assert.deepEqual(
    bad.report.map((r) => [r.line, r.column, r.value, r.outcome, r.reason]),
    [
      [9, 'Mobile', '12345', 'rejected', 'not a valid phone number in AU'],
      [9, 'Priority', 'high', 'rejected', 'not a whole number from -1000000 to 1000000'],
    ],
  );
  assert.deepEqual(
    row(['Fay', '', '', '', '', '', '']).report.map((r) => [r.column, r.reason]),
    [['Mobile / Home', 'no phone number in any phone column']],
  );
  assert.match(row(['Gus', '0412 000 003']).report[0]?.reason ?? '', /has 2 cells where the header has 7/);
  assert.match(
    row(['Gus', '0412 000 003', '', '', '', '', '', 'extra']).report[0]?.reason ?? '',
    /has 8 cells/,
  );
  assert.ok(
    row(['Gus', '0412 000 003', '', '', '', '', '', '', '']).lead,
    'empty cells past the header are fine',
  );
  assert.match(
    row(['Hal\u0000', '0412 000 004', '', '', '', '', '']).report[0]?.reason ?? '',
    /control character/,
  );
  assert.match(row(['Jos\uFFFD', '0412 000 005', '', '', '', '', '']).report[0]?.reason ?? '', /not UTF-8/);
  assert.match(
    row(['x'.repeat(2001), '0412 000 006', '', '', '', '', '']).report[0]?.reason ?? '',
    /over 2,000/,
  );
});

test('report lines: quoted where needed, formulas defused, phone numbers left as they are', () => {
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  const line = (value: string) =>
    reportCsvLine({ line: 3, column: 'Mobile', value, outcome: 'rejected', reason: 'why, then' });
  assert.equal(line('+61 2 9374 4000'), '3,Mobile,+61 2 9374 4000,rejected,"why, then"\r\n');
  assert.equal(line('=HYPERLINK("x")'), '3,Mobile,"\'=HYPERLINK(""x"")",rejected,"why, then"\r\n');
  assert.equal(line('@SUM(A1)'), '3,Mobile,\'@SUM(A1),rejected,"why, then"\r\n');
  assert.equal(line('two\nlines'), '3,Mobile,"two\nlines",rejected,"why, then"\r\n');
});
