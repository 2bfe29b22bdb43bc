/** Tokeniser for Digest auth-param lists (RFC 7235 §2.1 / RFC 2617): `Digest k=v, k="quoted, \"escaped\""`. */
import { DigestError } from './digest-error.js';

const MAX_HEADER_LENGTH = 8192;
const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/** Parses `Digest ...` into lower-cased keys; duplicates, bad syntax or another scheme are BAD_HEADER. */
export function parseDigestParams(value: string): Map<string, string> {
  if (typeof value !== 'string' || value.length > MAX_HEADER_LENGTH)
    throw new DigestError('BAD_HEADER', 'header missing or too long');
  const m = /^\s*digest\s+/i.exec(value);
  if (!m) throw new DigestError('BAD_HEADER', 'not a Digest header');
  const out = new Map<string, string>();
  let i = m[0].length;
  const s = value;
  const skipWs = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  while (i < s.length) {
    skipWs();
    const keyStart = i;
    while (i < s.length && TOKEN.test(s.charAt(i))) i++;
    const key = s.slice(keyStart, i).toLowerCase();
    if (!key) throw new DigestError('BAD_HEADER', `expected a parameter name at ${i}`);
    skipWs();
    if (s[i] !== '=') throw new DigestError('BAD_HEADER', `expected '=' after ${key}`);
    i++;
    skipWs();
    let val = '';
    if (s[i] === '"') {
      i++;
      let closed = false;
      while (i < s.length) {
        const c = s.charAt(i);
        if (c === '\\') {
          if (i + 1 >= s.length) break;
          val += s.charAt(i + 1);
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          val += c;
          i++;
        }
      }
      if (!closed) throw new DigestError('BAD_HEADER', `unterminated quoted value for ${key}`);
    } else {
      const start = i;
      while (i < s.length && TOKEN.test(s.charAt(i))) i++;
      val = s.slice(start, i);
      if (!val) throw new DigestError('BAD_HEADER', `empty value for ${key}`);
    }
    if (hasControl(val)) throw new DigestError('BAD_HEADER', `control character in ${key}`);
    if (out.has(key)) throw new DigestError('BAD_HEADER', `duplicate parameter ${key}`);
    out.set(key, val);
    skipWs();
    if (i >= s.length) break;
    if (s[i] !== ',') throw new DigestError('BAD_HEADER', `expected ',' after ${key}`);
    i++;
    skipWs();
    if (i >= s.length) throw new DigestError('BAD_HEADER', 'trailing comma');
  }
  if (out.size === 0) throw new DigestError('BAD_HEADER', 'no parameters');
  return out;
}

/** Quotes a value for a header, refusing what cannot be represented safely. */
export function quote(value: string): string {
  if (hasControl(value)) throw new DigestError('BAD_HEADER', 'control character in value');
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
