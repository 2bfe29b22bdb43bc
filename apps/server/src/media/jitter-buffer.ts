/**
 * A re-framing jitter buffer. Packets of any length (senders use 20 or 30 ms) are written into
 * a ring of samples at their RTP timestamp, so reordering needs no sorting and 30 ms packets
 * come out as 20 ms frames with nothing lost. pull() reads the next frame from the playout
 * position; samples nobody sent are silence.
 *
 * - Playout starts once depthFrames of audio are buffered, or the first packet has waited
 *   depthFrames pulls (so latency stays bounded for a stream that sends very little).
 * - When the buffer runs dry (talkspurt end, delay spike) playout pauses without moving the
 *   playout position, and restarts after buffering again at the next packet's timestamp: a
 *   silence-suppressed gap or a delay spike costs no lost audio and no endless silence.
 * - Packets wholly before what was already played are late and dropped; a packet overlapping
 *   one already buffered is a duplicate and dropped. Several consecutive late packets mean
 *   the sender restarted its timestamps: the buffer resets and follows it.
 * - At most maxFrames of audio are held: a packet beyond that drops the oldest audio.
 * - Timestamps (2^32) and sequence numbers (2^16) are extended across wrap-around relative to
 *   the last packet; sequence numbers only feed the loss statistics.
 */

export interface JitterBufferOptions {
  /** Target latency in frames; default 3 (60 ms). */
  depthFrames?: number;
  /** Most audio held, in frames; default depthFrames + 6. */
  maxFrames?: number;
  /** Samples per output frame; default 160 (20 ms at 8 kHz). */
  frameSamples?: number;
}

export interface JitterBufferStats {
  packets: number;
  late: number;
  duplicates: number;
  /** Packets missing by sequence number (expected - received), never negative. */
  lost: number;
  /** Samples thrown away because the buffer was over maxFrames. */
  overflowSamples: number;
  /** Samples played as silence while playing because nothing arrived for them. */
  missingSamples: number;
  resets: number;
}

/** Consecutive late packets after which the sender is taken to have restarted its stream. */
const RESYNC_AFTER_LATE = 8;

export class JitterBuffer {
  private readonly frame: number;
  private readonly depth: number;
  private readonly cap: number;
  private readonly data: Int16Array;
  private readonly valid: Uint8Array;
  private anchored = false;
  private playing = false;
  /** Extended timestamp of the next sample to play. */
  private playout = 0;
  /** End of everything already played: packets ending at or before it are late. */
  private floor = Number.NEGATIVE_INFINITY;
  /** End (extended timestamp) of the newest audio buffered. */
  private highestEnd = 0;
  private lastTs = 0;
  private waited = 0;
  private lateRun = 0;
  private firstSeq = 0;
  private highestSeq = -1;
  private lastSeq = -1;
  private received = 0;
  private readonly counters: JitterBufferStats = {
    packets: 0,
    late: 0,
    duplicates: 0,
    lost: 0,
    overflowSamples: 0,
    missingSamples: 0,
    resets: 0,
  };

  constructor(options: JitterBufferOptions = {}) {
    this.frame = options.frameSamples ?? 160;
    this.depth = Math.max(1, Math.floor(options.depthFrames ?? 3));
    const maxFrames = Math.max(this.depth + 2, Math.floor(options.maxFrames ?? this.depth + 6));
    this.cap = maxFrames * this.frame;
    this.data = new Int16Array(this.cap);
    this.valid = new Uint8Array(this.cap);
  }

  get stats(): JitterBufferStats {
    const expected = this.highestSeq < 0 ? 0 : this.highestSeq - this.firstSeq + 1;
    return { ...this.counters, lost: Math.max(0, expected - this.received) };
  }

  /** Samples buffered ahead of the playout position. */
  get bufferedSamples(): number {
    return this.anchored ? Math.max(0, this.highestEnd - this.playout) : 0;
  }

  push(seq: number, timestamp: number, payloadPcm: Int16Array): void {
    const len = payloadPcm.length;
    if (len === 0) return;
    this.counters.packets++;
    const ts = this.anchored ? this.lastTs + ((timestamp - this.lastTs) | 0) : timestamp >>> 0;
    const end = ts + len;
    if (this.anchored && end <= this.floor) {
      this.late(seq, timestamp, payloadPcm);
      return;
    }
    const xseq =
      this.highestSeq < 0 ? seq & 0xffff : this.highestSeq + (((seq - this.highestSeq) << 16) >> 16);
    if (xseq === this.lastSeq) {
      this.counters.duplicates++;
      return;
    }
    this.lateRun = 0;
    this.lastTs = ts;
    if (!this.anchored) {
      this.anchored = true;
      this.playout = ts;
      this.highestEnd = ts;
    } else if (!this.playing) {
      const target = Math.max(ts, this.floor);
      if (this.highestEnd <= this.playout) {
        // Empty: the ring is all clear, so the playout position can move anywhere.
        this.playout = target;
        this.highestEnd = target;
      } else if (target < this.playout) {
        // Reordered packet before playout started: move back, within the ring.
        this.playout = Math.max(target, this.highestEnd - this.cap);
      }
    }
    if (end > this.playout + this.cap) this.dropOldest(end - this.cap);
    const from = Math.max(ts, this.playout);
    if (from >= end) {
      this.counters.late++;
      return;
    }
    let idx = this.index(from);
    if (this.valid[idx] === 1) {
      this.counters.duplicates++;
      return;
    }
    this.lastSeq = xseq;
    if (this.highestSeq < 0) this.firstSeq = xseq;
    if (xseq > this.highestSeq) this.highestSeq = xseq;
    this.received++;
    if (end > this.highestEnd) this.highestEnd = end;
    for (let k = from - ts; k < len; k++) {
      this.data[idx] = payloadPcm[k] ?? 0;
      this.valid[idx] = 1;
      if (++idx === this.cap) idx = 0;
    }
  }

  /** The next frame (exactly frameSamples samples, a fresh array). */
  pull(): Int16Array {
    return this.pullInto(new Int16Array(this.frame));
  }

  /** Fills out (frameSamples long) with the next frame; no allocation. */
  pullInto(out: Int16Array): Int16Array {
    const n = this.frame;
    if (!this.playing && this.anchored && this.highestEnd > this.playout) {
      this.waited++;
      if (this.highestEnd - this.playout >= this.depth * n || this.waited >= this.depth) this.playing = true;
    }
    if (!this.playing) {
      out.fill(0, 0, n);
      return out;
    }
    let idx = this.index(this.playout);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      if (this.valid[idx] === 1) {
        out[i] = this.data[idx] ?? 0;
        this.valid[idx] = 0;
      } else {
        out[i] = 0;
        missing++;
      }
      if (++idx === this.cap) idx = 0;
    }
    this.playout += n;
    this.floor = this.playout;
    if (this.highestEnd <= this.playout) {
      // Ran dry: the tail of this frame was not sent yet (or at all); pause until refilled.
      this.playing = false;
      this.waited = 0;
    } else this.counters.missingSamples += missing;
    return out;
  }

  /** Forgets everything (a new SSRC, or a restarted stream). */
  reset(): void {
    this.valid.fill(0);
    this.anchored = false;
    this.playing = false;
    this.floor = Number.NEGATIVE_INFINITY;
    this.waited = 0;
    this.lateRun = 0;
    this.highestSeq = -1;
    this.lastSeq = -1;
    this.received = 0;
    this.counters.resets++;
  }

  private late(seq: number, timestamp: number, payloadPcm: Int16Array): void {
    this.counters.late++;
    if (++this.lateRun < RESYNC_AFTER_LATE) return;
    this.reset();
    this.counters.packets--;
    this.push(seq, timestamp, payloadPcm);
  }

  /** Moves the playout position forward to newStart, discarding the audio before it. */
  private dropOldest(newStart: number): void {
    const stop = Math.min(newStart, this.highestEnd, this.playout + this.cap);
    let idx = this.index(this.playout);
    for (let x = this.playout; x < stop; x++) {
      if (this.valid[idx] === 1) {
        this.valid[idx] = 0;
        this.counters.overflowSamples++;
      }
      if (++idx === this.cap) idx = 0;
    }
    this.playout = newStart;
    if (this.highestEnd < newStart) this.highestEnd = newStart;
    if (this.playing) this.floor = newStart;
  }

  private index(x: number): number {
    const r = x % this.cap;
    return r < 0 ? r + this.cap : r;
  }
}
