/**
 * SIP message serialiser: canonical header names, CRLF line ends, and a Content-Length that always
 * matches the body (replacing any existing one in place, or appended last).
 */

import type { SipMessage } from './sip-message.js';

const encoder = new TextEncoder();

export function serializeSipMessage(m: SipMessage): Uint8Array {
  const startLine = m.kind === 'request' ? `${m.method} ${m.uri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;
  const lines = [startLine];
  let wroteLength = false;
  for (const [name, value] of m.headers.entries()) {
    if (name === 'Content-Length') {
      if (!wroteLength) lines.push(`Content-Length: ${m.body.length}`);
      wroteLength = true;
    } else {
      lines.push(`${name}: ${value}`);
    }
  }
  if (!wroteLength) lines.push(`Content-Length: ${m.body.length}`);
  const head = encoder.encode(`${lines.join('\r\n')}\r\n\r\n`);
  const out = new Uint8Array(head.length + m.body.length);
  out.set(head, 0);
  out.set(m.body, head.length);
  return out;
}
