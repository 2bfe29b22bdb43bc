import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvSyntaxError, parseCsv } from './csv.js';

test('fields, quotes, doubled quotes, line breaks in quotes, CRLF and LF', () => {
  const text = '\uFEFFname,title\r\n"Lee, Jordan","Head of ""Ops"""\r\n"Two\nlines",x\nlast,';
  assert.deepEqual(parseCsv(text), [
    { row: 1, fields: ['name', 'title'] },
    { row: 2, fields: ['Lee, Jordan', 'Head of "Ops"'] },
    { row: 3, fields: ['Two\nlines', 'x'] },
    { row: 4, fields: ['last', ''] },
  ]);
});

test('blank lines are skipped but keep their row numbers, as a spreadsheet shows them', () => {
  assert.deepEqual(parseCsv('a\n\nb\r\n\r\nc\n'), [
    { row: 1, fields: ['a'] },
    { row: 3, fields: ['b'] },
    { row: 5, fields: ['c'] },
  ]);
});

test('a quote that never closes is an error naming its row', () => {
  assert.throws(
    () => parseCsv('name\n"open\nstill open'),
    (e: unknown) => {
      assert.ok(e instanceof CsvSyntaxError);
      assert.match(e.message, /Row 2/);
      return true;
    },
  );
});
