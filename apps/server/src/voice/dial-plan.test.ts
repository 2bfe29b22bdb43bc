import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inNetworks, parseCidr } from '../sip/uas/source-guard.js';
import { checkDestination, type DialPlan } from './dial-plan.js';

const plan: DialPlan = {
  defaultCountry: 'AU',
  allowed: ['+61'],
  blocked: ['+611900', '+6119'],
  sipTrusted: (host) => inNetworks(host, [parseCidr('127.0.0.0/8'), parseCidr('10.0.0.0/8')]),
};
const refused = (input: string, why: RegExp) =>
  assert.throws(
    () => checkDestination(input, plan),
    (e: unknown) => (e as { code?: string }).code === 'DIAL_PLAN_REFUSED' && why.test((e as Error).message),
    input,
  );

test('national and international forms of an allowed number become E.164', () => {
  assert.deepEqual(checkDestination('0412 345 678', plan), { kind: 'number', e164: '+61412345678' });
  assert.deepEqual(checkDestination('+61 2 9000 1000', plan), { kind: 'number', e164: '+61290001000' });
});

test('premium ranges, other countries and nonsense are refused with the reason', () => {
  refused('1900 123 456', /blocked range/);
  refused('+44 20 7946 0958', /outside the countries/);
  refused('+1 900 555 0100', /outside the countries/);
  refused('call my mum', /not a valid phone number/);
  refused('12', /not a valid phone number/);
});

test('SIP addresses only on trusted networks', () => {
  assert.deepEqual(checkDestination('sip:agent@127.0.0.1:5080', plan), {
    kind: 'sip',
    uri: 'sip:agent@127.0.0.1:5080',
    host: '127.0.0.1',
    port: 5080,
  });
  refused('sip:agent@203.0.113.7', /not on a network/);
  refused('sip:agent@example.com', /must be sip:user@IPv4/);
});
