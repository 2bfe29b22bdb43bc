/** A piece of a message: text to show as text, or an http(s) link. */
export type Segment = { type: 'text'; text: string } | { type: 'link'; text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the address it follows. */
const TRAILING = /[.,;:!?'"*_]+$/;

/** Drops trailing punctuation and a closing bracket that has no opening one inside the address. */
function trimAddress(candidate: string): string {
  let url = candidate;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING, '');
    for (const [open, close] of [
      ['(', ')'],
      ['[', ']'],
      ['{', '}'],
    ] as const) {
      if (url.endsWith(close) && count(url, close) > count(url, open)) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** The address as a link target, or null when it is not a well-formed http(s) URL. */
function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Splits a message into text and links. Only http(s) addresses become links; everything else,
 * markup included, stays text for the caller to show with textContent.
 */
export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let rest = 0;
  const push = (t: string) => {
    if (!t) return;
    const last = segments.at(-1);
    if (last?.type === 'text') last.text += t;
    else segments.push({ type: 'text', text: t });
  };
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const address = trimAddress(match[0]);
    const href = safeHref(address);
    if (!href || address.length <= 'https://'.length) continue;
    push(text.slice(rest, start));
    segments.push({ type: 'link', text: address, href });
    rest = start + address.length;
  }
  push(text.slice(rest));
  return segments;
}
