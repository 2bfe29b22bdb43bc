import type { EmailAddress } from '@parley/contract';

/** One address as a person reads it: `Kim Lee <kim@example.com>`, or the bare address. */
export function formatAddress(address: EmailAddress): string {
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

export function formatAddresses(addresses: EmailAddress[]): string {
  return addresses.map(formatAddress).join(', ');
}

// Close to what the server's `format: 'email'` takes: something@domain.tld, no spaces.
const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/;

export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && ADDRESS.test(text);
}

export interface ParsedAddresses {
  addresses: string[];
  /** What was typed that is not an address. */
  invalid: string[];
}

/**
 * Addresses typed into a To, Cc or Bcc field, separated by commas, semicolons or spaces; a
 * `Name <address>` pair gives its address.
 */
export function parseAddresses(text: string): ParsedAddresses {
  const addresses: string[] = [];
  const invalid: string[] = [];
  for (const part of text.split(/[,;]/)) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const bracketed = /<([^>]*)>\s*$/.exec(trimmed);
    const candidates = bracketed ? [bracketed[1]?.trim() ?? ''] : trimmed.split(/\s+/);
    for (const candidate of candidates) {
      if (isEmailAddress(candidate)) {
        if (!addresses.includes(candidate)) addresses.push(candidate);
      } else invalid.push(candidate || trimmed);
    }
  }
  return { addresses, invalid };
}

/** The addresses, without the mailbox's own and without repeats (case aside). */
export function withoutAddresses(addresses: string[], drop: string[]): string[] {
  const dropped = new Set(drop.map((a) => a.toLowerCase()));
  const kept: string[] = [];
  for (const address of addresses) {
    const key = address.toLowerCase();
    if (dropped.has(key)) continue;
    dropped.add(key);
    kept.push(address);
  }
  return kept;
}

export interface UnfinishedEntry {
  /** What comes before the entry being typed: the field's other entries, as typed. */
  before: string;
  /** The last entry, still being typed (trimmed): a name to look up, or part of an address. */
  entry: string;
}

/**
 * Splits a To, Cc or Bcc field into its last, unfinished entry and what comes before it. Entries
 * end at a comma or semicolon; addresses followed by a space count as finished too, so in
 * `ann@example.com Kim` the entry is `Kim`.
 */
export function unfinishedEntry(text: string): UnfinishedEntry {
  const cut = Math.max(text.lastIndexOf(','), text.lastIndexOf(';')) + 1;
  let before = text.slice(0, cut);
  let rest = text.slice(cut);
  for (let word = /^\s*(\S+)\s+/.exec(rest); word; word = /^\s*(\S+)\s+/.exec(rest)) {
    if (!isEmailAddress(word[1] ?? '')) break;
    before += word[0];
    rest = rest.slice(word[0].length);
  }
  return { before, entry: rest.trim() };
}

/** The field with its unfinished entry replaced by `address`, ready for the next one. */
export function withChosenAddress(text: string, address: string): string {
  const { before } = unfinishedEntry(text);
  const gap = before === '' || /\s$/.test(before) ? '' : ' ';
  return `${before}${gap}${address}, `;
}
