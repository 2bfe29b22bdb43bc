/**
 * SIP message model (RFC 3261 §7). Header names are stored in canonical long form, so `i`, `CALL-ID`
 * and `call-id` are the same header; values are stored exactly as they appeared on one header line
 * (folded lines joined with a single space).
 */

import { canonicalName, headerKey, isListHeader, isToken } from './header-names.js';
import { splitList, trimLws } from './lexer.js';

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  version: 'SIP/2.0';
  headers: SipHeaders;
  body: Uint8Array;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  version: 'SIP/2.0';
  headers: SipHeaders;
  body: Uint8Array;
}

export type SipMessage = SipRequest | SipResponse;

export type SipParseErrorCode =
  | 'EMPTY'
  | 'TOO_LARGE'
  | 'BAD_START_LINE'
  | 'BAD_VERSION'
  | 'BAD_HEADER'
  | 'BAD_CONTENT_LENGTH'
  | 'TRUNCATED_BODY'
  | 'MISSING_HEADER'
  | 'BAD_CSEQ'
  | 'CSEQ_MISMATCH';

export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  constructor(
    readonly code: SipParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface HeaderLine {
  /** Lower-case long form, for lookups. */
  key: string;
  name: string;
  value: string;
}

/** Ordered multimap of header lines with case-insensitive, compact-form-aware names. */
export class SipHeaders {
  readonly #lines: HeaderLine[] = [];

  constructor(init?: Iterable<readonly [string, string]>) {
    if (init !== undefined) for (const [name, value] of init) this.append(name, value);
  }

  /** First value: for list headers the first list element, otherwise the first line's value. */
  get(name: string): string | undefined {
    if (isListHeader(name)) return this.getAll(name)[0];
    const key = headerKey(name);
    return this.#lines.find((l) => l.key === key)?.value;
  }

  /** Every value in order; list headers (Via, Contact, Route, Allow...) are split on top-level commas. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const lines = this.#lines.filter((l) => l.key === key).map((l) => l.value);
    return isListHeader(name) ? lines.flatMap(splitList) : lines;
  }

  has(name: string): boolean {
    const key = headerKey(name);
    return this.#lines.some((l) => l.key === key);
  }

  /** Replaces every line of `name` with one line, at the position of the first one (or at the end). */
  set(name: string, value: string): this {
    const line = checkedLine(name, value);
    const key = headerKey(name);
    const at = this.#lines.findIndex((l) => l.key === key);
    if (at < 0) {
      this.#lines.push(line);
      return this;
    }
    this.delete(name);
    this.#lines.splice(at, 0, line);
    return this;
  }

  append(name: string, value: string): this {
    this.#lines.push(checkedLine(name, value));
    return this;
  }

  /** Removes every line of `name`; returns whether there was one. */
  delete(name: string): boolean {
    const key = headerKey(name);
    const before = this.#lines.length;
    for (let i = this.#lines.length - 1; i >= 0; i--) {
      const line = this.#lines[i];
      if (line !== undefined && line.key === key) this.#lines.splice(i, 1);
    }
    return this.#lines.length !== before;
  }

  /** Header lines in order as `[canonicalName, value]`. */
  entries(): Array<[string, string]> {
    return this.#lines.map((l) => [l.name, l.value]);
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.entries()[Symbol.iterator]();
  }

  get size(): number {
    return this.#lines.length;
  }

  clone(): SipHeaders {
    return new SipHeaders(this.entries());
  }
}

/** Refuses names that are not tokens and values that would break the framing (header injection). */
function checkedLine(name: string, value: string): HeaderLine {
  if (!isToken(name)) throw new RangeError(`invalid SIP header name ${JSON.stringify(name)}`);
  if (/[\r\n]/.test(value)) throw new RangeError(`SIP header ${name} value contains CR or LF`);
  return { key: headerKey(name), name: canonicalName(name), value: trimLws(value) };
}
