/**
 * Parsers for structured header values: name-addr / addr-spec (From, To, Contact, Route...),
 * Via, CSeq. All throw `SipParseError` with code `BAD_HEADER` (or `BAD_CSEQ`) on malformed input.
 */

import { isToken } from './header-names.js';
import { readQuoted, splitTopLevel } from './lexer.js';
import { SipParseError } from './sip-message.js';

export type SipParams = Record<string, string | null>;

export interface NameAddr {
  displayName?: string;
  uri: string;
  /** Header parameters (after `>`, or after the addr-spec); names lower-cased, values as written. */
  params: SipParams;
}

export interface Via {
  /** e.g. `SIP/2.0`, upper-cased. */
  protocol: string;
  /** Upper-cased: `UDP`, `TCP`, `TLS`, `WS`, `WSS`... */
  transport: string;
  host: string;
  port?: number;
  params: SipParams;
}

export interface CSeq {
  seq: number;
  method: string;
}

function bad(what: string, value: string): SipParseError {
  return new SipParseError('BAD_HEADER', `malformed ${what}: ${JSON.stringify(value.slice(0, 100))}`);
}

/** Parses `;name=value;flag` (the leading `;` optional). Names are lower-cased; `flag` → null. */
export function parseParams(s: string): SipParams {
  const params: SipParams = {};
  const text = s.trim();
  if (text === '') return params;
  const parts = splitTopLevel(text.startsWith(';') ? text.slice(1) : text, ';');
  if (parts === undefined) throw bad('parameters', s);
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!isToken(name)) throw bad('parameters', s);
    const value = eq < 0 ? null : part.slice(eq + 1).trim();
    if (value !== null && (value === '' || (/\s/.test(value) && !value.startsWith('"')))) {
      throw bad('parameters', s);
    }
    params[name] = value;
  }
  return params;
}

const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

/** RFC 3261 §25.1 `absoluteURI`-ish check: a scheme, a colon, no whitespace. */
export function isUri(s: string): boolean {
  return URI_SCHEME.test(s);
}

/**
 * `"Display \"Name\"" <sip:u@h;uri-param>;tag=x`, `Bob <sip:b@h>`, or a bare addr-spec
 * `sip:u@h;tag=x` (where the parameters belong to the header, RFC 3261 §20.10).
 */
export function parseNameAddr(value: string): NameAddr {
  const s = value.trim();
  let i = 0;
  let displayName: string | undefined;
  if (s.startsWith('"')) {
    const q = readQuoted(s, 0);
    if (q === undefined) throw bad('name-addr (unterminated quoted string)', value);
    displayName = q.text;
    i = q.end;
    while (s.charAt(i) === ' ' || s.charAt(i) === '\t') i++;
    if (s.charAt(i) !== '<') throw bad('name-addr', value);
  } else {
    const lt = s.indexOf('<');
    if (lt < 0) {
      const semi = s.indexOf(';');
      const uri = (semi < 0 ? s : s.slice(0, semi)).trim();
      if (!isUri(uri) || uri.includes(',') || uri.includes('?')) throw bad('addr-spec', value);
      return { uri, params: semi < 0 ? {} : parseParams(s.slice(semi)) };
    }
    const name = s.slice(0, lt).trim().replace(/\s+/g, ' ');
    if (name !== '' && !name.split(' ').every(isToken)) throw bad('display name', value);
    if (name !== '') displayName = name;
    i = lt;
  }
  const gt = s.indexOf('>', i);
  if (gt < 0) throw bad('name-addr (missing >)', value);
  const uri = s.slice(i + 1, gt).trim();
  if (!isUri(uri)) throw bad('name-addr URI', value);
  const rest = s.slice(gt + 1).trim();
  if (rest !== '' && !rest.startsWith(';')) throw bad('name-addr', value);
  const result: NameAddr = { uri, params: parseParams(rest) };
  if (displayName !== undefined) result.displayName = displayName;
  return result;
}

/** `SIP / 2.0 / UDP host:port;branch=...` (LWS allowed around `/` and `:`). */
export function parseVia(value: string): Via {
  const semi = value.indexOf(';');
  const head = (semi < 0 ? value : value.slice(0, semi)).trim();
  const params = semi < 0 ? {} : parseParams(value.slice(semi));
  const slashes = head.split('/');
  if (slashes.length !== 3) throw bad('Via', value);
  const name = (slashes[0] ?? '').trim();
  const version = (slashes[1] ?? '').trim();
  const last = (slashes[2] ?? '').trim();
  const sp = last.search(/\s/);
  if (sp < 0) throw bad('Via', value);
  const transport = last.slice(0, sp);
  const sentBy = last.slice(sp).trim();
  if (![name, version, transport].every(isToken)) throw bad('Via', value);
  let host: string;
  let portText: string | undefined;
  if (sentBy.startsWith('[')) {
    const close = sentBy.indexOf(']');
    if (close < 0 || !/^\[[0-9A-Fa-f:.]+\]$/.test(sentBy.slice(0, close + 1))) throw bad('Via host', value);
    host = sentBy.slice(0, close + 1);
    const after = sentBy.slice(close + 1).trim();
    if (after !== '') {
      if (!after.startsWith(':')) throw bad('Via', value);
      portText = after.slice(1).trim();
    }
  } else {
    const colon = sentBy.indexOf(':');
    host = (colon < 0 ? sentBy : sentBy.slice(0, colon)).trim();
    if (colon >= 0) portText = sentBy.slice(colon + 1).trim();
    if (!/^[A-Za-z0-9.\-_]+$/.test(host)) throw bad('Via host', value);
  }
  const via: Via = {
    protocol: `${name}/${version}`.toUpperCase(),
    transport: transport.toUpperCase(),
    host,
    params,
  };
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw bad('Via port', value);
    via.port = Number(portText);
  }
  return via;
}

/** `4711 INVITE`: a sequence number below 2**31 (RFC 3261 §8.1.1.5) and a method token. */
export function parseCSeq(value: string): CSeq {
  const m = /^(\d{1,10})[ \t]+(\S+)$/.exec(value.trim());
  const seq = m === null ? Number.NaN : Number(m[1]);
  const method = m?.[2] ?? '';
  if (!(seq < 2 ** 31) || !isToken(method)) {
    throw new SipParseError('BAD_CSEQ', `malformed CSeq: ${JSON.stringify(value.slice(0, 100))}`);
  }
  return { seq, method };
}
