/**
 * Splits a SIP byte stream (TCP) into messages (RFC 3261 §18.3): headers end at the first empty
 * line, Content-Length (required on streams) says how many body bytes follow. CRLFs between
 * messages are skipped; each double CRLF is an RFC 5626 keep-alive ping, counted so the caller can
 * answer it. A stream that breaks the framing cannot be resynced, so it is reported and the caller
 * closes the connection.
 */
export class StreamFramingError extends Error {
  constructor(
    readonly code: 'MISSING_CONTENT_LENGTH' | 'BAD_CONTENT_LENGTH' | 'TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'StreamFramingError';
  }
}

const HEADER_END = Buffer.from('\r\n\r\n');

export interface Framed {
  /** Every complete message now available, each as its raw bytes. */
  messages: Buffer[];
  /** Keep-alive pings (double CRLF between messages) in this chunk; each wants a CRLF back. */
  pings: number;
}

export class StreamFramer {
  private buffer = Buffer.alloc(0);
  /** CRLFs seen in a row since the last message: a ping may arrive split across chunks. */
  private crlfRun = 0;

  constructor(private readonly maxMessageBytes = 64 * 1024) {}

  /** Bytes of a message begun but not yet complete. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Adds bytes; returns the complete messages and the keep-alive pings now available. */
  push(chunk: Uint8Array): Framed {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : Buffer.from(chunk);
    const out: Framed = { messages: [], pings: 0 };
    for (;;) {
      let start = 0;
      while (start + 1 < this.buffer.length && this.buffer[start] === 13 && this.buffer[start + 1] === 10) {
        start += 2;
        if (++this.crlfRun === 2) {
          out.pings++;
          this.crlfRun = 0;
        }
      }
      if (start) this.buffer = this.buffer.subarray(start);
      if (this.buffer.length > 0 && this.buffer[0] !== 13) this.crlfRun = 0;
      const end = this.buffer.indexOf(HEADER_END);
      if (end < 0) {
        if (this.buffer.length > this.maxMessageBytes) {
          throw new StreamFramingError('TOO_LARGE', 'header section too large');
        }
        return out;
      }
      const length = contentLength(this.buffer.subarray(0, end).toString('latin1'));
      const total = end + HEADER_END.length + length;
      if (total > this.maxMessageBytes) throw new StreamFramingError('TOO_LARGE', 'message too large');
      if (this.buffer.length < total) return out;
      out.messages.push(Buffer.from(this.buffer.subarray(0, total)));
      this.buffer = this.buffer.subarray(total);
    }
  }
}

function contentLength(head: string): number {
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name !== 'content-length' && name !== 'l') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,7}$/.test(value))
      throw new StreamFramingError('BAD_CONTENT_LENGTH', `bad Content-Length "${value}"`);
    return Number(value);
  }
  throw new StreamFramingError('MISSING_CONTENT_LENGTH', 'Content-Length is required on a stream transport');
}
