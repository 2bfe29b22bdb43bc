import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { goertzelPower } from '../apps/server/src/media/dsp/goertzel.js';
import { ToneSource } from '../apps/server/src/media/dsp/tone.js';
import type { MediaEndpoint } from '../apps/server/src/media/endpoint.js';
import { answerWebRtc } from '../apps/server/src/media/webrtc/werift-endpoint.js';
import { CHROMIUM, phoneArgs, toneWav } from './support.js';

// The browser's microphone plays a 700 Hz tone (a WAV through Chromium's fake capture); the
// server endpoint sends 1000 Hz. Each side must hear the other's tone, cleanly, and not its own.
const BROWSER_HZ = 700;
const SERVER_HZ = 1000;
const FRAME_MS = 20;

/** The test phone in e2e/fixtures/webrtc-phone.html, as seen from the test. */
interface Phone {
  offer(): Promise<string>;
  answer(sdp: string): Promise<{ codecs: string[] }>;
  listen(
    ms: number,
    tones: number[],
  ): Promise<{ dominantHz: number; share: Record<number, number>; totalDb: number }>;
  dtmf(tones: string): void;
}
declare global {
  interface Window {
    phone: Phone;
  }
}

/** Only loopback candidates: the machine also has an eth0 address the test must not use. */
const loopbackOnly = (sdp: string) =>
  sdp
    .split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') || l.split(' ')[4] === '127.0.0.1')
    .join('\r\n');

/** Goertzel power of `hz` relative to the power of the whole signal: ≈1 for a clean sine of that frequency. */
function toneShare(samples: Int16Array, hz: number): number {
  let energy = 0;
  for (const s of samples) energy += (s / 32768) ** 2;
  const meanSquare = energy / samples.length;
  return meanSquare > 0 ? goertzelPower(samples, 8000, hz) / (2 * meanSquare) : 0;
}

/** A deliberate window in which something must (or must not) happen; not a wait for a state. */
const listeningWindow = (ms: number) => sleep(ms);

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('WebRTC media endpoint (werift) answering Chromium', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-webrtc-'));
  let browser: Browser;
  let page: Page;
  let endpoint: MediaEndpoint;
  let answerSdp: string;
  let negotiated: string[];
  let sender: ReturnType<typeof setInterval> | undefined;
  const received: Int16Array[] = [];
  const digits: string[] = [];

  before(async () => {
    // chromium.launch gives the browser a fresh temporary profile each time.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: phoneArgs(toneWav(dir, BROWSER_HZ, 10)),
    });
    page = await browser.newPage();
    const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/webrtc-phone.html');
    await page.goto(pathToFileURL(fixture).href);

    const offer = loopbackOnly(await page.evaluate(() => window.phone.offer()));
    ({ endpoint, answerSdp } = await answerWebRtc(offer));
    if (process.env.SDP_DEBUG) console.log(offer, answerSdp);
    endpoint.onAudio((frame) => received.push(frame));
    endpoint.onDtmf((digit) => digits.push(digit));

    // The media clock stand-in: a 20 ms tick that catches up when the event loop was late.
    const tone = new ToneSource([SERVER_HZ]);
    const start = performance.now();
    let sent = 0;
    sender = setInterval(() => {
      const due = Math.floor((performance.now() - start) / FRAME_MS) + 1;
      for (; sent < due; sent++) endpoint.sendAudio(tone.next());
    }, 5);
    ({ codecs: negotiated } = await page.evaluate((sdp) => window.phone.answer(sdp), answerSdp));
  });

  after(async () => {
    clearInterval(sender);
    await endpoint?.close();
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the answer offers only PCMU and telephone-event on the offered payload type, from 127.0.0.1', () => {
    const audio = answerSdp.split('\r\n').find((l) => l.startsWith('m=audio '));
    const dtmfPt = /a=rtpmap:(\d+) telephone-event\/8000/.exec(answerSdp)?.[1];
    assert.ok(dtmfPt, answerSdp);
    assert.equal(audio?.split(' ').slice(3).join(' '), `0 ${dtmfPt}`);
    const candidates = answerSdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    assert.ok(candidates.length > 0, 'the answer has candidates (non-trickle)');
    for (const c of candidates) assert.equal(c.split(' ')[4], '127.0.0.1', c);
    assert.deepEqual(negotiated, ['audio/PCMU', 'audio/telephone-event'], 'the browser sends PCMU');
  });

  test(`the server hears the browser's ${BROWSER_HZ} Hz and not its own ${SERVER_HZ} Hz`, async () => {
    // Skip the first 0.5 s (capture start-up), then judge 1 s of decoded frames.
    await until('1.5 s of audio from the browser', () => received.length >= 75);
    assert.ok(
      received.every((f) => f.length === 160),
      'frames are 160 samples',
    );
    const heard = new Int16Array(50 * 160);
    for (const [i, f] of received.slice(25, 75).entries()) heard.set(f, i * 160);
    const wanted = goertzelPower(heard, 8000, BROWSER_HZ);
    const other = goertzelPower(heard, 8000, SERVER_HZ);
    const share = toneShare(heard, BROWSER_HZ);
    console.log(
      `server heard: ${BROWSER_HZ} Hz power ${wanted.toFixed(4)}, ${SERVER_HZ} Hz ${other.toExponential(1)}, purity ${share.toFixed(3)}`,
    );
    assert.ok(wanted > 0.01, `the ${BROWSER_HZ} Hz tone is loud enough (power ${wanted})`);
    assert.ok(other < wanted / 1000, `no ${SERVER_HZ} Hz (power ${other} against ${wanted})`);
    assert.ok(share > 0.98, `the tone is clean, as G.711 keeps it (share ${share})`);
  });

  test(`the browser hears the server's ${SERVER_HZ} Hz and not its own ${BROWSER_HZ} Hz`, async () => {
    // Once the server's tone plays in the browser (the first listen can catch its start), a
    // one-second stretch of it is judged.
    const listenOnce = () =>
      page.evaluate((tones) => window.phone.listen(1000, tones), [BROWSER_HZ, SERVER_HZ]);
    const deadline = Date.now() + 15_000;
    let heard = await listenOnce();
    while ((heard.share[SERVER_HZ] ?? 0) <= 0.95 && Date.now() < deadline) heard = await listenOnce();
    console.log(`browser heard: ${JSON.stringify(heard)}`);
    assert.ok(Math.abs(heard.dominantHz - SERVER_HZ) < 15, `dominant ${heard.dominantHz} Hz`);
    assert.ok((heard.share[SERVER_HZ] ?? 0) > 0.95, `${SERVER_HZ} Hz dominates the band cleanly`);
    assert.ok((heard.share[BROWSER_HZ] ?? 1) < 0.001, `no ${BROWSER_HZ} Hz`);
    assert.ok(heard.totalDb > -60, 'not silence');
  });

  test('DTMF sent by the browser arrives once per key, in order', async () => {
    await page.evaluate(() => window.phone.dtmf('12#'));
    await until('three digits', () => digits.length >= 3, 5000);
    await listeningWindow(500); // late duplicates (the redundant end packets) would show here
    assert.deepEqual(digits, ['1', '2', '#']);
  });

  test('after the browser goes away, lastReceivedAt stops advancing; close is idempotent', async () => {
    const before = endpoint.lastReceivedAt;
    assert.ok(before !== undefined && Date.now() - before < 500, 'packets are arriving while the call is up');
    await page.close();
    await until('the packets to stop', () => Date.now() - (endpoint.lastReceivedAt ?? 0) > 200);
    const last = endpoint.lastReceivedAt;
    await listeningWindow(1000); // nothing more may arrive in this second
    assert.equal(endpoint.lastReceivedAt, last);
    assert.ok(last !== undefined && Date.now() - last >= 1000);
    clearInterval(sender);
    await endpoint.close();
    await endpoint.close();
    assert.equal(endpoint.closed, true);
  });
});
