/**
 * Splits a SIP byte stream (TCP) into messages (RFC 3261 §18.3): headers end at the first empty
 * line, Content-Length (required on streams) says how many body bytes follow. CRLF keep-alives
 * between messages (RFC 5626) are skipped. A stream that breaks the framing cannot be resynced,
 * so it is reported and the caller closes the connection.
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

export class StreamFramer {
  private buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageBytes = 64 * 1024) {}

  /** Adds bytes; returns every complete message now available (each as the raw bytes). */
  push(chunk: Uint8Array): Buffer[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : Buffer.from(chunk);
    const out: Buffer[] = [];
    for (;;) {
      let start = 0;
      while (start + 1 < this.buffer.length && this.buffer[start] === 13 && this.buffer[start + 1] === 10)
        start += 2;
      if (start) this.buffer = this.buffer.subarray(start);
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
      out.push(Buffer.from(this.buffer.subarray(0, total)));
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
