/**
 * Goertzel tone measurement and an in-band DTMF detector.
 *
 * Normalisation: goertzelPower returns |X(f)|² / (N/2)² where X(f) is the DFT of the N samples
 * at the exact frequency f (not rounded to a bin) and samples are scaled to [-1, 1) (Int16
 * divided by 32768; Float32 taken as is). A sine of amplitude A therefore gives ≈ A²: a
 * full-scale sine ≈ 1, one at -20 dBFS ≈ 0.01, silence 0. The estimate is exact when the window
 * holds a whole number of periods and within a few percent otherwise (for N ≥ ~100).
 */

type Samples = Int16Array | Float32Array;

/** Raw Goertzel |X|² over samples[start, start+length) with coeff = 2cos(2πf/fs); no allocation. */
function goertzelRaw(samples: Samples, start: number, length: number, coeff: number): number {
  let s1 = 0;
  let s2 = 0;
  const end = start + length;
  for (let i = start; i < end; i++) {
    const s0 = (samples[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/**
 * The eight DTMF filters in one pass over the detector's window, writing |X|² into out. The
 * eight recurrences are independent, so interleaving them lets the CPU overlap them instead of
 * waiting on one dependency chain at a time (about 3x faster than eight separate loops).
 */
// biome-ignore format: the eight interleaved recurrences read best one per line
function goertzel8(w: Int16Array, c: Float64Array, out: Float64Array): void {
  const c0 = c[0] ?? 0, c1 = c[1] ?? 0, c2 = c[2] ?? 0, c3 = c[3] ?? 0;
  const c4 = c[4] ?? 0, c5 = c[5] ?? 0, c6 = c[6] ?? 0, c7 = c[7] ?? 0;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0;
  for (let i = 0; i < w.length; i++) {
    const x = w[i] ?? 0;
    let t = x + c0 * a0 - b0; b0 = a0; a0 = t;
    t = x + c1 * a1 - b1; b1 = a1; a1 = t;
    t = x + c2 * a2 - b2; b2 = a2; a2 = t;
    t = x + c3 * a3 - b3; b3 = a3; a3 = t;
    t = x + c4 * a4 - b4; b4 = a4; a4 = t;
    t = x + c5 * a5 - b5; b5 = a5; a5 = t;
    t = x + c6 * a6 - b6; b6 = a6; a6 = t;
    t = x + c7 * a7 - b7; b7 = a7; a7 = t;
  }
  out[0] = a0 * a0 + b0 * b0 - c0 * a0 * b0;
  out[1] = a1 * a1 + b1 * b1 - c1 * a1 * b1;
  out[2] = a2 * a2 + b2 * b2 - c2 * a2 * b2;
  out[3] = a3 * a3 + b3 * b3 - c3 * a3 * b3;
  out[4] = a4 * a4 + b4 * b4 - c4 * a4 * b4;
  out[5] = a5 * a5 + b5 * b5 - c5 * a5 * b5;
  out[6] = a6 * a6 + b6 * b6 - c6 * a6 * b6;
  out[7] = a7 * a7 + b7 * b7 - c7 * a7 * b7;
}

function scaleOf(samples: Samples): number {
  return samples instanceof Int16Array ? 1 / 32768 : 1;
}

export function goertzelPower(samples: Samples, sampleRate: number, frequency: number): number {
  const n = samples.length;
  if (n === 0) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  const scale = (scaleOf(samples) * 2) / n;
  return goertzelRaw(samples, 0, n, coeff) * scale * scale;
}

export function toneLevels(
  samples: Samples,
  sampleRate: number,
  frequencies: number[],
): Record<number, number> {
  const levels: Record<number, number> = {};
  for (const f of frequencies) levels[f] = goertzelPower(samples, sampleRate, f);
  return levels;
}

export interface DominantToneOptions {
  /** Below this power (see normalisation) nothing counts as a tone; default 1e-4 (-40 dBFS). */
  minLevel?: number;
  /** The winner must be this many times stronger than the runner-up; default 10 (10 dB). */
  minRatio?: number;
}

/** The candidate that clearly dominates the others, or undefined (quiet, or no clear winner). */
export function dominantTone(
  samples: Samples,
  sampleRate: number,
  candidates: number[],
  options: DominantToneOptions = {},
): number | undefined {
  const minLevel = options.minLevel ?? 1e-4;
  const minRatio = options.minRatio ?? 10;
  let best: number | undefined;
  let bestLevel = 0;
  let second = 0;
  for (const f of candidates) {
    const level = goertzelPower(samples, sampleRate, f);
    if (level > bestLevel) {
      second = bestLevel;
      bestLevel = level;
      best = f;
    } else if (level > second) second = level;
  }
  if (bestLevel < minLevel || bestLevel < second * minRatio) return undefined;
  return best;
}

const DTMF_ROWS = [697, 770, 852, 941];
const DTMF_COLS = [1209, 1336, 1477, 1633];
const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'];
/** Minimum per-tone power: amplitude ≈ -36 dBFS, well under the -20 dBm0 DTMF must work at. */
const DTMF_MIN_POWER = 2.5e-4;
/** Normal twist (row louder than column) up to 8 dB, reverse twist up to 4 dB, as in Q.24 practice. */
const DTMF_NORMAL_TWIST = 6.3;
const DTMF_REVERSE_TWIST = 2.5;
/** Each winning tone must beat the other tones of its group by 8 dB. */
const DTMF_RELATIVE_PEAK = 6.3;
/** The two tones must carry this share of the window's energy (rejects speech and noise). */
const DTMF_MIN_ENERGY_SHARE = 0.7;

/**
 * In-band DTMF: 8 Goertzel filters over a 20 ms window evaluated every 10 ms. The 20 ms window
 * gives 50 Hz resolution, enough to separate the row tones (73 Hz apart); the 10 ms hop makes
 * the 40 ms persistence check (three consecutive hits span 40 ms of signal) track the tone's
 * real duration closely. A key is reported once, then again only after two windows without it.
 */
export class DtmfDetector {
  private readonly window: Int16Array;
  private readonly hop: number;
  private readonly coeffs: Float64Array;
  private readonly powers = new Float64Array(8);
  private readonly scale: number;
  private filled = 0;
  private candidate = '';
  private hits = 0;
  private reported = '';
  private misses = 0;
  private readonly pending: string[] = [];

  constructor(sampleRate = 8000) {
    const size = Math.round(sampleRate * 0.02);
    this.window = new Int16Array(size);
    this.hop = size >> 1;
    this.coeffs = Float64Array.from(
      [...DTMF_ROWS, ...DTMF_COLS],
      (f) => 2 * Math.cos((2 * Math.PI * f) / sampleRate),
    );
    this.scale = 2 / (32768 * size);
  }

  /** Feeds audio of any length; returns a digit when a new key press has been confirmed. */
  push(frame: Int16Array): string | undefined {
    let at = 0;
    while (at < frame.length) {
      const take = Math.min(frame.length - at, this.window.length - this.filled);
      this.window.set(frame.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === this.window.length) {
        this.step(this.classify());
        // Slide by one hop: keep the newer half as the start of the next window.
        this.window.copyWithin(0, this.hop);
        this.filled -= this.hop;
      }
    }
    return this.pending.shift();
  }

  private step(key: string): void {
    if (key === '') {
      this.hits = 0;
      this.candidate = '';
      if (++this.misses >= 2) this.reported = '';
      return;
    }
    this.misses = 0;
    if (key === this.candidate) this.hits++;
    else {
      this.candidate = key;
      this.hits = 1;
    }
    if (this.hits >= 3 && key !== this.reported) {
      this.reported = key;
      this.pending.push(key);
    }
  }

  /** The key in the current window, or '' when the checks fail. */
  private classify(): string {
    const w = this.window;
    const n = w.length;
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const v = w[i] ?? 0;
      energy += v * v;
    }
    // Mean square in [-1, 1) units; a sine of amplitude A has mean square A²/2.
    const meanSquare = energy / (n * 1073741824);
    if (meanSquare < DTMF_MIN_POWER / 2) return '';
    const p = this.powers;
    const s2 = this.scale * this.scale;
    goertzel8(w, this.coeffs, p);
    for (let k = 0; k < 8; k++) p[k] = (p[k] ?? 0) * s2;
    const row = strongest(p, 0);
    const col = strongest(p, 4);
    const rowPower = p[row] ?? 0;
    const colPower = p[col + 4] ?? 0;
    if (rowPower < DTMF_MIN_POWER || colPower < DTMF_MIN_POWER) return '';
    if (rowPower > colPower * DTMF_NORMAL_TWIST || colPower > rowPower * DTMF_REVERSE_TWIST) return '';
    for (let k = 0; k < 4; k++) {
      if (k !== row && (p[k] ?? 0) * DTMF_RELATIVE_PEAK > rowPower) return '';
      if (k !== col && (p[k + 4] ?? 0) * DTMF_RELATIVE_PEAK > colPower) return '';
    }
    if ((rowPower + colPower) / 2 < DTMF_MIN_ENERGY_SHARE * meanSquare) return '';
    return DTMF_KEYS[row]?.[col] ?? '';
  }
}

function strongest(p: Float64Array, from: number): number {
  let best = 0;
  for (let k = 1; k < 4; k++) if ((p[from + k] ?? 0) > (p[from + best] ?? 0)) best = k;
  return best;
}
