import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalName } from './header-names.js';
import { parseCSeq, parseNameAddr, parseSipMessage, parseVia, SipParseError } from './parse.js';
import { serializeSipMessage } from './serialize.js';
import { SipHeaders, type SipParseErrorCode } from './sip-message.js';

const rejects = (fn: () => unknown, code: SipParseErrorCode) =>
  assert.throws(fn, (err) => err instanceof SipParseError && err.code === code);

test('names are case-insensitive and compact forms are the long form', () => {
  const h = new SipHeaders([
    ['i', 'abc@host'],
    ['v', 'SIP/2.0/UDP a;branch=z9hG4bK1'],
    ['VIA', 'SIP/2.0/UDP b;branch=z9hG4bK2'],
    ['x-custom-thing', 'yes'],
  ]);
  assert.equal(h.get('call-id'), 'abc@host');
  assert.equal(h.get('CALL-ID'), 'abc@host');
  assert.equal(h.get('I'), 'abc@host');
  assert.deepEqual(
    h.entries().map(([n]) => n),
    ['Call-ID', 'Via', 'Via', 'X-Custom-Thing'],
  );
  assert.equal(h.getAll('v').length, 2);
  assert.deepEqual(
    ['cseq', 'www-authenticate', 'l', 'record-route', 'rack', 'p-asserted-identity'].map(canonicalName),
    ['CSeq', 'WWW-Authenticate', 'Content-Length', 'Record-Route', 'RAck', 'P-Asserted-Identity'],
  );
});

test('list headers split on top-level commas only', () => {
  const h = new SipHeaders([
    ['Contact', '"Doe, John" <sip:j,doe@h;x=1>;q=0.5, <sip:b@h>,sip:c@h;expires=5'],
    ['Route', '<sip:p1;lr>,<sip:p2;lr>'],
    ['Allow', 'INVITE,ACK , BYE,'],
    ['Authorization', 'Digest username="a", realm="b", nonce="c"'],
    ['Date', 'Sat, 13 Nov 2010 23:29:00 GMT'],
    ['Subject', 'hello, world'],
  ]);
  assert.deepEqual(h.getAll('Contact'), [
    '"Doe, John" <sip:j,doe@h;x=1>;q=0.5',
    '<sip:b@h>',
    'sip:c@h;expires=5',
  ]);
  assert.equal(h.get('Contact'), '"Doe, John" <sip:j,doe@h;x=1>;q=0.5');
  assert.deepEqual(h.getAll('Route'), ['<sip:p1;lr>', '<sip:p2;lr>']);
  assert.deepEqual(h.getAll('Allow'), ['INVITE', 'ACK', 'BYE']);
  assert.deepEqual(h.getAll('Authorization'), ['Digest username="a", realm="b", nonce="c"']);
  assert.equal(h.get('Date'), 'Sat, 13 Nov 2010 23:29:00 GMT');
  assert.equal(h.get('Subject'), 'hello, world');
});

test('set replaces in place, append adds last, delete removes every line', () => {
  const h = new SipHeaders([
    ['Via', 'a'],
    ['To', 't'],
    ['v', 'b'],
  ]);
  h.set('via', 'c').append('Route', '<sip:r>');
  assert.deepEqual(h.entries(), [
    ['Via', 'c'],
    ['To', 't'],
    ['Route', '<sip:r>'],
  ]);
  assert.equal(h.delete('ROUTE'), true);
  assert.equal(h.delete('Route'), false);
  h.set('Subject', 'new');
  assert.deepEqual([...h].at(-1), ['Subject', 'new']);
  assert.equal(h.size, 3);
});

test('header injection is refused', () => {
  const h = new SipHeaders();
  assert.throws(() => h.append('Subject', 'a\r\nVia: evil'), RangeError);
  assert.throws(() => h.set('Bad Name', 'x'), RangeError);
  assert.throws(() => h.append('X:Y', 'x'), RangeError);
});

test('parseNameAddr handles quoted, token and bare forms', () => {
  assert.deepEqual(parseNameAddr('"A \\"B\\" \\\\C" <sip:a@h;transport=tcp>;tag=1;lr'), {
    displayName: 'A "B" \\C',
    uri: 'sip:a@h;transport=tcp',
    params: { tag: '1', lr: null },
  });
  assert.deepEqual(parseNameAddr('Alice  Smith <sips:a@h>'), {
    displayName: 'Alice Smith',
    uri: 'sips:a@h',
    params: {},
  });
  assert.deepEqual(parseNameAddr('sip:a@h;transport=tcp;tag=9'), {
    uri: 'sip:a@h',
    params: { transport: 'tcp', tag: '9' },
  });
  assert.deepEqual(parseNameAddr('<tel:+15551234>'), { uri: 'tel:+15551234', params: {} });
  for (const bad of [
    '"open <sip:a@h>',
    '<sip:a@h',
    'no uri here',
    'x <sip:a@h> junk',
    '<sip:a@h>;=1',
    '<>',
    '',
  ]) {
    rejects(() => parseNameAddr(bad), 'BAD_HEADER');
  }
});

test('parseVia and parseCSeq', () => {
  assert.deepEqual(parseVia('SIP/2.0/tls  host.example.com : 5061 ;branch=z9hG4bK1;maddr=224.2.0.1'), {
    protocol: 'SIP/2.0',
    transport: 'TLS',
    host: 'host.example.com',
    port: 5061,
    params: { branch: 'z9hG4bK1', maddr: '224.2.0.1' },
  });
  assert.deepEqual(parseVia('SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKx').host, 'df7jal23ls0d.invalid');
  for (const bad of [
    'SIP/2.0 host',
    'SIP/2.0/UDP',
    'SIP/2.0/UDP h:0x10',
    'SIP/2.0/UDP [::1',
    'SIP/2.0/UDP h;branch=',
  ]) {
    rejects(() => parseVia(bad), 'BAD_HEADER');
  }
  assert.deepEqual(parseCSeq(' 2147483647\tACK '), { seq: 2147483647, method: 'ACK' });
  for (const bad of ['2147483648 ACK', 'ACK', '1', '-1 ACK', '1 AC K', ''])
    rejects(() => parseCSeq(bad), 'BAD_CSEQ');
});

const minimal = [
  'OPTIONS sip:b@h SIP/2.0',
  'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
  'To: <sip:b@h>',
  'From: <sip:a@h>;tag=1',
  'Call-ID: 1@h',
  'CSeq: 1 OPTIONS',
];

test('size limit, stream framing option, string input', () => {
  const msg = `${minimal.join('\r\n')}\r\n\r\n`;
  assert.equal(parseSipMessage(msg).kind, 'request');
  rejects(() => parseSipMessage(msg, { maxBytes: 50 }), 'TOO_LARGE');
  rejects(() => parseSipMessage(`${msg}${'x'.repeat(70_000)}`), 'TOO_LARGE');
  rejects(() => parseSipMessage(msg, { requireContentLength: true }), 'MISSING_HEADER');
  rejects(() => parseSipMessage(''), 'EMPTY');
  rejects(() => parseSipMessage(new Uint8Array(0)), 'EMPTY');
  rejects(() => parseSipMessage(`${minimal.join('\r\n')}\rX-Bad: 1\r\n\r\n`), 'BAD_HEADER');
  rejects(
    () => parseSipMessage(`${minimal.join('\r\n').replace('CSeq: 1 OPTIONS', 'CSeq: 1 options')}\r\n\r\n`),
    'CSEQ_MISMATCH',
  );
});

test('serialiser writes canonical names, CRLF and a correct Content-Length', () => {
  const parsed = parseSipMessage(
    `${minimal.join('\n').replace('Call-ID', 'i')}\nl: 99\n\n`.replace('l: 99', 'l: 0'),
  );
  parsed.body = new TextEncoder().encode('héllo');
  const wire = new TextDecoder().decode(serializeSipMessage(parsed));
  assert.equal(wire, `${minimal.join('\r\n')}\r\nContent-Length: 6\r\n\r\nhéllo`);
  const response = parseSipMessage(`SIP/2.0 486 Busy Here\r\n${minimal.slice(1).join('\r\n')}\r\n\r\n`);
  assert.match(
    new TextDecoder().decode(serializeSipMessage(response)),
    /^SIP\/2\.0 486 Busy Here\r\n.*Content-Length: 0\r\n\r\n$/s,
  );
});
