import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseSipMessage, SipParseError } from './parse.js';
import { serializeSipMessage } from './serialize.js';
import { SipHeaders, type SipMessage } from './sip-message.js';
import { structure } from './testing.js';

const dir = new URL('./fixtures/valid/', import.meta.url);
const seeds = readdirSync(dir).map((f) => new Uint8Array(readFileSync(new URL(f, dir))));
/**
 * CPU time (this process's own, so other load on the machine does not count) one parse may take:
 * a linear parse of 64 KiB takes about a millisecond, catastrophic backtracking takes seconds.
 */
const MAX_CPU_MS = 250;

/** Parses, and fails on anything thrown that is not a SipParseError or on a runaway parse. */
function parsesSafely(data: Uint8Array | string): void {
  const started = process.cpuUsage();
  try {
    parseSipMessage(data);
  } catch (err) {
    if (!(err instanceof SipParseError)) throw err;
  }
  const used = process.cpuUsage(started);
  assert.ok((used.user + used.system) / 1000 < MAX_CPU_MS, 'parse took too long');
}

test('random bytes only ever raise SipParseError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), parsesSafely), { numRuns: 1000 });
  fc.assert(fc.property(fc.string({ maxLength: 1024 }), parsesSafely), { numRuns: 500 });
});

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip'), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ kind: fc.constant('dupLine'), at: fc.nat() }),
  fc.record({ kind: fc.constant('dropLine'), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert'),
    at: fc.nat(),
    text: fc.constantFrom('"', '<', '>', ',', ';', ':', '\r', '\n', ' ', '\\', '\r\n ', '='),
  }),
);

function mutate(input: Uint8Array, m: Mutation): Uint8Array {
  const at = input.length === 0 ? 0 : m.at % input.length;
  switch (m.kind) {
    case 'flip': {
      const out = input.slice();
      out[at] = m.byte;
      return out;
    }
    case 'truncate':
      return input.slice(0, at);
    case 'insert': {
      const text = new TextEncoder().encode(m.text);
      return concat([input.subarray(0, at), text, input.subarray(at)]);
    }
    default: {
      const lines = splitLines(input);
      const i = lines.length === 0 ? 0 : m.at % lines.length;
      const line = lines[i] ?? new Uint8Array(0);
      if (m.kind === 'dupLine') lines.splice(i, 0, line);
      else lines.splice(i, 1);
      return concat(lines);
    }
  }
}

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'dupLine'; at: number }
  | { kind: 'dropLine'; at: number }
  | { kind: 'insert'; at: number; text: string };

function splitLines(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 10) {
      out.push(b.subarray(from, i + 1));
      from = i + 1;
    }
  }
  if (from < b.length) out.push(b.subarray(from));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

test('mutated fixtures only ever raise SipParseError, quickly', () => {
  fc.assert(
    fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 8 }), (seed, ms) => {
      parsesSafely(ms.reduce<Uint8Array>((b, m) => mutate(b, m), seed));
    }),
    { numRuns: 3000 },
  );
});

test('pathological inputs stay linear', () => {
  const head = 'INVITE sip:a@h SIP/2.0\r\n';
  for (const filler of [' ', '"', '<', ',', ';', '\\', 'a', ':', '\r\n ', '\n']) {
    const body = filler.repeat(Math.floor(60_000 / filler.length));
    parsesSafely(
      `${head}Contact: ${body}\r\nVia: SIP/2.0/UDP ${body}\r\nTo: ${body}\r\n\r\n`.slice(0, 65_000),
    );
    parsesSafely(`${head}X-A:${body}x`.slice(0, 65_000));
  }
});

const token = fc.string({
  unit: fc.constantFrom(..."abcXYZ019-.!%*_+`'~".split('')),
  minLength: 1,
  maxLength: 12,
});
const safeText = fc
  .string({ unit: fc.constantFrom(...'abc XYZ 09,;:=<>"/\\@éü大'.split('')), maxLength: 40 })
  .map((s) => s.trim());
const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){0,2}$/);

const wellFormed: fc.Arbitrary<SipMessage> = fc
  .record({
    isRequest: fc.boolean(),
    method: token,
    status: fc.integer({ min: 100, max: 699 }),
    reason: safeText,
    host,
    seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    branch: token,
    tag: token,
    displayName: fc.option(
      safeText.filter((s) => !s.includes('"') && !s.includes('\\')),
      { nil: undefined },
    ),
    extra: fc.array(
      fc.tuple(
        token.map((t) => `X-${t}`),
        safeText,
      ),
      { maxLength: 6 },
    ),
    body: fc.uint8Array({ maxLength: 300 }),
  })
  .map((r) => {
    const headers = new SipHeaders([
      ['Via', `SIP/2.0/UDP ${r.host}:5060;branch=z9hG4bK${r.branch}`],
      ['From', `${r.displayName === undefined ? '' : `"${r.displayName}" `}<sip:a@${r.host}>;tag=${r.tag}`],
      ['To', `<sip:b@${r.host}>`],
      ['Call-ID', `${r.tag}@${r.host}`],
      ['CSeq', `${r.seq} ${r.method}`],
      ...r.extra,
    ]);
    const common = { version: 'SIP/2.0' as const, headers, body: r.body };
    return r.isRequest
      ? { kind: 'request' as const, method: r.method, uri: `sip:b@${r.host}`, ...common }
      : { kind: 'response' as const, status: r.status, reason: r.reason, ...common };
  });

test('serialise then parse round-trips generated messages', () => {
  fc.assert(
    fc.property(wellFormed, (m) => {
      const parsed = parseSipMessage(serializeSipMessage(m));
      assert.deepEqual(structure(parsed), structure(m));
      assert.equal(parsed.headers.get('Content-Length'), String(m.body.length));
    }),
    { numRuns: 500 },
  );
});
