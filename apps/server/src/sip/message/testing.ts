/** Test helpers shared by the message-layer tests. */

import type { SipMessage } from './sip-message.js';

/** Comparable shape of a message: everything but Content-Length, which the serialiser rewrites. */
export function structure(m: SipMessage): unknown {
  const { headers, body, ...rest } = m;
  const lines = headers.entries().filter(([n]) => n !== 'Content-Length');
  return { ...rest, lines, body: Array.from(body) };
}
