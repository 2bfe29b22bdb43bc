import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveTrunkHost } from './trunk-hosts.js';

test('a carrier host: an address is itself, a name its IPv4 addresses, an unknown name an error', async () => {
  assert.deepEqual(await resolveTrunkHost('203.0.113.9'), ['203.0.113.9']);
  assert.deepEqual(await resolveTrunkHost('localhost'), ['127.0.0.1']);
  await assert.rejects(resolveTrunkHost('sip.carrier.invalid'));
});
