import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DtmfReceiver,
  dtmfPackets,
  encodeTelephoneEvent,
  parseTelephoneEvent,
  TelephoneEventError,
} from './rfc4733.js';

test('parses and encodes the telephone-event payload', () => {
  assert.deepEqual(parseTelephoneEvent(Uint8Array.of(11, 0x8a, 0x03, 0x20)), {
    digit: '#',
    end: true,
    volume: 10,
    duration: 800,
  });
  const digits = '0123456789*#ABCD';
  for (let e = 0; e < 16; e++) {
    const ev = { digit: digits[e] ?? '', end: e % 2 === 0, volume: e * 3, duration: e * 1000 };
    const bytes = encodeTelephoneEvent(ev);
    assert.equal(bytes[0], e);
    assert.deepEqual(parseTelephoneEvent(bytes), ev);
  }
  assert.equal(encodeTelephoneEvent({ digit: 'a', end: false, volume: 0, duration: 0 })[0], 12);
  // The R bit is reserved and ignored.
  assert.equal(parseTelephoneEvent(Uint8Array.of(1, 0x40 | 5, 0, 0)).volume, 5);
});

test('rejects short payloads, non-digit events and bad values', () => {
  assert.throws(
    () => parseTelephoneEvent(Uint8Array.of(1, 0, 0)),
    (e: unknown) => e instanceof TelephoneEventError && e.code === 'TOO_SHORT',
  );
  assert.throws(() => parseTelephoneEvent(Uint8Array.of(16, 0, 0, 0)), TelephoneEventError);
  assert.throws(() => encodeTelephoneEvent({ digit: 'E', end: false, volume: 0, duration: 0 }), RangeError);
  assert.throws(() => encodeTelephoneEvent({ digit: '1', end: false, volume: 64, duration: 0 }), RangeError);
  assert.throws(
    () => encodeTelephoneEvent({ digit: '1', end: false, volume: 0, duration: 65536 }),
    RangeError,
  );
});

test('dtmfPackets: marker first, 50 ms updates, three end packets, one timestamp', () => {
  const pkts = dtmfPackets('5', { startTimestamp: 2 ** 32 + 7, durationMs: 200 });
  const events = pkts.map((p) => parseTelephoneEvent(p.payload));
  assert.deepEqual(
    pkts.map((p) => p.marker),
    [true, false, false, false, false, false],
  );
  assert.ok(pkts.every((p) => p.timestamp === 7));
  assert.deepEqual(
    events.map((e) => [e.digit, e.end, e.duration]),
    [
      ['5', false, 400],
      ['5', false, 800],
      ['5', false, 1200],
      ['5', true, 1600],
      ['5', true, 1600],
      ['5', true, 1600],
    ],
  );
  assert.deepEqual(
    pkts.map((p) => p.sendAtMs),
    [0, 50, 100, 200, 220, 240],
  );
  const short = dtmfPackets('#', { startTimestamp: 0, durationMs: 40, sampleRate: 16000 });
  assert.deepEqual(
    short.map((p) => [p.marker, parseTelephoneEvent(p.payload).end, parseTelephoneEvent(p.payload).duration]),
    [
      [true, false, 640],
      [false, true, 640],
      [false, true, 640],
      [false, true, 640],
    ],
  );
  assert.throws(() => dtmfPackets('1', { startTimestamp: 0, durationMs: 9000 }), RangeError);
});

function send(rx: DtmfReceiver, digits: string, ts0: number, step = 1600): string {
  let heard = '';
  digits.split('').forEach((d, i) => {
    for (const p of dtmfPackets(d, { startTimestamp: ts0 + i * step }))
      heard += rx.push(p.timestamp, p.payload) ?? '';
  });
  return heard;
}

test('receiver reports each press once, including repeated keys', () => {
  const rx = new DtmfReceiver();
  assert.equal(send(rx, '1211#', 1000), '1211#');
  // Timestamps wrapping past 2^32 are still newer.
  const wrapping = new DtmfReceiver();
  assert.equal(send(wrapping, '3344', 2 ** 32 - 3200), '3344');
});

test('receiver survives lost start packets and duplicated or straggling packets', () => {
  const rx = new DtmfReceiver();
  const first = dtmfPackets('4', { startTimestamp: 8000 });
  const second = dtmfPackets('7', { startTimestamp: 9600 });
  let heard = '';
  for (const p of first.slice(2)) heard += rx.push(p.timestamp, p.payload) ?? ''; // start lost
  for (const p of second) heard += rx.push(p.timestamp, p.payload) ?? '';
  for (const p of first) heard += rx.push(p.timestamp, p.payload) ?? ''; // late copies of the old press
  for (const p of second) heard += rx.push(p.timestamp, p.payload) ?? ''; // duplicates
  assert.equal(heard, '47');
  assert.equal(rx.push(20000, Uint8Array.of(1, 2)), undefined);
  assert.equal(rx.push(20000, Uint8Array.of(16, 0, 0, 0)), undefined);
});

test('captures that reuse one timestamp: a changed digit is a new press, a repeat is not', () => {
  // The SIPp trap: "1211#" chained with a single timestamp arrives as "121#".
  const rx = new DtmfReceiver();
  let heard = '';
  for (const d of '1211#')
    for (const p of dtmfPackets(d, { startTimestamp: 5000 })) heard += rx.push(p.timestamp, p.payload) ?? '';
  assert.equal(heard, '121#');
});
