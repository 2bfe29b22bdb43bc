import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { AUDIT_CSV_HEADER, auditCsvLine, CALLS_CSV_HEADER, callCsvLine } from './dialler-csv.js';

const read = (header: string, line: string) =>
  (parse(header + line, { columns: true }) as Record<string, string>[])[0] ?? {};

test('a decision: its inputs and output in columns, windows as live-answered calls', () => {
  const line = auditCsvLine({
    at: new Date('2026-03-01T10:00:00.123Z'),
    kind: 'decision',
    campaign_name: 'Sales',
    display_name: null,
    detail: {
      input: {
        freeAgents: 4,
        inFlight: 6,
        answerRate: 0.3,
        windows: { '24 hours': { answered: 97, abandoned: 3 }, '30 days': { answered: 990, abandoned: 10 } },
      },
      decision: { dial: 2, mode: 'progressive', expectedAnswers: 0.6, expectedAbandons: 0, allowance: 0 },
      placed: 1,
    },
  });
  assert.ok(line.endsWith('\r\n'));
  const row = read(AUDIT_CSV_HEADER, line);
  assert.equal(row.time, '2026-03-01T10:00:00.123Z');
  assert.equal(row.actor, '');
  assert.deepEqual(
    [row.dial, row.placed, row.mode, row['free agents'], row['in flight'], row['answer rate']],
    ['2', '1', 'progressive', '4', '6', '0.3'],
  );
  assert.deepEqual(
    [row['24-hour answered'], row['24-hour abandoned'], row['30-day answered'], row['30-day abandoned']],
    ['100', '3', '1000', '10'],
  );
  assert.equal(row.number, '');
});

test('a settings change: what changed, before and after as JSON; names quoted and never formulas', () => {
  const line = auditCsvLine({
    at: new Date('2026-03-01T10:00:00Z'),
    kind: 'settings',
    campaign_name: '=HYPERLINK("x"), "North"',
    display_name: 'Lee, "Sam"',
    detail: { ringSeconds: { before: 20, after: 30 }, teamIds: { before: ['a'], after: ['a', 'b'] } },
  });
  const row = read(AUDIT_CSV_HEADER, line);
  assert.equal(row.campaign, `'=HYPERLINK("x"), "North"`);
  assert.equal(row.actor, 'Lee, "Sam"');
  assert.equal(row.changed, 'ringSeconds teamIds');
  assert.deepEqual(JSON.parse(row.before ?? ''), { ringSeconds: 20, teamIds: ['a'] });
  assert.deepEqual(JSON.parse(row.after ?? ''), { ringSeconds: 30, teamIds: ['a', 'b'] });
  assert.equal(row.dial, '');
});

test('a call: its times in UTC, an unanswered one with no answer time nor message', () => {
  const row = read(
    CALLS_CSV_HEADER,
    callCsvLine({
      number: '+442079460000',
      dialled_at: new Date('2026-03-01T09:00:00Z'),
      answered_at: null,
      connected_at: null,
      ended_at: new Date('2026-03-01T09:00:20Z'),
      outcome: 'no answer',
      reason: 'no answer after 20 s',
      waited_ms: null,
      message_played: false,
      display_name: null,
    }),
  );
  assert.deepEqual(row, {
    'dialled at': '2026-03-01T09:00:00.000Z',
    number: '+442079460000',
    outcome: 'no answer',
    'answered at': '',
    'connected at': '',
    'ended at': '2026-03-01T09:00:20.000Z',
    'waited ms': '',
    'message played': '',
    agent: '',
    reason: 'no answer after 20 s',
  });
});
