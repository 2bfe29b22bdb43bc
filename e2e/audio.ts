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

/** Listens for `ms` and summarises what was heard in that time. */
export async function listen(page: Page, ms: number, tones: number[]) {
  await earSamples(page);
  await new Promise((r) => setTimeout(r, ms));
  const { samples } = await earSamples(page);
  return { ...summarise(samples, tones), samples };
}
