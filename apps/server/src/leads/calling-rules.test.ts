import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LEAD_RULES, type LeadRules } from '@parley/contract';
import { inCallingHours, type LeadFacts, localTime, mayCall, type NumberFacts } from './calling-rules.js';

const rules: LeadRules = {
  ...DEFAULT_LEAD_RULES,
  timeZone: 'Australia/Sydney',
  callingHours: { from: '09:00', to: '20:00', days: [1, 2, 3, 4, 5] },
  maxAttemptsPerNumber: 3,
  maxAttemptsPerLead: 5,
};
const lead: LeadFacts = { done: false, attempts: 0, timeZone: null };
const number: NumberFacts = { number: '+61298765432', attempts: 0, nextCallAt: null, completed: false };
const clear = { doNotCall: false, liveCall: false };

test('local time follows the lead’s time zone, daylight saving included', () => {
  // 2026-12-07 is a Monday; Sydney is UTC+11 in December, Perth UTC+8, London UTC+0.
  const at = new Date('2026-12-07T22:30:00Z');
  assert.deepEqual(localTime(at, 'Australia/Sydney'), { day: 2, minutes: 9 * 60 + 30 });
  assert.deepEqual(localTime(at, 'Australia/Perth'), { day: 2, minutes: 6 * 60 + 30 });
  assert.deepEqual(localTime(at, 'Europe/London'), { day: 1, minutes: 22 * 60 + 30 });
  // In June Sydney is UTC+10: the same UTC time is an hour earlier there.
  assert.deepEqual(localTime(new Date('2026-06-08T22:30:00Z'), 'Australia/Sydney'), {
    day: 2,
    minutes: 8 * 60 + 30,
  });
});

test('calling hours: from inclusive, to exclusive, on the listed days only', () => {
  const hours = rules.callingHours;
  assert.equal(
    inCallingHours(new Date('2026-12-07T22:00:00Z'), 'Australia/Sydney', hours),
    true,
    'Tue 09:00',
  );
  assert.equal(
    inCallingHours(new Date('2026-12-07T21:59:00Z'), 'Australia/Sydney', hours),
    false,
    'Tue 08:59',
  );
  assert.equal(
    inCallingHours(new Date('2026-12-08T09:00:00Z'), 'Australia/Sydney', hours),
    false,
    'Tue 20:00',
  );
  assert.equal(
    inCallingHours(new Date('2026-12-12T01:00:00Z'), 'Australia/Sydney', hours),
    false,
    'Sat noon',
  );
});

test('a window past midnight, and one of the whole day', () => {
  const night = { from: '22:00', to: '02:00', days: [1] };
  const tz = 'Europe/London';
  assert.equal(inCallingHours(new Date('2026-12-07T23:00:00Z'), tz, night), true, 'Mon 23:00');
  assert.equal(
    inCallingHours(new Date('2026-12-08T01:00:00Z'), tz, night),
    true,
    'Tue 01:00, Monday’s window',
  );
  assert.equal(inCallingHours(new Date('2026-12-08T23:00:00Z'), tz, night), false, 'Tue 23:00');
  assert.equal(inCallingHours(new Date('2026-12-07T12:00:00Z'), tz, night), false, 'Mon noon');
  const always = { from: '00:00', to: '00:00', days: [1, 2, 3, 4, 5, 6, 7] };
  assert.equal(inCallingHours(new Date('2026-12-07T23:59:00Z'), tz, always), true);
});

test('a lead in another time zone waits for its own morning', () => {
  // 09:30 in Sydney is 06:30 in Perth: a Sydney lead may be called, a Perth lead not yet.
  const now = new Date('2026-12-07T22:30:00Z');
  assert.equal(mayCall(lead, number, rules, now, clear), undefined);
  assert.equal(
    mayCall({ ...lead, timeZone: 'Australia/Perth' }, number, rules, now, clear)?.code,
    'OUTSIDE_HOURS',
  );
  const later = new Date('2026-12-08T01:30:00Z'); // 09:30 in Perth
  assert.equal(mayCall({ ...lead, timeZone: 'Australia/Perth' }, number, rules, later, clear), undefined);
});

test('every refusal has its code and says why', () => {
  const now = new Date('2026-12-07T23:00:00Z');
  const code = (l = lead, n = number, e = clear) => mayCall(l, n, rules, now, e)?.code;
  assert.equal(code({ ...lead, done: true }), 'LEAD_DONE');
  assert.equal(code(lead, { ...number, completed: true }), 'NUMBER_COMPLETED');
  assert.equal(code(lead, { ...number, attempts: 3 }), 'ATTEMPTS');
  assert.equal(code(lead, { ...number, attempts: 2 }), undefined);
  assert.equal(code({ ...lead, attempts: 5 }), 'ATTEMPTS');
  assert.equal(code(lead, { ...number, nextCallAt: new Date('2026-12-07T23:30:00Z') }), 'RETRY_LATER');
  assert.equal(code(lead, { ...number, nextCallAt: new Date('2026-12-07T23:00:00Z') }), undefined);
  assert.equal(code(lead, number, { doNotCall: true, liveCall: false }), 'DO_NOT_CALL');
  assert.equal(code(lead, number, { doNotCall: false, liveCall: true }), 'LIVE_CALL');
  assert.match(
    mayCall(lead, number, rules, now, { doNotCall: true, liveCall: false })?.reason ?? '',
    /do-not-call/,
  );
});
