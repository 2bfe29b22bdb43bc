/**
 * Small linear scanners shared by the header-value parsers. Every loop advances by at least one
 * character, so nothing here can backtrack or hang.
 */

export interface Quoted {
  /** Content with backslash escapes removed. */
  text: string;
  /** Index just past the closing quote. */
  end: number;
}

/** Reads an RFC 3261 quoted-string starting at `s[start] === '"'`; `undefined` if unterminated. */
export function readQuoted(s: string, start: number): Quoted | undefined {
  let text = '';
  for (let i = start + 1; i < s.length; i++) {
    const ch = s.charAt(i);
    if (ch === '\\') {
      if (i + 1 >= s.length) return undefined;
      text += s.charAt(i + 1);
      i++;
    } else if (ch === '"') {
      return { text, end: i + 1 };
    } else {
      text += ch;
    }
  }
  return undefined;
}

/**
 * Splits on `sep` outside quoted strings and `<...>`. Returns `undefined` when a quote or angle
 * bracket is left open. Parts are trimmed; empty parts are kept (callers decide).
 */
export function splitTopLevel(s: string, sep: string): string[] | undefined {
  const parts: string[] = [];
  let from = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    if (inQuote) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuote = false;
    } else if (inAngle) {
      if (ch === '>') inAngle = false;
    } else if (ch === '"') {
      inQuote = true;
    } else if (ch === '<') {
      inAngle = true;
    } else if (ch === sep) {
      parts.push(s.slice(from, i).trim());
      from = i + 1;
    }
  }
  if (inQuote || inAngle) return undefined;
  parts.push(s.slice(from).trim());
  return parts;
}

/** Splits a list header's value on top-level commas, dropping empty elements (RFC 7230 style). */
export function splitList(value: string): string[] {
  const parts = splitTopLevel(value, ',');
  // An unbalanced value is not split: it stays one (probably invalid) element for the caller.
  if (parts === undefined) return value.trim() === '' ? [] : [value.trim()];
  return parts.filter((p) => p !== '');
}

/** Strips SP and HTAB only (String#trim would also eat BOMs and NBSPs that belong to the value). */
export function trimLws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charAt(a) === ' ' || s.charAt(a) === '\t')) a++;
  while (b > a && (s.charAt(b - 1) === ' ' || s.charAt(b - 1) === '\t')) b--;
  return s.slice(a, b);
}
