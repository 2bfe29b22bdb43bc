import { randomInt } from 'node:crypto';

/**
 * A thread's token goes in the subject of every reply ("Re: Your order [#K7P2QX9M]"), so a
 * customer whose client drops In-Reply-To and References still lands in the same thread.
 * Eight characters of an alphabet without look-alikes (no 0/O, 1/I/L).
 */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const TOKEN_IN_SUBJECT = /\[#([A-HJKMNP-Z2-9]{8})\]/;

export function newThreadToken(): string {
  let token = '';
  for (let i = 0; i < 8; i++) token += ALPHABET[randomInt(ALPHABET.length)];
  return token;
}

export function tokenInSubject(subject: string): string | null {
  return TOKEN_IN_SUBJECT.exec(subject)?.[1] ?? null;
}

/** The subject with the thread's token at its end, once. */
export function subjectWithToken(subject: string, token: string): string {
  const bare = subject.replace(TOKEN_IN_SUBJECT, '').trim();
  return `${bare} [#${token}]`.trim();
}

/** A thread's own subject: without "Re:", "Fwd:" and their kin, nor the token. */
export function baseSubject(subject: string): string {
  let s = subject.replace(TOKEN_IN_SUBJECT, '').trim();
  for (;;) {
    const next = s.replace(/^\s*(re|fw|fwd|aw|wg|sv|vs|rif|tr)\s*(\[\d+\])?\s*:\s*/i, '');
    if (next === s) return s.trim();
    s = next;
  }
}

/** "Re: …" for a reply, "Fwd: …" for a forward, from the subject of the message answered. */
export function replySubject(subject: string, kind: 'reply' | 'forward'): string {
  return `${kind === 'reply' ? 'Re' : 'Fwd'}: ${baseSubject(subject)}`;
}

/** A Message-ID of the platform's for a message sent from `address` (its domain on the right). */
export function newMessageId(id: string, address: string): string {
  const domain = address.split('@')[1]?.toLowerCase() || 'parley.invalid';
  return `${id}@${domain}`;
}
