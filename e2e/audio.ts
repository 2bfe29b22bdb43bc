import type { Page } from 'playwright-core';

/** Band levels a page heard at one moment (ms since listening began). */
export interface Heard {
  t: number;
  /** Power within ±25 Hz of each tone listened for. */
  bands: Record<number, number>;
  /** Power from 100 to 3800 Hz. */
  total: number;
}

declare global {
  interface Window {
    __ear?: { samples: Heard[]; stop(): void };
  }
}

/**
 * Starts an "ear" in the page on the MediaStream `streamPath` names (a property path on window,
 * such as "__parleyWebConnect.remoteStream"): every 20 ms it notes the power of each tone's band.
 * The stream is looked up on each tick, so a call that starts later is heard from its start.
 */
export async function startEar(page: Page, streamPath: string, tones: number[]): Promise<void> {
  // Plain JavaScript in a string: the test runner's TypeScript transform would otherwise add
  // helpers (__name) to the function that do not exist in the page.
  await page.evaluate(`(${EAR_SOURCE})(${JSON.stringify(streamPath)}, ${JSON.stringify(tones)})`);
}

const EAR_SOURCE = `function (streamPath, tones) {
  if (window.__ear) window.__ear.stop();
  var ctx = new AudioContext();
  var analyser = ctx.createAnalyser();
  analyser.fftSize = 4096;
  analyser.smoothingTimeConstant = 0;
  var bins = new Float32Array(analyser.frequencyBinCount);
  var hz = ctx.sampleRate / analyser.fftSize;
  var samples = [];
  var start = performance.now();
  var source, stream;
  function band(lo, hi) {
    var p = 0;
    for (var i = Math.ceil(lo / hz); i <= Math.floor(hi / hz); i++) p += Math.pow(10, (bins[i] === undefined ? -200 : bins[i]) / 10);
    return p;
  }
  var timer = setInterval(function () {
    var found = window;
    streamPath.split('.').forEach(function (key) { found = found ? found[key] : undefined; });
    var current = found instanceof MediaStream && found.getAudioTracks().length > 0 ? found : undefined;
    if (current !== stream) {
      if (source) source.disconnect();
      stream = current;
      source = stream ? ctx.createMediaStreamSource(stream) : undefined;
      if (source) source.connect(analyser);
    }
    if (!source) return;
    analyser.getFloatFrequencyData(bins);
    var bands = {};
    tones.forEach(function (f) { bands[f] = band(f - 25, f + 25); });
    samples.push({ t: performance.now() - start, bands: bands, total: band(100, 3800) });
  }, 20);
  ctx.resume();
  window.__ear = { samples: samples, stop: function () { clearInterval(timer); ctx.close(); } };
}`;

/** What the ear has heard so far (and the page's clock now, on the same scale). */
export async function earSamples(page: Page): Promise<{ now: number; samples: Heard[] }> {
  return page.evaluate(() => {
    const ear = window.__ear;
    const samples = ear ? ear.samples.splice(0) : [];
    return { now: samples.at(-1)?.t ?? 0, samples };
  });
}

/** Share of the total each tone had over these samples (0..1), and the mean total power. */
export function summarise(
  samples: Heard[],
  tones: number[],
): { share: Record<number, number>; power: number } {
  let total = 0;
  const sums: Record<number, number> = {};
  for (const s of samples) {
    total += s.total;
    for (const f of tones) sums[f] = (sums[f] ?? 0) + (s.bands[f] ?? 0);
  }
  const share: Record<number, number> = {};
  for (const f of tones) share[f] = total > 0 ? (sums[f] ?? 0) / total : 0;
  return { share, power: samples.length ? total / samples.length : 0 };
}

/**
 * A deliberate listening (or recording) window: the audio of `ms` is what the test judges. Not a
 * way to wait for a state; for that, see hearUntil.
 */
export function listenFor(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Listens for `ms` and summarises what was heard in that time. */
export async function listen(page: Page, ms: number, tones: number[]) {
  await earSamples(page);
  await listenFor(ms);
  const { samples } = await earSamples(page);
  return { ...summarise(samples, tones), samples };
}

/**
 * Gathers what the ear hears (from now) until `heard` holds of all of it, or fails after
 * `timeoutMs` saying `what` was awaited; returns the samples gathered.
 */
export async function hearUntil(
  page: Page,
  heard: (samples: Heard[]) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<Heard[]> {
  const deadline = Date.now() + timeoutMs;
  const samples: Heard[] = [];
  for (;;) {
    samples.push(...(await earSamples(page)).samples);
    if (heard(samples)) return samples;
    if (Date.now() > deadline)
      throw new Error(`${what}: not heard within ${timeoutMs} ms (${samples.length} samples)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The share of the total `hz` has in one sample (0..1). */
export const shareOf = (s: Heard, hz: number): number => (s.total > 0 ? (s.bands[hz] ?? 0) / s.total : 0);

/** True once each of the last `count` samples (about 20 ms apart) passes `ok`. */
export const lastly =
  (count: number, ok: (s: Heard) => boolean) =>
  (samples: Heard[]): boolean =>
    samples.length >= count && samples.slice(-count).every(ok);

const HOP_MS = 20;
/** The ear's analysis window: 4096 samples at 48 kHz. */
const WINDOW_S = 4096 / 48_000;
/** Quieter than this below the loudest point counts as silence, in both envelopes. */
const FLOOR_DB = 40;

/**
 * Power (dB) of `pcm` every 20 ms from its start, each over the ear's window ending then (the ear's
 * value at a moment measures the window just before it), silence before the start.
 */
function pcmEnvelope(pcm: Int16Array, rate: number): number[] {
  const hop = Math.round((rate * HOP_MS) / 1000);
  const win = Math.round(rate * WINDOW_S);
  const out: number[] = [];
  for (let end = 0; end <= pcm.length; end += hop) {
    let e = 0;
    for (let i = Math.max(0, end - win); i < end; i++) e += ((pcm[i] ?? 0) / 32768) ** 2;
    out.push(10 * Math.log10(e / win + 1e-12));
  }
  return out;
}

/** The ear's total power (dB) on the same 20 ms grid; a late timer's gap repeats the last value. */
function heardEnvelope(samples: Heard[]): number[] {
  const first = samples[0]?.t ?? 0;
  const out: number[] = [];
  for (const s of samples) {
    const k = Math.round((s.t - first) / HOP_MS);
    const db = 10 * Math.log10(s.total + 1e-12);
    while (out.length < k) out.push(out.at(-1) ?? db);
    out[k] = db;
  }
  return out;
}

function floored(db: number[]): number[] {
  const top = Math.max(...db);
  return db.map((v) => Math.max(v, top - FLOOR_DB));
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((x, y) => x + y, 0) / n;
  const mb = b.reduce((x, y) => x + y, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** How long before a recording's start a heard stretch may begin and still be aligned with it. */
const LEAD_MS = 1000;
/**
 * The heard stretch is aligned piece by piece, each piece within DRIFT_MS of the whole stretch's
 * alignment: a receiving browser's jitter buffer speeds playout up or slows it down to follow
 * the network (on a loaded machine by a tenth or so), so the words drift against the recording
 * by a few hundred milliseconds over a few seconds, and one rigid alignment misses most of them.
 */
const PIECE_MS = 1000;
const DRIFT_MS = 200;

/**
 * How closely the loudness over time of what the ear heard follows a known recording (a prompt),
 * at the best alignment: the correlation (≈1 for the same words, near 0 for silence, noise or
 * music) and where in the recording the heard stretch began (negative: that long before it).
 * The recording is preceded (by up to LEAD_MS) and followed by silence, so a stretch heard from
 * just before its first sound, or one that runs past its end, can still match; each second of
 * the stretch may drift from that alignment by up to DRIFT_MS.
 */
export function matchEnvelope(
  samples: Heard[],
  reference: Int16Array,
  rate: number,
): { r: number; atMs: number } {
  const heard = floored(heardEnvelope(samples));
  const ref = pcmEnvelope(reference, rate);
  const quiet = Math.min(...ref);
  const lead = Math.round(LEAD_MS / HOP_MS);
  const silence = (n: number) => Array.from({ length: n }, () => quiet);
  const padded = floored([...silence(lead), ...ref, ...silence(heard.length)]);
  const at = (lag: number, from = 0, to = heard.length) => padded.slice(lag + from, lag + to);
  // The whole stretch at one alignment.
  let lag = 0;
  let rigid = 0;
  for (let l = 0; l + heard.length <= padded.length; l++) {
    const r = pearson(heard, at(l));
    if (r > rigid) [lag, rigid] = [l, r];
  }
  // Then each piece at its own alignment near it, and the pieces so aligned judged as a whole.
  const piece = Math.round(PIECE_MS / HOP_MS);
  const drift = Math.round(DRIFT_MS / HOP_MS);
  const aligned: number[] = [];
  for (let from = 0; from < heard.length; from += piece) {
    const to = Math.min(heard.length, from + piece);
    let best = { r: Number.NEGATIVE_INFINITY, values: at(lag, from, to) };
    for (let l = Math.max(0, lag - drift); l <= lag + drift && l + to <= padded.length; l++) {
      const values = at(l, from, to);
      const r = pearson(heard.slice(from, to), values);
      if (r > best.r) best = { r, values };
    }
    aligned.push(...best.values);
  }
  return { r: Math.max(rigid, pearson(heard, aligned)), atMs: (lag - lead) * HOP_MS };
}
