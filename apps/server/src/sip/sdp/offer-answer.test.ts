import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse } from 'sdp-transform';
import { createAnswer, createOffer, holdOffer, parseRemoteAudio, SdpError } from './offer-answer.js';

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

const BARESIP = crlf([
  'v=0',
  'o=- 1437853183 3140536476 IN IP4 192.168.1.50',
  's=-',
  'c=IN IP4 192.168.1.50',
  't=0 0',
  'm=audio 10218 RTP/AVP 0 8 101',
  'b=AS:64',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:20',
  'a=sendrecv',
]);

const LINPHONE = crlf([
  'v=0',
  'o=alice 2133 3028 IN IP4 10.0.0.7',
  's=Talk',
  'c=IN IP4 10.0.0.7',
  't=0 0',
  'a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics',
  'm=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100',
  'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 useinbandfec=1',
  'a=rtpmap:97 speex/16000',
  'a=rtpmap:98 speex/8000',
  'a=rtpmap:18 G729/8000',
  'a=rtpmap:101 telephone-event/48000',
  'a=rtpmap:99 telephone-event/16000',
  'a=rtpmap:100 telephone-event/8000',
  'a=rtcp-fb:* trr-int 1000',
]);

const CARRIER = crlf([
  'v=0',
  'o=Sonus_UAC 51474 12345 IN IP4 203.0.113.5',
  's=SIP Media Capabilities',
  'c=IN IP4 203.0.113.5',
  't=0 0',
  'm=audio 24562 RTP/AVP 8 0 18 96',
  'c=IN IP4 203.0.113.77',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:18 G729/8000',
  'a=fmtp:18 annexb=no',
  'a=rtpmap:96 telephone-event/8000',
  'a=fmtp:96 0-15',
  'a=sendrecv',
  'a=ptime:30',
]);

const CHROMIUM_OPUS = crlf([
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=msid-semantic: WMS',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:ZZZZ',
  'a=ice-pwd:aaaaaaaaaaaaaaaaaaaaaaaa',
  'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
]);

const OLD_HOLD = crlf([
  'v=0',
  'o=- 1 2 IN IP4 198.51.100.9',
  's=-',
  'c=IN IP4 0.0.0.0',
  't=0 0',
  'm=audio 4000 RTP/AVP 0 101',
  'a=rtpmap:101 telephone-event/8000',
]);

/** Session-level c= and a=sendonly, static payload type without rtpmap, plus a video stream we must reject. */
const SESSION_LEVEL = crlf([
  'v=0',
  'o=- 77 77 IN IP4 198.51.100.20',
  's=-',
  'c=IN IP4 198.51.100.20',
  't=0 0',
  'a=sendonly',
  'm=video 6000 RTP/AVP 99',
  'a=rtpmap:99 H264/90000',
  'm=audio 5004 RTP/AVP 8',
]);

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SdpError, `expected SdpError, got ${String(err)}`);
    return err.code;
  }
  assert.fail('expected an SdpError');
}

const LOCAL = { address: '192.0.2.1', port: 30000, sessionId: '42', version: 7 };

function audioOf(sdp: string) {
  const s = parse(sdp);
  const m = s.media.find((x) => x.type === 'audio');
  assert.ok(m);
  return { s, m };
}

test('createOffer writes a G.711 offer with telephone-event', () => {
  assert.equal(
    createOffer({ address: '192.0.2.1', port: 30000, sessionId: '42', version: 7 }),
    crlf([
      'v=0',
      'o=- 42 7 IN IP4 192.0.2.1',
      's=-',
      'c=IN IP4 192.0.2.1',
      't=0 0',
      'm=audio 30000 RTP/AVP 0 8 101',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-16',
      'a=ptime:20',
      'a=sendrecv',
    ]),
  );
  const v6 = createOffer({
    address: '2001:db8::1',
    port: 4000,
    codecs: ['PCMA'],
    dtmfPayloadType: 96,
    direction: 'recvonly',
  });
  const { s, m } = audioOf(v6);
  assert.equal(s.origin.ipVer, 6);
  assert.deepEqual(s.connection, { version: 6, ip: '2001:db8::1' });
  assert.equal(m.payloads, '8 96');
  assert.equal(m.direction, 'recvonly');
  assert.throws(() => createOffer({ address: '192.0.2.1', port: 0 }), RangeError);
  assert.throws(() => createOffer({ address: '192.0.2.1', port: 5000, dtmfPayloadType: 8 }), RangeError);
});

test('baresip offer: PCMU, telephone-event 101, answer field by field', () => {
  assert.deepEqual(parseRemoteAudio(BARESIP), {
    address: '192.168.1.50',
    port: 10218,
    payloadType: 0,
    codec: 'PCMU',
    dtmfPayloadType: 101,
    ptime: 20,
    direction: 'sendrecv',
  });
  const { sdp, remote } = createAnswer(BARESIP, LOCAL);
  assert.equal(remote.codec, 'PCMU');
  const { s, m } = audioOf(sdp);
  assert.equal(s.media.length, 1);
  assert.deepEqual(s.origin, {
    username: '-',
    sessionId: 42,
    sessionVersion: 7,
    netType: 'IN',
    ipVer: 4,
    address: '192.0.2.1',
  });
  assert.deepEqual(s.connection, { version: 4, ip: '192.0.2.1' });
  assert.equal(m.port, 30000);
  assert.equal(m.protocol, 'RTP/AVP');
  assert.equal(m.payloads, '0 101');
  assert.deepEqual(m.rtp, [
    { payload: 0, codec: 'PCMU', rate: 8000 },
    { payload: 101, codec: 'telephone-event', rate: 8000 },
  ]);
  assert.deepEqual(m.fmtp, [{ payload: 101, config: '0-16' }]);
  assert.equal(m.direction, 'sendrecv');
  assert.equal(m.ptime, 20);
});

test('Linphone offer: skips opus/speex, takes telephone-event/8000 at its own PT', () => {
  const r = parseRemoteAudio(LINPHONE);
  assert.equal(r.codec, 'PCMU');
  assert.equal(r.payloadType, 0);
  assert.equal(r.dtmfPayloadType, 100);
  assert.equal(r.ptime, undefined);
  assert.equal(audioOf(createAnswer(LINPHONE, LOCAL).sdp).m.payloads, '0 100');
});

test('carrier offer: PCMA first, telephone-event 96, media-level c= wins', () => {
  const { sdp, remote } = createAnswer(CARRIER, LOCAL);
  assert.deepEqual(remote, {
    address: '203.0.113.77',
    port: 24562,
    payloadType: 8,
    codec: 'PCMA',
    dtmfPayloadType: 96,
    ptime: 30,
    direction: 'sendrecv',
  });
  const { m } = audioOf(sdp);
  assert.equal(m.payloads, '8 96');
  assert.deepEqual(m.rtp, [
    { payload: 8, codec: 'PCMA', rate: 8000 },
    { payload: 96, codec: 'telephone-event', rate: 8000 },
  ]);
  const noDtmf = CARRIER.replace(' 18 96', ' 18').replace(/a=rtpmap:96.*\r\na=fmtp:96.*\r\n/, '');
  const plain = createAnswer(noDtmf, LOCAL);
  assert.equal(plain.remote.dtmfPayloadType, undefined);
  assert.equal(String(audioOf(plain.sdp).m.payloads), '8');
  assert.deepEqual(audioOf(plain.sdp).m.fmtp, []);
});

test('Chromium opus-only offer is NO_COMMON_CODEC; Chromium with PCMU is UNSUPPORTED_TRANSPORT', () => {
  assert.equal(
    code(() => parseRemoteAudio(CHROMIUM_OPUS)),
    'NO_COMMON_CODEC',
  );
  assert.equal(
    code(() => createAnswer(CHROMIUM_OPUS, LOCAL)),
    'NO_COMMON_CODEC',
  );
  const withPcmu = CHROMIUM_OPUS.replace('SAVPF 111', 'SAVPF 111 0').replace(
    'a=rtpmap:111',
    'a=rtpmap:0 PCMU/8000\r\na=rtpmap:111',
  );
  assert.equal(
    code(() => parseRemoteAudio(withPcmu)),
    'UNSUPPORTED_TRANSPORT',
  );
  assert.equal(
    code(() => parseRemoteAudio(BARESIP.replace('0 8 101', '18 101'))),
    'NO_COMMON_CODEC',
  );
  assert.equal(
    code(() => parseRemoteAudio(BARESIP.replace('rtpmap:0 PCMU', 'rtpmap:0 G722').replace(' 0 8 ', ' 0 '))),
    'NO_COMMON_CODEC',
  );
});

test('old-style hold (c=0.0.0.0) is inactive and answered inactive', () => {
  const { sdp, remote } = createAnswer(OLD_HOLD, LOCAL);
  assert.equal(remote.direction, 'inactive');
  assert.equal(remote.address, '0.0.0.0');
  assert.equal(remote.dtmfPayloadType, 101);
  assert.equal(audioOf(sdp).m.direction, 'inactive');
});

test('session-level c= and direction; static PT without rtpmap; other m-lines rejected with port 0', () => {
  const { sdp, remote } = createAnswer(SESSION_LEVEL, LOCAL);
  assert.deepEqual(remote, {
    address: '198.51.100.20',
    port: 5004,
    payloadType: 8,
    codec: 'PCMA',
    direction: 'sendonly',
  });
  const s = parse(sdp);
  assert.equal(s.media.length, 2);
  assert.deepEqual([s.media[0]?.type, s.media[0]?.port, String(s.media[0]?.payloads)], ['video', 0, '99']);
  assert.deepEqual([s.media[1]?.type, s.media[1]?.port, s.media[1]?.direction], ['audio', 30000, 'recvonly']);
});

test('RFC 3264 direction rules', () => {
  const cases: [string, 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive', string][] = [
    ['sendrecv', 'sendrecv', 'sendrecv'],
    ['sendonly', 'sendrecv', 'recvonly'],
    ['recvonly', 'sendrecv', 'sendonly'],
    ['inactive', 'sendrecv', 'inactive'],
    ['sendrecv', 'sendonly', 'sendonly'],
    ['sendonly', 'sendonly', 'inactive'],
    ['recvonly', 'recvonly', 'inactive'],
  ];
  for (const [offered, local, expected] of cases) {
    const offer = BARESIP.replace('a=sendrecv', `a=${offered}`);
    assert.equal(
      audioOf(createAnswer(offer, { ...LOCAL, direction: local }).sdp).m.direction,
      expected,
      `${offered}/${local}`,
    );
  }
});

test('error codes: port 0, bad port, no connection, not SDP', () => {
  assert.equal(
    code(() => createAnswer(BARESIP.replace('audio 10218', 'audio 0'), LOCAL)),
    'NO_AUDIO',
  );
  assert.equal(
    code(() => parseRemoteAudio(CARRIER.replace('m=audio', 'm=video'))),
    'NO_AUDIO',
  );
  assert.equal(
    code(() => parseRemoteAudio(BARESIP.replace('10218', '70000'))),
    'BAD_PORT',
  );
  assert.equal(
    code(() => parseRemoteAudio(BARESIP.replace('10218', '010218'))),
    'BAD_PORT',
  );
  assert.equal(
    code(() => parseRemoteAudio(BARESIP.replace('c=IN IP4 192.168.1.50\r\n', ''))),
    'NO_CONNECTION',
  );
  assert.equal(
    code(() => parseRemoteAudio(BARESIP.replace('c=IN IP4 192.168.1.50', 'c=IN IP4 ;rm -rf'))),
    'NO_CONNECTION',
  );
  assert.equal(
    code(() => parseRemoteAudio('hello')),
    'UNPARSABLE',
  );
  assert.equal(
    code(() => parseRemoteAudio(BARESIP.replace('v=0', 'v=1'))),
    'UNPARSABLE',
  );
  assert.equal(
    code(() => parseRemoteAudio(BARESIP.repeat(1000))),
    'UNPARSABLE',
  );
});

test('holdOffer: increments o= version, sendonly then sendrecv, peer answers recvonly', () => {
  const initial = createOffer({ address: '192.0.2.1', port: 30000, sessionId: '42', version: 7 });
  const held = holdOffer(initial, true);
  const h = audioOf(held);
  assert.equal(h.s.origin.sessionVersion, 8);
  assert.equal(h.s.origin.sessionId, 42);
  assert.equal(h.m.direction, 'sendonly');
  assert.equal(h.m.payloads, '0 8 101');
  assert.equal(parseRemoteAudio(held).direction, 'sendonly');
  assert.equal(audioOf(createAnswer(held, { address: '192.0.2.9', port: 4000 }).sdp).m.direction, 'recvonly');
  const resumed = audioOf(holdOffer(held, false));
  assert.equal(resumed.s.origin.sessionVersion, 9);
  assert.equal(resumed.m.direction, 'sendrecv');
  const answerHold = audioOf(holdOffer(createAnswer(SESSION_LEVEL, LOCAL).sdp, true));
  assert.equal(answerHold.s.media[0]?.port, 0);
  assert.equal(answerHold.s.media[0]?.direction, undefined);
  assert.equal(
    code(() => holdOffer('v=0\r\n', true)),
    'UNPARSABLE',
  );
});

test('fuzz: random strings and mutated samples only ever throw SdpError', () => {
  const samples = [BARESIP, LINPHONE, CARRIER, CHROMIUM_OPUS, OLD_HOLD, SESSION_LEVEL];
  const mutated = fc
    .tuple(
      fc.constantFrom(...samples),
      fc.array(fc.tuple(fc.nat(), fc.nat(12), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 4 }),
    )
    .map(([s, edits]) =>
      edits.reduce((acc, [at, del, ins]) => {
        const i = at % (acc.length + 1);
        return acc.slice(0, i) + ins + acc.slice(i + del);
      }, s),
    );
  const lines = fc
    .array(
      fc.tuple(fc.constantFrom('v', 'o', 's', 'c', 't', 'm', 'a', 'b', 'x'), fc.string({ maxLength: 30 })),
      { maxLength: 12 },
    )
    .map((ls) => `v=0\r\n${ls.map(([k, v]) => `${k}=${v}`).join('\r\n')}`);
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), mutated, lines), (sdp) => {
      for (const fn of [
        () => parseRemoteAudio(sdp),
        () => createAnswer(sdp, LOCAL),
        () => holdOffer(sdp, true),
      ]) {
        try {
          const r = fn();
          assert.equal(typeof r, typeof r === 'string' ? 'string' : 'object');
        } catch (err) {
          if (!(err instanceof SdpError)) throw err;
        }
      }
    }),
    { numRuns: 3000 },
  );
});
