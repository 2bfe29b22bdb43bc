import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  parseRtp,
  type RtpPacket,
  type RtpPacketInput,
  RtpParseError,
  serializeRtp,
  writeRtpHeader,
} from './rtp-packet.js';

function code(buf: Uint8Array): string {
  try {
    parseRtp(buf);
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof RtpParseError);
    return err.code;
  }
}

test('parses a PCMU packet byte by byte', () => {
  const buf = Uint8Array.of(
    0x80,
    0x80 | 0,
    0x12,
    0x34,
    0xde,
    0xad,
    0xbe,
    0xef,
    0xca,
    0xfe,
    0xba,
    0xbe,
    0xff,
    0x7f,
  );
  const p = parseRtp(buf);
  assert.deepEqual(p, {
    version: 2,
    padding: false,
    marker: true,
    payloadType: 0,
    sequenceNumber: 0x1234,
    timestamp: 0xdeadbeef,
    ssrc: 0xcafebabe,
    csrc: [],
    payload: Uint8Array.of(0xff, 0x7f),
  });
  assert.equal(p.payload.buffer, buf.buffer, 'payload is a view, not a copy');
});

test('CSRCs, header extension and padding', () => {
  const buf = Uint8Array.of(
    0xb1,
    101,
    0,
    1,
    0,
    0,
    0,
    2,
    0,
    0,
    0,
    3, // V=2 P X CC=1, PT 101
    0,
    0,
    0,
    9, // CSRC
    0xbe,
    0xde,
    0,
    1,
    0x10,
    0xaa,
    0,
    0, // one-word extension
    7,
    8,
    0,
    0,
    3, // payload 7 8, then 3 bytes of padding
  );
  const p = parseRtp(buf);
  assert.deepEqual(p.csrc, [9]);
  assert.equal(p.padding, true);
  assert.deepEqual(p.extension, { profile: 0xbede, data: Uint8Array.of(0x10, 0xaa, 0, 0) });
  assert.deepEqual(p.payload, Uint8Array.of(7, 8));
  assert.deepEqual(parseRtp(serializeRtp(p)), p);
});

test('malformed packets are rejected with a code', () => {
  assert.equal(code(new Uint8Array(11)), 'TOO_SHORT');
  assert.equal(code(Uint8Array.of(0x40, ...new Uint8Array(11))), 'BAD_VERSION');
  assert.equal(code(Uint8Array.of(0x82, ...new Uint8Array(15))), 'BAD_CSRC');
  assert.equal(code(Uint8Array.of(0x90, ...new Uint8Array(13))), 'BAD_EXTENSION');
  assert.equal(code(Uint8Array.of(0x90, ...new Uint8Array(13), 0, 2, 0, 0, 0, 0)), 'BAD_EXTENSION');
  assert.equal(code(Uint8Array.of(0xa0, ...new Uint8Array(11), 1, 0)), 'BAD_PADDING');
  assert.equal(code(Uint8Array.of(0xa0, ...new Uint8Array(11), 1, 3)), 'BAD_PADDING');
  assert.equal(code(Uint8Array.of(0xa0, ...new Uint8Array(11), 1, 2)), 'ok');
  assert.equal(code(Uint8Array.of(0x80, ...new Uint8Array(11))), 'ok');
});

test('serialize validates its input and pads to 32 bits', () => {
  const base: RtpPacketInput = {
    marker: false,
    payloadType: 0,
    sequenceNumber: 1,
    timestamp: 2,
    ssrc: 3,
    payload: new Uint8Array(5),
  };
  assert.equal(serializeRtp(base).length, 17);
  assert.equal(serializeRtp({ ...base, padding: true }).length, 20);
  assert.equal(serializeRtp({ ...base, padding: true, payload: new Uint8Array(4) }).length, 20);
  assert.throws(() => serializeRtp({ ...base, payloadType: 128 }), RangeError);
  assert.throws(() => serializeRtp({ ...base, sequenceNumber: 65536 }), RangeError);
  assert.throws(() => serializeRtp({ ...base, timestamp: -1 }), RangeError);
  assert.throws(() => serializeRtp({ ...base, csrc: new Array<number>(16).fill(1) }), RangeError);
  assert.throws(
    () => serializeRtp({ ...base, extension: { profile: 1, data: new Uint8Array(3) } }),
    RangeError,
  );
});

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const packetArb: fc.Arbitrary<RtpPacket> = fc.record(
  {
    version: fc.constant(2 as const),
    padding: fc.boolean(),
    marker: fc.boolean(),
    payloadType: fc.integer({ min: 0, max: 127 }),
    sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
    timestamp: u32,
    ssrc: u32,
    csrc: fc.array(u32, { maxLength: 15 }),
    extension: fc.record(
      {
        profile: fc.integer({ min: 0, max: 0xffff }),
        data: fc
          .integer({ min: 0, max: 8 })
          .chain((w) => fc.uint8Array({ minLength: 4 * w, maxLength: 4 * w })),
      },
      { noNullPrototype: true },
    ),
    payload: fc.uint8Array({ maxLength: 300 }),
  },
  {
    noNullPrototype: true,
    requiredKeys: [
      'version',
      'padding',
      'marker',
      'payloadType',
      'sequenceNumber',
      'timestamp',
      'ssrc',
      'csrc',
      'payload',
    ],
  },
);

test('property: parse(serialize(p)) is p', () => {
  fc.assert(
    fc.property(packetArb, (p) => {
      assert.deepEqual(parseRtp(serializeRtp(p)), p);
    }),
    { numRuns: 2000 },
  );
});

test('property: random bytes parse or throw RtpParseError, and what parses re-serialises', () => {
  const rtpish = fc.uint8Array({ maxLength: 80 }).map((b) => {
    // Make most inputs look like version 2 so the deeper checks are reached.
    if (b.length > 0 && (b[0] ?? 0) % 4 !== 0) b[0] = ((b[0] ?? 0) & 0x3f) | 0x80;
    return b;
  });
  fc.assert(
    fc.property(rtpish, (bytes) => {
      let p: RtpPacket;
      try {
        p = parseRtp(bytes);
      } catch (err) {
        assert.ok(err instanceof RtpParseError, String(err));
        return;
      }
      const again = parseRtp(serializeRtp(p));
      assert.deepEqual({ ...again, padding: p.padding }, p);
    }),
    { numRuns: 5000 },
  );
});

test('writeRtpHeader writes the bytes serializeRtp writes for a plain packet', () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.uint8Array({ maxLength: 40 }),
      (marker, payloadType, sequenceNumber, timestamp, ssrc, payload) => {
        const out = new Uint8Array(12 + payload.length).fill(0xaa);
        writeRtpHeader(out, marker, payloadType, sequenceNumber, timestamp, ssrc);
        out.set(payload, 12);
        const p = { marker, payloadType, sequenceNumber, timestamp, ssrc, payload };
        assert.deepEqual(out, serializeRtp(p));
      },
    ),
  );
});
