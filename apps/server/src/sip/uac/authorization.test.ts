import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAuthorization, verifyDigest } from '../auth/digest.js';
import { parseSipMessage } from '../message/parse.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { authorizationFor } from './authorization.js';

const invite = parseSipMessage(
  new TextEncoder().encode(
    [
      'INVITE sip:+61412345678@198.51.100.7:5060 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa1',
      'From: <sip:+61290001234@127.0.0.1>;tag=1',
      'To: <sip:+61412345678@198.51.100.7:5060>',
      'Call-ID: c1',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  ),
) as SipRequest;

const challenge = (status: 401 | 407, header: string) =>
  parseSipMessage(
    new TextEncoder().encode(
      [
        `SIP/2.0 ${status} Challenge`,
        'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa1',
        'From: <sip:+61290001234@127.0.0.1>;tag=1',
        'To: <sip:+61412345678@198.51.100.7:5060>;tag=2',
        'Call-ID: c1',
        'CSeq: 1 INVITE',
        `${header}: Digest realm="carrier.example", nonce="n0nce", qop="auth", algorithm=MD5`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  ) as SipResponse;

const creds = { username: 'acme-trunk', password: 'trunk-secret-1' };
const verify = (value: string, password: string) =>
  verifyDigest(parseAuthorization(value), {
    method: 'INVITE',
    password,
    expectedRealm: 'carrier.example',
    isNonceValid: (n) => n === 'n0nce',
  });

test('a 407 gets Proxy-Authorization, a 401 Authorization; each verifies only with the right password', () => {
  const proxy = authorizationFor(challenge(407, 'Proxy-Authenticate'), invite, creds);
  assert.equal(proxy?.[0], 'Proxy-Authorization');
  assert.equal(verify(proxy?.[1] ?? '', 'trunk-secret-1'), 'ok');
  assert.equal(verify(proxy?.[1] ?? '', 'another-secret'), 'bad');
  assert.match(proxy?.[1] ?? '', /uri="sip:\+61412345678@198\.51\.100\.7:5060"/);
  const www = authorizationFor(challenge(401, 'WWW-Authenticate'), invite, creds);
  assert.equal(www?.[0], 'Authorization');
  assert.equal(verify(www?.[1] ?? '', 'trunk-secret-1'), 'ok');
});

test('no credentials, no challenge header, or an unusable challenge: nothing to send', () => {
  assert.equal(
    authorizationFor(challenge(407, 'Proxy-Authenticate'), invite, { username: null, password: null }),
    undefined,
  );
  assert.equal(authorizationFor(challenge(407, 'WWW-Authenticate'), invite, creds), undefined);
  const odd = challenge(401, 'WWW-Authenticate');
  odd.headers.set('WWW-Authenticate', 'Digest realm="x", nonce="y", algorithm=SHA-512-256');
  assert.equal(authorizationFor(odd, invite, creds), undefined);
});
