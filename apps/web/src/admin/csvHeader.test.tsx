import { describe, expect, it } from 'vitest';
import { CsvHeaderError, readCsvHeaderText } from './csvHeader';

const whole = (text: string) => readCsvHeaderText(text, new TextEncoder().encode(text).length, true);

describe('reading a CSV header in the browser', () => {
  it('reads quoted names (a delimiter, a quote or a line break inside), a BOM and CRLF line ends', () => {
    const header = whole(
      '\uFEFF" Mobile ","Name, full","Say ""hi""","Two\r\nlines"\r\n1,2,3,4\r\n\r\n5,6,7,8\r\n',
    );
    expect(header.columns).toEqual(['Mobile', 'Name, full', 'Say "hi"', 'Two\r\nlines']);
    expect(header.delimiter).toBe(',');
    expect(header.sample).toEqual(['1', '2', '3', '4']);
    // The blank line is no row.
    expect(header.rows).toEqual({ count: 2, exact: true });
  });

  it.each([
    ['a;b;c\n1;2;3', ';'],
    ['a\tb\tc\n1\t2\t3', '\t'],
    ['"x;y",b,c\n', ','],
    ['single\n1', ','],
  ])('finds the separator of %j', (text, delimiter) => {
    expect(whole(text).delimiter).toBe(delimiter);
  });

  it('estimates the rows of a file it read only the start of', () => {
    const start = `Name,Mobile\n${'Ann,07700 900123\n'.repeat(10)}`;
    const header = readCsvHeaderText(start, 12 + 17 * 1000, false);
    expect(header.rows).toEqual({ count: 1000, exact: false });
  });

  it.each([
    ['', 'The file is empty: it needs a header row, then one lead a row.'],
    [',,\n1,2,3', 'The first row of the file has no column names.'],
  ])('refuses %j in words', (text, message) => {
    expect(() => whole(text)).toThrow(new CsvHeaderError(message));
  });

  it('needs the first row to end within the sample', () => {
    expect(() => readCsvHeaderText('"a,b\nstill quoted', 10_000_000, false)).toThrow(/does not end within/);
  });
});
