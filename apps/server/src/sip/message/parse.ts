/**
 * SIP message parser (RFC 3261 §7, robustness per RFC 4475). Works on one complete message: a UDP
 * datagram, or a message already framed by a stream transport. Linear in the input size; the only
 * exception it throws is `SipParseError`.
 */

import { isToken } from './header-names.js';
import { parseCSeq, parseNameAddr, parseVia } from './header-values.js';
import { trimLws } from './lexer.js';
import {
  SipHeaders,
  type SipMessage,
  SipParseError,
  type SipRequest,
  type SipResponse,
} from './sip-message.js';

export { parseCSeq, parseNameAddr, parseParams, parseVia } from './header-values.js';
export { SipParseError } from './sip-message.js';

export interface ParseOptions {
  /** Largest accepted message in bytes (default 64 KiB). */
  maxBytes?: number;
  /**
   * Stream transports (TCP/TLS) must send Content-Length (RFC 3261 §18.3); on datagrams a missing
   * one means "the rest of the datagram". Default false.
   */
  requireContentLength?: boolean;
}

export const DEFAULT_MAX_BYTES = 64 * 1024;
const REQUIRED = ['To', 'From', 'CSeq', 'Call-ID', 'Via'] as const;
const CR = 13;
const LF = 10;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function parseSipMessage(data: Uint8Array | string, options: ParseOptions = {}): SipMessage {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof data === 'string' && data.length > maxBytes) {
    throw new SipParseError('TOO_LARGE', `message of at least ${data.length} bytes`);
  }
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  if (bytes.length > maxBytes) throw new SipParseError('TOO_LARGE', `message of ${bytes.length} bytes`);

  let start = 0; // RFC 3261 §7.5: ignore CRLFs before the start line (keep-alives).
  while (bytes[start] === CR || bytes[start] === LF) start++;
  if (start >= bytes.length) throw new SipParseError('EMPTY', 'no message');
  const { headEnd, bodyStart } = findHeadEnd(bytes, start);
  const lines = decoder.decode(bytes.subarray(start, headEnd)).split('\n');
  const startLine = stripCr(lines[0] ?? '', 'BAD_START_LINE');
  const headers = parseHeaderLines(lines.slice(1));
  const body = readBody(bytes.subarray(bodyStart), headers, options.requireContentLength ?? false);

  const message = parseStartLine(startLine, headers, body);
  validate(message);
  return message;
}

function findHeadEnd(bytes: Uint8Array, from: number): { headEnd: number; bodyStart: number } {
  for (let i = from; i < bytes.length; i++) {
    if (bytes[i] !== LF) continue;
    if (bytes[i + 1] === LF) return { headEnd: i, bodyStart: i + 2 };
    if (bytes[i + 1] === CR && bytes[i + 2] === LF) return { headEnd: i, bodyStart: i + 3 };
  }
  // No empty line: tolerated as a message with headers only.
  return { headEnd: bytes.length, bodyStart: bytes.length };
}

function stripCr(line: string, code: 'BAD_START_LINE' | 'BAD_HEADER'): string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text.includes('\r')) throw new SipParseError(code, 'bare CR inside a line');
  return text;
}

function parseHeaderLines(raw: string[]): SipHeaders {
  // Each header is a list of pieces: its first line, then any LWS continuation lines (RFC 3261
  // §7.3.1), joined once with single spaces so that long folded headers stay linear.
  const pieces: string[][] = [];
  for (const r of raw) {
    const line = stripCr(r, 'BAD_HEADER');
    if (line === '') continue; // only possible as the final terminator
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const current = pieces.at(-1);
      if (current === undefined) throw new SipParseError('BAD_HEADER', 'continuation line before any header');
      current.push(trimLws(line));
    } else {
      pieces.push([trimLws(line)]);
    }
  }
  const unfolded = pieces.map((p) => p.join(' '));
  const headers = new SipHeaders();
  for (const line of unfolded) {
    const colon = line.indexOf(':');
    if (colon < 0) throw new SipParseError('BAD_HEADER', `header line without colon: ${preview(line)}`);
    const name = trimLws(line.slice(0, colon));
    if (!isToken(name)) throw new SipParseError('BAD_HEADER', `invalid header name: ${preview(name)}`);
    headers.append(name, line.slice(colon + 1));
  }
  return headers;
}

function readBody(rest: Uint8Array, headers: SipHeaders, requireContentLength: boolean): Uint8Array {
  const values = headers.getAll('Content-Length');
  if (values.length === 0) {
    if (requireContentLength) throw new SipParseError('MISSING_HEADER', 'missing Content-Length');
    return rest.slice();
  }
  const first = values[0] ?? '';
  if (!/^\d{1,10}$/.test(first) || values.some((v) => v !== first)) {
    throw new SipParseError('BAD_CONTENT_LENGTH', `Content-Length ${preview(values.join(', '))}`);
  }
  const length = Number(first);
  if (length > rest.length) {
    throw new SipParseError('TRUNCATED_BODY', `Content-Length ${length} but ${rest.length} bytes follow`);
  }
  // RFC 3261 §18.3: bytes beyond Content-Length in a datagram are discarded.
  return rest.slice(0, length);
}

function parseStartLine(line: string, headers: SipHeaders, body: Uint8Array): SipMessage {
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  const first = sp1 < 0 ? line : line.slice(0, sp1);
  if (/^SIP\//i.test(first)) {
    checkVersion(first);
    const code = sp2 < 0 ? line.slice(sp1 + 1) : line.slice(sp1 + 1, sp2);
    if (sp1 < 0 || !/^[1-6]\d\d$/.test(code)) {
      throw new SipParseError('BAD_START_LINE', `bad status line: ${preview(line)}`);
    }
    const reason = sp2 < 0 ? '' : line.slice(sp2 + 1).trim();
    const res: SipResponse = {
      kind: 'response',
      status: Number(code),
      reason,
      version: 'SIP/2.0',
      headers,
      body,
    };
    return res;
  }
  const parts = line.split(' ');
  const [method = '', uri = '', version = ''] = parts;
  if (parts.length !== 3 || !isToken(method) || !/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(uri)) {
    throw new SipParseError('BAD_START_LINE', `bad request line: ${preview(line)}`);
  }
  if (!/^SIP\//i.test(version))
    throw new SipParseError('BAD_START_LINE', `bad request line: ${preview(line)}`);
  checkVersion(version);
  const req: SipRequest = { kind: 'request', method, uri, version: 'SIP/2.0', headers, body };
  return req;
}

function checkVersion(v: string): void {
  if (v.toUpperCase() !== 'SIP/2.0')
    throw new SipParseError('BAD_VERSION', `unsupported version ${preview(v)}`);
}

function validate(m: SipMessage): void {
  for (const name of REQUIRED) {
    const value = m.headers.get(name);
    if (value === undefined || value === '') throw new SipParseError('MISSING_HEADER', `missing ${name}`);
  }
  for (const name of ['To', 'From', 'CSeq', 'Call-ID', 'Max-Forwards', 'Content-Type']) {
    if (m.headers.getAll(name).length > 1) throw new SipParseError('BAD_HEADER', `more than one ${name}`);
  }
  const cseq = parseCSeq(m.headers.get('CSeq') ?? '');
  if (m.kind === 'request' && cseq.method !== m.method) {
    throw new SipParseError('CSEQ_MISMATCH', `CSeq method ${cseq.method} in a ${m.method} request`);
  }
  const maxForwards = m.headers.get('Max-Forwards');
  if (maxForwards !== undefined && !/^\d{1,10}$/.test(maxForwards)) {
    throw new SipParseError('BAD_HEADER', `Max-Forwards ${preview(maxForwards)}`);
  }
  parseNameAddr(m.headers.get('To') ?? '');
  parseNameAddr(m.headers.get('From') ?? '');
  for (const via of m.headers.getAll('Via')) parseVia(via);
  for (const contact of m.headers.getAll('Contact')) if (contact !== '*') parseNameAddr(contact);
}

function preview(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}
