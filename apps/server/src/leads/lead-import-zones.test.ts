import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseTimeZone, countryTimeZone, ianaTimeZone } from './lead-import-zones.js';

test('a time-zone cell counts only if it names an IANA zone; its spelling is made canonical', () => {
  assert.equal(ianaTimeZone('Europe/London'), 'Europe/London');
  assert.equal(ianaTimeZone(' europe/london '), 'Europe/London');
  assert.equal(ianaTimeZone('America/Argentina/Buenos_Aires'), 'America/Argentina/Buenos_Aires');
  assert.equal(ianaTimeZone('asia/kolkata'), 'Asia/Kolkata');
  assert.equal(ianaTimeZone('UTC'), 'UTC');
  for (const bad of ['Mars/Olympus', '+10:00', 'GMT+10 ', '', 'Europe/London; drop table', 'Sydney'])
    assert.equal(ianaTimeZone(bad), undefined, bad);
});

test('a country keeping one local time gives its zone; one with several gives none', () => {
  const year = 2026;
  assert.equal(countryTimeZone('GB', year), 'Europe/London');
  assert.equal(countryTimeZone('NZ', year), undefined, 'the Chatham Islands keep their own time');
  // The tz database keeps the Netherlands and Sweden as links to Brussels and Berlin: the country's own name is given.
  assert.equal(countryTimeZone('NL', year), 'Europe/Amsterdam');
  assert.equal(countryTimeZone('SE', year), 'Europe/Stockholm');
  // Büsingen (Europe/Zurich's rules) keeps German time: Germany has one local time.
  assert.equal(countryTimeZone('DE', year), 'Europe/Berlin');
  assert.equal(countryTimeZone('IN', year), 'Asia/Kolkata');
  for (const many of ['AU', 'US', 'CA', 'ES', 'PT', 'BR', 'RU', 'MX', 'CN'])
    assert.equal(countryTimeZone(many, year), undefined, many);
  assert.equal(countryTimeZone('ZZ', year), undefined);
});

test('the lead’s zone: the column’s, else its number’s country’s, else the campaign’s', () => {
  const base = { campaignZone: 'Australia/Sydney', year: 2026 };
  assert.deepEqual(chooseTimeZone({ ...base, column: 'Asia/Tokyo', country: 'GB' }), {
    zone: 'Asia/Tokyo',
    source: 'column',
  });
  assert.deepEqual(chooseTimeZone({ ...base, column: 'Mars/Olympus', country: 'GB' }), {
    zone: 'Europe/London',
    source: 'number',
  });
  assert.deepEqual(chooseTimeZone({ ...base, country: 'AU' }), {
    zone: 'Australia/Sydney',
    source: 'campaign',
  });
  assert.deepEqual(chooseTimeZone({ ...base }), { zone: 'Australia/Sydney', source: 'campaign' });
});
