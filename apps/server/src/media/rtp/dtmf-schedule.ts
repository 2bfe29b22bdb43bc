import { type DtmfPacket, dtmfPackets } from './rfc4733.js';

const TICK_MS = 20;

export type DtmfTick = { send: 'audio' } | { send: 'nothing' } | { send: 'dtmf'; packet: DtmfPacket };

/** The answers that carry no packet, shared (every tick of every leg asks). */
const AUDIO: DtmfTick = Object.freeze({ send: 'audio' });
const NOTHING: DtmfTick = Object.freeze({ send: 'nothing' });

/**
 * Paces outgoing RFC 4733 key presses on the caller's 20 ms ticks (the endpoint owns no timer).
 * A press starts on the tick after it is queued, at that tick's RTP timestamp, so every press
 * has its own timestamp; its packets go out on the ticks nearest their `sendAtMs`, audio being
 * suppressed for the press, and `gapMs` of audio separates consecutive presses.
 */
export class DtmfSchedule {
  private readonly queue: string[] = [];
  private packets: DtmfPacket[] = [];
  private elapsedMs = 0;
  private gapTicks = 0;

  constructor(private readonly options: { durationMs?: number; gapMs?: number } = {}) {}

  /** Queues a digit; throws RangeError for anything but 0-9 * # A-D. */
  push(digit: string): void {
    dtmfPackets(digit, { startTimestamp: 0, durationMs: this.options.durationMs });
    this.queue.push(digit);
  }

  /** What to send on this tick, whose audio would carry RTP timestamp `timestamp`. */
  next(timestamp: number): DtmfTick {
    if (this.packets.length === 0) {
      if (this.gapTicks > 0) {
        this.gapTicks -= 1;
        return AUDIO;
      }
      const digit = this.queue.shift();
      if (digit === undefined) return AUDIO;
      this.packets = dtmfPackets(digit, { startTimestamp: timestamp, durationMs: this.options.durationMs });
      this.elapsedMs = 0;
    } else {
      this.elapsedMs += TICK_MS;
    }
    const packet = this.packets[0];
    if (!packet || packet.sendAtMs > this.elapsedMs) return NOTHING;
    this.packets.shift();
    if (this.packets.length === 0) this.gapTicks = Math.round((this.options.gapMs ?? 40) / TICK_MS);
    return { send: 'dtmf', packet };
  }

  clear(): void {
    this.queue.length = 0;
    this.packets = [];
    this.gapTicks = 0;
  }
}
