import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../http/app-error.js';
import { fileSlug, reportRange } from './dialler-report.js';

const refusal = (from: string, to: string) => {
  try {
    reportRange({ from, to });
  } catch (err) {
    assert.ok(err instanceof AppError);
    return { code: err.code, path: err.extra.details?.[0]?.path };
  }
  assert.fail(`${from}..${to} accepted`);
};

test('a range is its UTC days, the end the midnight after the last', () => {
  assert.deepEqual(reportRange({ from: '2026-03-01', to: '2026-03-07' }), {
    from: '2026-03-01',
    to: '2026-03-07',
    start: new Date('2026-03-01T00:00:00Z'),
    end: new Date('2026-03-08T00:00:00Z'),
    days: 7,
  });
  // Across the spring clock change, still whole days.
  assert.equal(reportRange({ from: '2026-03-28', to: '2026-03-30' }).days, 3);
  assert.equal(reportRange({ from: '2024-01-01', to: '2024-12-31' }).days, 366);
});

test('dates that do not exist, out of order, or more than 366 days apart are refused', () => {
  assert.deepEqual(refusal('2026-02-29', '2026-03-01'), { code: 'VALIDATION_FAILED', path: '/from' });
  assert.deepEqual(refusal('2026-03-01', '2026-13-01'), { code: 'VALIDATION_FAILED', path: '/to' });
  assert.deepEqual(refusal('2026-03-02', '2026-03-01'), { code: 'VALIDATION_FAILED', path: '/to' });
  assert.deepEqual(refusal('2025-01-01', '2026-01-02'), { code: 'VALIDATION_FAILED', path: '/to' });
});

test('an export’s file name: the campaign’s name made safe, else its id', () => {
  assert.equal(fileSlug('Renewals, "North"', 'id'), 'renewals-north');
  assert.equal(fileSlug('Zoë’s Café / Q1', 'id'), 'zoe-s-cafe-q1');
  assert.equal(fileSlug('“”', 'c0ffee'), 'c0ffee');
});
