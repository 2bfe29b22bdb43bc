import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { ManualClock } from '../clock.js';
import { GraphUsers, retryAfterMs } from './graph-users.js';

test('Retry-After as seconds or as an HTTP date', () => {
  const now = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));
  assert.equal(retryAfterMs('7', now), 7000);
  assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now), 3000);
  assert.equal(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  assert.equal(retryAfterMs(null, now), undefined);
  assert.equal(retryAfterMs('soon', now), undefined);
});

test('the search term is quoted for $search; quotes and backslashes in it are dropped', () => {
  const users = new GraphUsers('https://graph.example', new ManualClock(), pino({ level: 'silent' }));
  const url = new URL(users.firstPage('O"Brien\\ & co') ?? '');
  assert.equal(url.searchParams.get('$search'), '"displayName:O Brien  & co"');
  assert.equal(url.searchParams.get('$top'), '25');
  assert.equal(users.firstPage('""'), undefined);
});
