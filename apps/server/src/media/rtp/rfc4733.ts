/**
 * RFC 4733 telephone-events (DTMF over RTP): payload codec, a receiver that turns the packet
 * stream into key presses, and the packet sequence for sending a key.
 *
 * Payload: event (8 bits) | E (1) R (1) volume (6) | duration (16, in timestamp units).
 */

export interface DtmfEvent {
  digit: string;
  end: boolean;
  /** Power level in -dBm0 (0..63; 10 is typical). */
  volume: number;
  /** In RTP timestamp units since the event's timestamp. */
  duration: number;
}

const DIGITS = '0123456789*#ABCD';

export class TelephoneEventError extends Error {
  override readonly name = 'TelephoneEventError';
  constructor(
    readonly code: 'TOO_SHORT' | 'UNSUPPORTED_EVENT',
    message: string,
  ) {
    super(message);
  }
}

/** Throws TelephoneEventError for payloads under 4 bytes and events other than 0-15 (e.g. flash). */
export function parseTelephoneEvent(payload: Uint8Array): DtmfEvent {
  if (payload.length < 4)
    throw new TelephoneEventError('TOO_SHORT', `telephone-event of ${payload.length} bytes`);
  const event = payload[0] ?? 0;
  const digit = DIGITS[event];
  if (digit === undefined) throw new TelephoneEventError('UNSUPPORTED_EVENT', `telephone-event ${event}`);
  const flags = payload[1] ?? 0;
  return {
    digit,
    end: (flags & 0x80) !== 0,
    volume: flags & 0x3f,
    duration: ((payload[2] ?? 0) << 8) | (payload[3] ?? 0),
  };
}

function eventCode(digit: string): number {
  const code = digit.length === 1 ? DIGITS.indexOf(digit.toUpperCase()) : -1;
  if (code < 0) throw new RangeError(`not a DTMF digit: ${JSON.stringify(digit)}`);
  return code;
}

export function encodeTelephoneEvent(e: DtmfEvent): Uint8Array {
  if (!Number.isInteger(e.volume) || e.volume < 0 || e.volume > 63) {
    throw new RangeError(`telephone-event volume out of range: ${e.volume}`);
  }
  if (!Number.isInteger(e.duration) || e.duration < 0 || e.duration > 0xffff) {
    throw new RangeError(`telephone-event duration out of range: ${e.duration}`);
  }
  return Uint8Array.of(eventCode(e.digit), (e.end ? 0x80 : 0) | e.volume, e.duration >> 8, e.duration & 0xff);
}

/**
 * Reports each key press once. All packets of one press (start, updates, the redundant end
 * packets) share the RTP timestamp, and a new press gets a new one, so a press is identified by
 * (timestamp, digit): the first packet seen for it reports the digit (lowest latency, and
 * still works when the start packets are lost). A different digit under the same timestamp
 * counts as a new press (captures that reuse one timestamp); a packet with a timestamp older
 * than the last press is a straggler and is ignored. Malformed or non-digit events are ignored.
 */
export class DtmfReceiver {
  private lastTimestamp = 0;
  private lastDigit = '';

  push(timestamp: number, payload: Uint8Array): string | undefined {
    let event: DtmfEvent;
    try {
      event = parseTelephoneEvent(payload);
    } catch {
      return undefined;
    }
    const ts = timestamp >>> 0;
    if (this.lastDigit !== '') {
      // Serial-number comparison: RTP timestamps wrap at 2^32.
      const age = (ts - this.lastTimestamp) | 0;
      if (age < 0 || (age === 0 && event.digit === this.lastDigit)) return undefined;
    }
    this.lastTimestamp = ts;
    this.lastDigit = event.digit;
    return event.digit;
  }
}

export interface DtmfPacket {
  marker: boolean;
  timestamp: number;
  payload: Uint8Array;
  /** When to send it, in ms after the first packet. */
  sendAtMs: number;
}

/**
 * The packets for one key press, all with the press's timestamp: the start (marker set), an
 * update every 50 ms carrying the growing duration, then three identical end packets 20 ms
 * apart (redundancy against loss, RFC 4733 §2.5.1.4). Default 100 ms at volume 10.
 */
export function dtmfPackets(
  digit: string,
  options: { startTimestamp: number; durationMs?: number; sampleRate?: number; volume?: number },
): DtmfPacket[] {
  const rate = options.sampleRate ?? 8000;
  const durationMs = options.durationMs ?? 100;
  const volume = options.volume ?? 10;
  const total = Math.round((durationMs * rate) / 1000);
  if (total <= 0 || total > 0xffff) throw new RangeError(`DTMF duration out of range: ${durationMs} ms`);
  const timestamp = options.startTimestamp >>> 0;
  const step = Math.round((50 * rate) / 1000);
  const packets: DtmfPacket[] = [];
  const add = (marker: boolean, end: boolean, duration: number, sendAtMs: number) => {
    packets.push({
      marker,
      timestamp,
      payload: encodeTelephoneEvent({ digit, end, volume, duration }),
      sendAtMs,
    });
  };
  add(true, false, Math.min(step, total), 0);
  for (let d = 2 * step, at = 50; d < total; d += step, at += 50) add(false, false, d, at);
  for (let i = 0; i < 3; i++) add(false, true, total, durationMs + 20 * i);
  return packets;
}
