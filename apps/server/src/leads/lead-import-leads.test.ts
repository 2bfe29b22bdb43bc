import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeOrderedUuid } from './lead-import-leads.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('imported rows get UUIDs version 7: the time first, in the order they were made, none twice', () => {
  const before = Date.now();
  // Far more than 4,096 in a millisecond: the counter rolls over into the next one, still in order.
  const ids = Array.from({ length: 20_000 }, () => timeOrderedUuid());
  for (const id of ids) assert.match(id, V7);
  for (let i = 1; i < ids.length; i++) assert.ok((ids[i - 1] as string) < (ids[i] as string), `${i}`);
  assert.equal(new Set(ids).size, ids.length);
  const ms = Number.parseInt((ids[0] as string).replace('-', '').slice(0, 12), 16);
  assert.ok(ms >= before && ms <= Date.now(), 'the first id carries the time it was made');
});
