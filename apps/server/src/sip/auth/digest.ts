/**
 * HTTP Digest authentication for SIP (RFC 2617, RFC 7616, RFC 3261 §22): MD5 and SHA-256
 * (plus their -sess variants), qop=auth, qop=auth-int and the RFC 2069 no-qop form.
 * Both directions: challenging (registrar, our server) and answering (our UAC to a trunk).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DigestError } from './digest-error.js';
import { parseDigestParams, quote } from './digest-params.js';
import type { DigestAlgorithm, DigestChallenge, DigestCredentials, Qop } from './digest-types.js';

export { DigestError, type DigestErrorCode } from './digest-error.js';

export type { DigestAlgorithm, DigestChallenge, DigestCredentials, Qop } from './digest-types.js';

const ALGORITHMS: Record<string, DigestAlgorithm> = {
  md5: 'MD5',
  'md5-sess': 'MD5-sess',
  'sha-256': 'SHA-256',
  'sha-256-sess': 'SHA-256-sess',
};

export function createChallenge(o: {
  realm: string;
  algorithm?: 'MD5' | 'SHA-256';
  nonce?: string;
  opaque?: string;
  stale?: boolean;
}): { header: string; nonce: string } {
  const nonce = o.nonce ?? randomBytes(24).toString('base64url');
  const parts = [
    `realm=${quote(o.realm)}`,
    `nonce=${quote(nonce)}`,
    `algorithm=${o.algorithm ?? 'MD5'}`,
    'qop="auth"',
  ];
  if (o.opaque !== undefined) parts.push(`opaque=${quote(o.opaque)}`);
  if (o.stale) parts.push('stale=true');
  return { header: `Digest ${parts.join(', ')}`, nonce };
}

/** Parses an Authorization / Proxy-Authorization header value. Throws DigestError only. */
export function parseAuthorization(value: string): DigestCredentials {
  const p = parseDigestParams(value);
  const need = (k: string): string => {
    const v = p.get(k);
    if (v === undefined) throw new DigestError('MISSING_FIELD', `missing ${k}`);
    return v;
  };
  const algorithm = parseAlgorithm(p.get('algorithm'));
  const creds: DigestCredentials = {
    username: need('username'),
    realm: need('realm'),
    nonce: need('nonce'),
    uri: need('uri'),
    response: need('response').toLowerCase(),
    algorithm,
  };
  if (!/^[0-9a-f]+$/.test(creds.response) || creds.response.length !== hexLength(algorithm)) {
    throw new DigestError('BAD_HEADER', 'response is not a digest of the right length');
  }
  const qop = p.get('qop');
  if (qop !== undefined) {
    const q = qop.toLowerCase();
    if (q !== 'auth' && q !== 'auth-int') throw new DigestError('BAD_HEADER', `unknown qop ${qop}`);
    creds.qop = q;
    creds.cnonce = need('cnonce');
    const nc = need('nc');
    if (!/^[0-9a-fA-F]{8}$/.test(nc)) throw new DigestError('BAD_HEADER', 'nc must be 8 hex digits');
    creds.nc = nc;
  } else if (algorithm.endsWith('-sess')) {
    creds.cnonce = need('cnonce');
  }
  const opaque = p.get('opaque');
  if (opaque !== undefined) creds.opaque = opaque;
  return creds;
}

/**
 * Checks credentials against a password or a stored H(username:realm:password).
 * 'stale' only for a correct digest over a nonce the server no longer accepts (RFC 7616 §3.3).
 * The caller still checks that creds.uri matches the Request-URI and tracks nc for replay.
 */
export function verifyDigest(
  creds: DigestCredentials,
  o: {
    method: string;
    password?: string;
    ha1?: string;
    expectedRealm: string;
    isNonceValid: (nonce: string) => boolean;
    body?: Uint8Array;
  },
): 'ok' | 'stale' | 'bad' {
  if (creds.realm !== o.expectedRealm) return 'bad';
  const len = hexLength(creds.algorithm);
  let base: string;
  if (o.ha1 !== undefined) base = o.ha1.toLowerCase();
  else if (o.password !== undefined) base = ha1(creds.username, creds.realm, o.password, creds.algorithm);
  else return 'bad';
  if (base.length !== len || !/^[0-9a-f]+$/.test(base)) return 'bad';
  let expected: string;
  try {
    expected = computeResponse(creds.algorithm, base, {
      nonce: creds.nonce,
      method: o.method,
      uri: creds.uri,
      qop: creds.qop,
      cnonce: creds.cnonce,
      nc: creds.nc,
      body: o.body,
    });
  } catch (err) {
    if (err instanceof DigestError) return 'bad';
    throw err;
  }
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(creds.response.toLowerCase(), 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'bad';
  return o.isNonceValid(creds.nonce) ? 'ok' : 'stale';
}

/** H(username:realm:password) for the algorithm's hash (the -sess variants use the same stored value). */
export function ha1(
  username: string,
  realm: string,
  password: string,
  algorithm: DigestAlgorithm = 'MD5',
): string {
  return hash(algorithm, `${username}:${realm}:${password}`);
}

/** Parses a WWW-Authenticate / Proxy-Authenticate header value. Throws DigestError only. */
export function parseChallenge(value: string): DigestChallenge {
  const p = parseDigestParams(value);
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  if (realm === undefined) throw new DigestError('MISSING_FIELD', 'missing realm');
  if (nonce === undefined) throw new DigestError('MISSING_FIELD', 'missing nonce');
  const ch: DigestChallenge = { realm, nonce, algorithm: parseAlgorithm(p.get('algorithm')), stale: false };
  const qop = p.get('qop');
  if (qop !== undefined) {
    const offered = qop.split(',').map((q) => q.trim().toLowerCase());
    ch.qop = offered.filter((q): q is Qop => q === 'auth' || q === 'auth-int');
  }
  const opaque = p.get('opaque');
  if (opaque !== undefined) ch.opaque = opaque;
  ch.stale = p.get('stale')?.toLowerCase() === 'true';
  return ch;
}

/** Builds the Authorization / Proxy-Authorization header value answering a challenge. */
export function answerChallenge(
  ch: DigestChallenge,
  o: {
    username: string;
    password: string;
    method: string;
    uri: string;
    cnonce?: string;
    nc?: number;
    body?: Uint8Array;
  },
): string {
  let qop: Qop | undefined;
  if (ch.qop !== undefined) {
    if (ch.qop.includes('auth')) qop = 'auth';
    else if (ch.qop.includes('auth-int')) qop = 'auth-int';
    else throw new DigestError('UNSUPPORTED_QOP', 'challenge offers no supported qop');
  }
  const sess = ch.algorithm.endsWith('-sess');
  const cnonce = qop || sess ? (o.cnonce ?? randomBytes(12).toString('hex')) : undefined;
  const ncNum = o.nc ?? 1;
  if (!Number.isInteger(ncNum) || ncNum < 1 || ncNum > 0xffffffff)
    throw new RangeError('nc must be 1..2^32-1');
  const nc = qop ? ncNum.toString(16).padStart(8, '0') : undefined;
  const response = computeResponse(ch.algorithm, ha1(o.username, ch.realm, o.password, ch.algorithm), {
    nonce: ch.nonce,
    method: o.method,
    uri: o.uri,
    qop,
    cnonce,
    nc,
    body: o.body,
  });
  const parts = [
    `username=${quote(o.username)}`,
    `realm=${quote(ch.realm)}`,
    `nonce=${quote(ch.nonce)}`,
    `uri=${quote(o.uri)}`,
    `response="${response}"`,
    `algorithm=${ch.algorithm}`,
  ];
  if (cnonce !== undefined) parts.push(`cnonce=${quote(cnonce)}`);
  if (qop && nc) parts.push(`qop=${qop}`, `nc=${nc}`);
  if (ch.opaque !== undefined) parts.push(`opaque=${quote(ch.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

interface ResponseInput {
  nonce: string;
  method: string;
  uri: string;
  qop: Qop | undefined;
  cnonce: string | undefined;
  nc: string | undefined;
  body: Uint8Array | undefined;
}

function computeResponse(alg: DigestAlgorithm, baseHa1: string, r: ResponseInput): string {
  let h1 = baseHa1;
  if (alg.endsWith('-sess')) {
    if (r.cnonce === undefined) throw new DigestError('MISSING_FIELD', 'cnonce required for -sess');
    h1 = hash(alg, `${baseHa1}:${r.nonce}:${r.cnonce}`);
  }
  const a2 =
    r.qop === 'auth-int'
      ? `${r.method}:${r.uri}:${hash(alg, r.body ?? new Uint8Array())}`
      : `${r.method}:${r.uri}`;
  const h2 = hash(alg, a2);
  if (r.qop === undefined) return hash(alg, `${h1}:${r.nonce}:${h2}`);
  if (r.cnonce === undefined || r.nc === undefined)
    throw new DigestError('MISSING_FIELD', 'cnonce and nc required with qop');
  return hash(alg, `${h1}:${r.nonce}:${r.nc}:${r.cnonce}:${r.qop}:${h2}`);
}

function parseAlgorithm(v: string | undefined): DigestAlgorithm {
  if (v === undefined) return 'MD5';
  const alg = Object.hasOwn(ALGORITHMS, v.toLowerCase()) ? ALGORITHMS[v.toLowerCase()] : undefined;
  if (!alg) throw new DigestError('UNSUPPORTED_ALGORITHM', `unsupported algorithm ${v}`);
  return alg;
}

function hexLength(alg: DigestAlgorithm): number {
  return alg.startsWith('SHA-256') ? 64 : 32;
}

function hash(alg: DigestAlgorithm, data: string | Uint8Array): string {
  return createHash(alg.startsWith('SHA-256') ? 'sha256' : 'md5')
    .update(data)
    .digest('hex');
}
