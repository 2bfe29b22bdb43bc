/** Tone generation: test tones, ring/busy tones, beeps. Int16 PCM, saturating. */

const TWO_PI = 2 * Math.PI;

function clamp16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
}

/**
 * `length` samples of a sine starting at absolute sample index `startSample`, so consecutive
 * frames (startSample += length) join without a phase jump. The phase is reduced modulo one
 * cycle before calling sin, which keeps precision for hours-long streams.
 */
export function sineFrame(
  frequency: number,
  amplitude: number,
  sampleRate: number,
  startSample: number,
  length: number,
): Int16Array {
  const out = new Int16Array(length);
  const cyclesPerSample = frequency / sampleRate;
  // Fractional cycle at startSample; the rest is whole turns that do not change sin.
  const start = (startSample * cyclesPerSample) % 1;
  for (let i = 0; i < length; i++)
    out[i] = clamp16(amplitude * Math.sin(TWO_PI * (start + i * cyclesPerSample)));
  return out;
}

/**
 * A continuous sum of sines (each at `amplitude`), frame by frame: hold music stand-ins, ring-back
 * (440+480 Hz), test tones. [] gives silence. Each component is a rotating phasor (four
 * multiplications a sample instead of a Math.sin), re-anchored every frame from its exact phase
 * (accumulated modulo one cycle) so rounding never drifts however long the source runs.
 */
export class ToneSource {
  private readonly steps: Float64Array;
  private readonly phases: Float64Array;
  private acc = new Float64Array(160);

  constructor(
    frequencies: number[],
    private readonly amplitude = 8000,
    sampleRate = 8000,
  ) {
    this.steps = Float64Array.from(frequencies, (f) => f / sampleRate);
    this.phases = new Float64Array(frequencies.length);
  }

  next(samples = 160): Int16Array {
    return this.nextInto(new Int16Array(samples));
  }

  /** Fills `out` with the next out.length samples (no allocation) and returns it. */
  nextInto(out: Int16Array): Int16Array {
    const n = out.length;
    if (this.acc.length < n) this.acc = new Float64Array(n);
    const acc = this.acc;
    acc.fill(0, 0, n);
    for (let k = 0; k < this.steps.length; k++) {
      const step = this.steps[k] ?? 0;
      const phase = this.phases[k] ?? 0;
      const cosStep = Math.cos(TWO_PI * step);
      const sinStep = Math.sin(TWO_PI * step);
      let re = Math.cos(TWO_PI * phase);
      let im = Math.sin(TWO_PI * phase);
      for (let i = 0; i < n; i++) {
        acc[i] = (acc[i] ?? 0) + im;
        const r = re * cosStep - im * sinStep;
        im = re * sinStep + im * cosStep;
        re = r;
      }
      this.phases[k] = (phase + n * step) % 1;
    }
    for (let i = 0; i < n; i++) out[i] = clamp16(this.amplitude * (acc[i] ?? 0));
    return out;
  }
}

/**
 * A beep (recording notice, end of prompt) at amplitude 8000 (about -12 dBFS) with 5 ms
 * raised-cosine ramps, so it starts and stops without a click.
 */
export function beep(ms = 200, frequency = 1000, sampleRate = 8000): Int16Array {
  const n = Math.round((ms * sampleRate) / 1000);
  const out = sineFrame(frequency, 8000, sampleRate, 0, n);
  const ramp = Math.min(Math.round(sampleRate * 0.005), n >> 1);
  for (let i = 0; i < ramp; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * i) / ramp);
    out[i] = Math.round((out[i] ?? 0) * g);
    out[n - 1 - i] = Math.round((out[n - 1 - i] ?? 0) * g);
  }
  return out;
}
