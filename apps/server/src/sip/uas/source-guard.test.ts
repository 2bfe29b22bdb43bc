import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../clock.js';
import { parseSipMessage } from '../message/parse.js';
import type { SipRequest } from '../message/sip-message.js';
import { buildResponse } from './sip-server.js';
import { inNetworks, parseCidr, sourceGuard } from './source-guard.js';

const invite = (toTag = '') =>
  parseSipMessage(
    [
      'INVITE sip:+61290001000@10.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKabc',
      'From: <sip:caller@10.1.1.1>;tag=1',
      `To: <sip:+61290001000@10.0.0.1>${toTag}`,
      'Call-ID: x1',
      'CSeq: 1 INVITE',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  ) as SipRequest;

test('networks: private ranges match, others do not; bad text is refused', () => {
  const nets = ['10.0.0.0/8', '192.168.1.0/24', '127.0.0.1'].map(parseCidr);
  assert.equal(inNetworks('10.200.3.4', nets), true);
  assert.equal(inNetworks('192.168.1.77', nets), true);
  assert.equal(inNetworks('192.168.2.1', nets), false);
  assert.equal(inNetworks('127.0.0.1', nets), true);
  assert.equal(inNetworks('::ffff:127.0.0.1', nets), true);
  assert.equal(inNetworks('8.8.8.8', nets), false);
  assert.throws(() => parseCidr('10.0.0.0/33'));
  assert.throws(() => parseCidr('example.com'));
});

test('INVITEs from outside the trusted networks get 403; a flood from one source gets 503', async () => {
  const clock = new ManualClock();
  const handled: string[] = [];
  const guard = sourceGuard(
    { trusted: (a) => inNetworks(a, [parseCidr('10.0.0.0/8')]), perSecond: 2, burst: 3 },
    clock,
    (r) => {
      handled.push(r.method);
      return buildResponse(r, 200, 'OK');
    },
  );
  const from = (address: string) => ({ transport: 'udp' as const, address, port: 5060 });
  assert.equal((await guard(invite(), from('203.0.113.9'))).status, 403);
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await guard(invite(), from('10.1.1.1'))).status);
  assert.deepEqual(statuses, [200, 200, 200, 503, 503]);
  assert.equal(
    (await guard(invite(';tag=abc'), from('10.1.1.1'))).status,
    200,
    're-INVITEs in a dialog pass',
  );
  clock.advance(1000);
  assert.equal((await guard(invite(), from('10.1.1.1'))).status, 200, 'the allowance refills');
  assert.equal(handled.length, 5);
});
