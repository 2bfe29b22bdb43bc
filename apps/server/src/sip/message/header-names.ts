/**
 * Header-name knowledge (RFC 3261 §7.3, §20 and extensions): compact forms, canonical spelling,
 * and which headers carry comma-separated lists.
 */

/** Compact forms: RFC 3261 §7.3.3, RFC 3515 (r), 3841 (a, j, d), 3892 (b), 3265 (o, u), 4028 (x). */
const COMPACT: Readonly<Record<string, string>> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

/** Spellings that title-casing each dash-separated word would get wrong. */
const SPECIAL: Readonly<Record<string, string>> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  rack: 'RAck',
  rseq: 'RSeq',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
};

/** Headers whose grammar is `#element`, so one line may carry several values. */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-contact',
  'accept-encoding',
  'accept-language',
  'alert-info',
  'allow',
  'allow-events',
  'call-info',
  'contact',
  'content-encoding',
  'content-language',
  'error-info',
  'history-info',
  'in-reply-to',
  'p-asserted-identity',
  'p-preferred-identity',
  'path',
  'proxy-require',
  'reason',
  'record-route',
  'reject-contact',
  'request-disposition',
  'require',
  'route',
  'security-client',
  'security-server',
  'security-verify',
  'service-route',
  'supported',
  'unsupported',
  'via',
  'warning',
]);

const TOKEN_CHARS = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** RFC 3261 §25.1 `token`. */
export function isToken(s: string): boolean {
  return TOKEN_CHARS.test(s);
}

/** Lower-case long form of a header name: `I` and `call-ID` both give `call-id`. */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

/** Canonical spelling used on the wire: `call-id` → `Call-ID`, `x-foo-bar` → `X-Foo-Bar`. */
export function canonicalName(name: string): string {
  const key = headerKey(name);
  const special = SPECIAL[key];
  if (special !== undefined) return special;
  return key
    .split('-')
    .map((w) => (w.length === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('-');
}

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(headerKey(name));
}
