import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAgentId } from './call-in.service.js';

test('an agent ID keyed in is a number an agent can have, or none (never a database error)', () => {
  assert.equal(parseAgentId('1001'), 1001);
  assert.equal(parseAgentId('0001001'), 1001);
  assert.equal(parseAgentId('2147483647'), 2_147_483_647);
  // Keys repeated on a bad line: out of the stored range, an unknown agent like any other.
  assert.equal(parseAgentId('7777000000'), undefined);
  assert.equal(parseAgentId('0'), undefined);
  assert.equal(parseAgentId(''), undefined);
  assert.equal(parseAgentId('12*4'), undefined);
  assert.equal(parseAgentId('12345678901'), undefined);
});
