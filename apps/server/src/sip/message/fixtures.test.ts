import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseCSeq, parseNameAddr, parseSipMessage, parseVia, SipParseError } from './parse.js';
import { serializeSipMessage } from './serialize.js';
import type { SipMessage, SipParseErrorCode, SipRequest, SipResponse } from './sip-message.js';
import { structure } from './testing.js';

const dir = new URL('./fixtures/', import.meta.url);
const load = (kind: string, name: string) => readFileSync(new URL(`${kind}/${name}.sip`, dir));
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function req(m: SipMessage): SipRequest {
  assert.equal(m.kind, 'request');
  return m as SipRequest;
}
function res(m: SipMessage): SipResponse {
  assert.equal(m.kind, 'response');
  return m as SipResponse;
}

const valid: Record<string, (m: SipMessage) => void> = {
  wsinv: (m) => {
    const r = req(m);
    assert.equal(r.uri, 'sip:vivekg@chair-dnrc.example.com;unknownparam');
    assert.deepEqual(parseNameAddr(r.headers.get('to') ?? ''), {
      uri: 'sip:vivekg@chair-dnrc.example.com',
      params: { tag: '1918181833n' },
    });
    const from = parseNameAddr(r.headers.get('From') ?? '');
    assert.equal(from.displayName, 'J Rosenberg \\"');
    assert.equal(from.params.tag, '98asjd8');
    assert.equal(r.headers.get('Max-Forwards'), '0068');
    assert.deepEqual(parseCSeq(r.headers.get('CSeq') ?? ''), { seq: 9, method: 'INVITE' });
    const vias = r.headers.getAll('Via').map(parseVia);
    assert.deepEqual(
      vias.map((v) => [v.transport, v.host, v.params.branch]),
      [
        ['UDP', '192.0.2.2', '390skdjuw'],
        ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
        ['UDP', '192.168.255.111', 'z9hG4bK30239'],
      ],
    );
    assert.equal(r.headers.get('Subject'), '');
    assert.equal(r.headers.get('NewFangledHeader'), 'newfangled value continued newfangled value');
    assert.equal(r.headers.get('UnknownHeaderWithUnusualValue'), ';;,,;;,;');
    const contact = parseNameAddr(r.headers.get('Contact') ?? '');
    assert.equal(contact.displayName, 'Quoted string ""');
    assert.deepEqual(contact.params, { newparam: 'newvalue', secondparam: null, q: '0.33' });
    assert.match(text(r.body), /^v=0\r\n/);
  },
  intmeth: (m) => {
    const r = req(m);
    assert.equal(r.method, "!interesting-Method0123456789_*+`.%indeed'~");
    assert.deepEqual(parseCSeq(r.headers.get('CSeq') ?? ''), { seq: 139122385, method: r.method });
    assert.equal(parseNameAddr(r.headers.get('To') ?? '').displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
    const from = parseNameAddr(r.headers.get('From') ?? '');
    assert.equal(from.displayName, "token1~` token2'+_ token3*%!.-");
    assert.equal(from.params["fromparam''~+*_!.-%"], '"работающий"');
    assert.equal(r.headers.get("extensionHeader-!.%*+_`'~"), '\ufeff大停電');
    assert.equal(r.body.length, 0);
  },
  esc01: (m) => {
    const r = req(m);
    assert.equal(r.uri, 'sip:sips%3Auser%40example.com@example.net');
    assert.equal(parseNameAddr(r.headers.get('To') ?? '').uri, 'sip:%75se%72@example.com');
    assert.equal(r.headers.get('Call-ID'), 'esc01.239409asdfakjkn23onasd0-3234');
    assert.equal(r.headers.get('content-type'), 'application/sdp');
    assert.equal(
      parseNameAddr(r.headers.get('Contact') ?? '').uri,
      'sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31',
    );
  },
  longreq: (m) => {
    const r = req(m);
    assert.equal(r.headers.getAll('Via').length, 40);
    assert.equal(parseVia(r.headers.getAll('Via')[39] ?? '').params.branch, 'z9hG4bK0039');
    assert.equal(parseNameAddr(r.headers.get('From') ?? '').params.unknownheaderparam, 'a'.repeat(200));
    assert.match(
      parseNameAddr(r.headers.get('To') ?? '').displayName ?? '',
      /^I have a user name of extreme/,
    );
    assert.ok((r.headers.get('Call-ID') ?? '').length > 360);
  },
  lwsdisp: (m) => {
    const from = parseNameAddr(req(m).headers.get('From') ?? '');
    assert.deepEqual(from, { displayName: 'caller', uri: 'sip:caller@example.com', params: { tag: '323' } });
    assert.deepEqual(parseVia(m.headers.get('Via') ?? '').params, { branch: 'z9hG4bKkdjuw', rport: null });
  },
  compact: (m) => {
    const h = req(m).headers;
    assert.deepEqual(h.getAll('Supported'), ['100rel', 'timer', 'path']);
    assert.deepEqual(h.getAll('Allow-Events'), ['presence', 'dialog']);
    assert.equal(h.get('Event'), 'presence');
    assert.equal(h.get('Refer-To'), '<sip:carol@example.com>');
    assert.equal(h.get('Referred-By'), '<sip:alice@example.com>');
    assert.equal(h.get('Session-Expires'), '1800;refresher=uac');
    assert.equal(h.get('Content-Encoding'), 'identity');
    assert.equal(h.get('Subject'), 'Hello');
    assert.equal(h.get('Content-Type'), 'text/plain;charset=UTF-8');
    assert.equal(parseVia(h.get('v') ?? '').port, 5070);
    assert.equal(text(m.body), 'Hello, Bob! ✓');
    assert.equal(Number(h.get('Content-Length')), m.body.length);
  },
  noreason: (m) => {
    assert.equal(res(m).status, 100);
    assert.equal(res(m).reason, '');
  },
  unreason: (m) => {
    assert.equal(res(m).status, 200);
    assert.equal(res(m).reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
    assert.equal(parseNameAddr(m.headers.get('To') ?? '').params.tag, '2229');
  },
  lfonly: (m) => {
    assert.equal(req(m).method, 'BYE');
    assert.equal(m.headers.get('Call-ID'), 'a84b4c76e66710@pc33.example.com');
  },
  nocludp: (m) => {
    assert.equal(text(m.body), 'Signal=5\r\nDuration=160\r\n');
    assert.equal(m.headers.get('Content-Length') ?? '24', '24');
  },
  clextra: (m) => assert.equal(text(m.body), 'Hello world'),
  ipv6via: (m) => {
    const via = parseVia(m.headers.get('Via') ?? '');
    assert.deepEqual(via, {
      protocol: 'SIP/2.0',
      transport: 'UDP',
      host: '[2001:db8::9:1]',
      port: 6050,
      params: { branch: 'z9hG4bKas3-111', received: '2001:db8::9:255', rport: null },
    });
    assert.equal(req(m).uri, 'sip:[2001:db8::10]');
  },
  leadcrlf: (m) => assert.equal(req(m).method, 'ACK'),
  multicontact: (m) => {
    const h = res(m).headers;
    assert.equal(h.getAll('Via').length, 3);
    assert.equal(parseVia(h.get('Via') ?? '').params.received, '192.0.2.3');
    assert.deepEqual(h.getAll('Record-Route'), ['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    const contacts = h.getAll('Contact').map(parseNameAddr);
    assert.deepEqual(
      contacts.map((c) => [c.displayName, c.uri]),
      [
        ['Smith, Alice <home>', 'sip:alice,smith@example.com;transport=tcp'],
        [undefined, 'sip:bob@192.0.2.4'],
        [undefined, 'sip:bob@192.0.2.5'],
      ],
    );
    assert.equal(contacts[1]?.params.expires, '60');
    assert.equal(contacts[2]?.params['+sip.instance'], '"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"');
    assert.deepEqual(h.getAll('Allow'), ['INVITE', 'ACK', 'CANCEL', 'OPTIONS', 'BYE', 'REFER', 'NOTIFY']);
    assert.deepEqual(h.getAll('Date'), ['Sat, 13 Nov 2010 23:29:00 GMT']);
  },
  registerstar: (m) => {
    assert.equal(req(m).method, 'REGISTER');
    assert.deepEqual(m.headers.getAll('Contact'), ['*']);
  },
  auth401: (m) => {
    assert.equal(res(m).status, 401);
    const challenge = m.headers.getAll('WWW-Authenticate');
    assert.equal(challenge.length, 1);
    assert.match(challenge[0] ?? '', /^Digest realm="example.com", qop="auth,auth-int", .*algorithm=MD5$/);
  },
};

const invalid: Record<string, SipParseErrorCode> = {
  'cl-nonnumeric': 'BAD_CONTENT_LENGTH',
  'cl-negative': 'BAD_CONTENT_LENGTH',
  'cl-huge': 'BAD_CONTENT_LENGTH',
  'cl-too-big': 'TRUNCATED_BODY',
  'cl-conflicting': 'BAD_CONTENT_LENGTH',
  'missing-call-id': 'MISSING_HEADER',
  'missing-via': 'MISSING_HEADER',
  'missing-cseq': 'MISSING_HEADER',
  'missing-from': 'MISSING_HEADER',
  'start-line-extra': 'BAD_START_LINE',
  'start-line-no-uri': 'BAD_START_LINE',
  'uri-with-spaces': 'BAD_START_LINE',
  'bad-version': 'BAD_VERSION',
  'bad-response-version': 'BAD_VERSION',
  'status-nonnumeric': 'BAD_START_LINE',
  'status-out-of-range': 'BAD_START_LINE',
  'cseq-no-method': 'BAD_CSEQ',
  'cseq-huge': 'BAD_CSEQ',
  'cseq-mismatch': 'CSEQ_MISMATCH',
  'unterminated-quote': 'BAD_HEADER',
  'missing-angle': 'BAD_HEADER',
  'no-colon': 'BAD_HEADER',
  'bad-header-name': 'BAD_HEADER',
  'via-bad-port': 'BAD_HEADER',
  'max-forwards-word': 'BAD_HEADER',
  'duplicate-to': 'BAD_HEADER',
  'continuation-first': 'BAD_HEADER',
  'only-crlf': 'EMPTY',
};

const names = (kind: string) => readdirSync(new URL(kind, dir)).map((f) => f.replace(/\.sip$/, ''));

test('every fixture file has expectations', () => {
  assert.deepEqual(names('valid').sort(), Object.keys(valid).sort());
  assert.deepEqual(names('invalid').sort(), Object.keys(invalid).sort());
});

for (const [name, check] of Object.entries(valid)) {
  test(`valid/${name}.sip parses`, () => check(parseSipMessage(load('valid', name))));

  test(`valid/${name}.sip round-trips through the serialiser`, () => {
    const first = parseSipMessage(load('valid', name));
    const wire = serializeSipMessage(first);
    const again = parseSipMessage(wire);
    assert.equal(again.headers.get('Content-Length'), String(first.body.length));
    assert.deepEqual(structure(again), structure(first));
    assert.deepEqual(serializeSipMessage(again), wire);
    check(again);
  });
}

for (const [name, code] of Object.entries(invalid)) {
  test(`invalid/${name}.sip is rejected with ${code}`, () => {
    assert.throws(
      () => parseSipMessage(load('invalid', name)),
      (err) => err instanceof SipParseError && err.code === code,
    );
  });
}
