import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { goertzelPower } from '../apps/server/src/media/dsp/goertzel.js';
import { readWav } from '../apps/server/src/media/wav.js';
import {
  earSamples,
  type Heard,
  hearUntil,
  lastly,
  listen,
  listenFor,
  matchEnvelope,
  shareOf,
  startEar,
  summarise,
} from './audio.js';
import { expect } from './expect.js';
import {
  callDemoNumber,
  connectWebConnect,
  type PlatformProcess,
  resultsDir,
  signIn,
  usePhoneBrowsers,
  usePlatformPerTest,
  wrapWithOutcome,
} from './support.js';

// Each party has a tone of its own: the caller's microphone 700 Hz, the agent's 1000 Hz. The
// delivery beep is 1400 Hz; the hold music's notes are all below 600 Hz.
const CALLER_HZ = 700;
const AGENT_HZ = 1000;
const BEEP_HZ = 1400;
const MUSIC_HZ = [294, 330, 392, 440, 494, 523, 587];
const AGENT_EAR = [CALLER_HZ, AGENT_HZ, BEEP_HZ];
const CALLER_EAR = [CALLER_HZ, AGENT_HZ, ...MUSIC_HZ];

/** The demo menu's spoken prompt, as the platform plays it. */
const MENU_PROMPT = fileURLToPath(new URL('../apps/server/sounds/prompts/welcome-menu.wav', import.meta.url));

/** Any sound at all: the line's silence measures about -120 dB here. */
const audible = (s: Heard) => s.total > 1e-7;

const musicShare = (share: Record<number, number>) => MUSIC_HZ.reduce((sum, f) => sum + (share[f] ?? 0), 0);

/** Share of a tone in a stretch of PCM, against the stretch's whole power. */
function toneShare(samples: Int16Array, hz: number): number {
  let energy = 0;
  for (const s of samples) energy += (s / 32768) ** 2;
  const meanSquare = energy / Math.max(1, samples.length);
  return meanSquare > 0 ? goertzelPower(samples, 8000, hz) / (2 * meanSquare) : 0;
}

function rms(samples: Int16Array): number {
  let e = 0;
  for (const s of samples) e += s * s;
  return Math.sqrt(e / Math.max(1, samples.length));
}

describe('a customer calls from the web phone and an agent on persistent Web Connect takes it', () => {
  // Each test has a platform of its own and sets up the call it needs, so it runs alone.
  const { start, browser } = usePlatformPerTest();
  const phones = usePhoneBrowsers({ agent: AGENT_HZ, caller: CALLER_HZ });

  /** agent1's toolbar, signed in and paused, without a voice path. */
  async function agentToolbar(platform: PlatformProcess): Promise<Page> {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, 'agent1');
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    return toolbar;
  }

  /** agent1 on persistent Web Connect, still paused, with an ear on what the tab plays. */
  async function agentOnWebConnect(platform: PlatformProcess): Promise<{ toolbar: Page; webConnect: Page }> {
    const toolbar = await agentToolbar(platform);
    const webConnect = await connectWebConnect(phones.agent, platform.url, 'agent1', toolbar);
    await startEar(webConnect, '__parleyWebConnect.remoteStream', AGENT_EAR);
    return { toolbar, webConnect };
  }

  /** A caller who chose support (2) in the menu and waits in the queue, with an ear on the line. */
  async function callerInQueue(platform: PlatformProcess): Promise<Page> {
    const caller = await callDemoNumber(phones.caller, platform.url);
    await startEar(caller, '__parleyPhone.remoteStream', CALLER_EAR);
    await caller.getByRole('button', { name: '2', exact: true }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Waiting in queue' })).toBeVisible(15_000);
    return caller;
  }

  async function makeAvailable(toolbar: Page): Promise<void> {
    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
  }

  /** A call up between agent1 (on Web Connect) and a web caller, both hearing the other. */
  async function connectedCall(platform: PlatformProcess) {
    const { toolbar, webConnect } = await agentOnWebConnect(platform);
    const caller = await callerInQueue(platform);
    await makeAvailable(toolbar);
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    const card = toolbar.getByRole('article', { name: 'Web caller' });
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();
    await hearUntil(
      caller,
      lastly(10, (s) => shareOf(s, AGENT_HZ) > 0.8),
      'the caller hearing the agent',
    );
    return { toolbar, webConnect, caller, card };
  }

  /** The caller hangs up and the agent wraps with an Outcome. */
  async function hangUpAndWrap(toolbar: Page, caller: Page, card: Locator): Promise<void> {
    await caller.getByRole('button', { name: 'Hang up' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    await wrapWithOutcome(toolbar, card, 'Resolved');
    await expect(card).toBeHidden();
  }

  /**
   * A whole call for the recording and the timeline: talking, held, talking, recording stopped
   * (a gap), started and tagged, talking, then the caller hangs up and the agent wraps.
   */
  async function heldAndRecordedCall(platform: PlatformProcess): Promise<void> {
    const { toolbar, caller, card } = await connectedCall(platform);
    await listenFor(2000); // talking
    await card.getByRole('button', { name: 'Toggle call hold' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'On hold' })).toBeVisible();
    await listenFor(2500); // held
    await card.getByRole('button', { name: 'Toggle call hold' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    await listenFor(1500); // talking
    await card.getByRole('button', { name: 'Stop call recording' }).click();
    await expect(card.getByRole('button', { name: 'Start call recording' })).toBeVisible();
    await listenFor(1500); // the stopped stretch
    await card.getByRole('button', { name: 'Start call recording' }).click();
    await expect(card.getByRole('button', { name: 'Stop call recording' })).toBeVisible();
    await card.getByRole('button', { name: 'Tag call recording' }).click();
    await expect(toolbar.getByRole('status').filter({ hasText: 'Recording tagged' })).toBeVisible();
    // Talking again, recorded: at least 1.5 s of it as the caller hears it, however loaded the
    // machine (a fixed wait left too little of it in the file under load).
    await earSamples(caller);
    await hearUntil(
      caller,
      lastly(75, (s) => shareOf(s, AGENT_HZ) > 0.8),
      'the agent heard again after the gap',
    );
    await hangUpAndWrap(toolbar, caller, card);
  }

  test('the agent connects Web Connect and stays paused', async (t) => {
    const platform = await start(t);
    const { toolbar } = await agentOnWebConnect(platform);
    await expect(toolbar.getByRole('button', { name: 'Status: Unavailable' })).toBeVisible();
  });

  test('the caller picks the demo number, hears the menu, presses 2, waits in the queue and hears music', async (t) => {
    const platform = await start(t);
    const toolbar = await agentToolbar(platform);
    const caller = await callDemoNumber(phones.caller, platform.url);
    await startEar(caller, '__parleyPhone.remoteStream', CALLER_EAR);
    // The menu prompt (6.2 s of speech) begins once the call's media flows: from its first
    // sound, three seconds of it are heard and matched, by loudness over time, against the
    // prompt's own recording.
    const before = await hearUntil(caller, (heard) => heard.some(audible), 'the menu prompt beginning');
    await listenFor(3000);
    const samples = [
      ...before.slice(Math.max(0, before.findIndex(audible) - 5)),
      ...(await earSamples(caller)).samples,
    ];
    const prompt = await readWav(MENU_PROMPT);
    const match = matchEnvelope(samples, prompt.samples, prompt.sampleRate);
    const menuHeard = summarise(samples, CALLER_EAR);
    console.log(
      `caller in the menu: prompt match ${match.r.toFixed(2)} from ${match.atMs} ms, music ${musicShare(menuHeard.share).toFixed(3)}`,
    );
    assert.ok(match.r > 0.4, `the caller hears the spoken menu (envelope match ${match.r.toFixed(2)})`);

    await caller.getByRole('button', { name: '2', exact: true }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Waiting in queue' })).toBeVisible(15_000);
    const sidePanel = toolbar.getByRole('navigation', { name: 'Side panel' });
    await expect(
      sidePanel.getByRole('listitem').filter({ hasText: 'Customer Care' }).getByText('1 waiting'),
    ).toBeVisible();
    // "Please hold" comes first; once the music has begun, a stretch of it is judged.
    await hearUntil(
      caller,
      lastly(10, (s) => musicShare(s.bands) / s.total > 0.5),
      'hold music',
      20_000,
    );
    const heard = await listen(caller, 1500, CALLER_EAR);
    console.log(
      `caller in queue: music ${musicShare(heard.share).toFixed(3)}, agent ${heard.share[AGENT_HZ]}`,
    );
    assert.ok(musicShare(heard.share) > 0.5, 'the caller hears the hold music');
    assert.ok((heard.share[AGENT_HZ] ?? 1) < 0.01, 'and not the agent');
  });

  test('Available: the call is delivered with a beep, then each hears the other and not themselves', async (t) => {
    const platform = await start(t);
    const { toolbar, webConnect } = await agentOnWebConnect(platform);
    const caller = await callerInQueue(platform);
    await earSamples(webConnect); // forget what came before the delivery
    await makeAvailable(toolbar);
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    const card = toolbar.getByRole('article', { name: 'Web caller' });
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();

    // The beep came first: the agent heard 1400 Hz before any of the caller's 700 Hz.
    const samples = await hearUntil(
      webConnect,
      (heard) => heard.some((s) => shareOf(s, CALLER_HZ) > 0.3),
      'the caller, at the agent',
    );
    const firstOf = (hz: number) => samples.find((s) => shareOf(s, hz) > 0.3)?.t;
    const beepAt = firstOf(BEEP_HZ);
    const callerAt = firstOf(CALLER_HZ);
    console.log(`agent heard the beep at ${beepAt} ms and the caller at ${callerAt} ms`);
    assert.ok(beepAt !== undefined, 'the agent heard the beep');
    assert.ok(callerAt !== undefined, 'the agent heard the caller');
    assert.ok(beepAt < callerAt, 'the beep precedes the caller’s audio');

    const agentHeard = await listen(webConnect, 1000, AGENT_EAR);
    const callerHeard = await listen(caller, 1000, CALLER_EAR);
    console.log(
      `agent heard ${JSON.stringify(agentHeard.share)}; caller heard ${JSON.stringify(callerHeard.share)}`,
    );
    assert.ok((agentHeard.share[CALLER_HZ] ?? 0) > 0.8, 'the agent hears the caller');
    assert.ok((agentHeard.share[AGENT_HZ] ?? 1) < 0.01, 'the agent does not hear themselves');
    assert.ok((callerHeard.share[AGENT_HZ] ?? 0) > 0.8, 'the caller hears the agent');
    assert.ok((callerHeard.share[CALLER_HZ] ?? 1) < 0.01, 'the caller does not hear themselves');
    const info = toolbar.getByRole('region', { name: 'Interaction information' });
    const field = (label: string) =>
      info
        .getByRole('term')
        .filter({ hasText: new RegExp(`^${label}$`) })
        .locator('xpath=following-sibling::dd[1]');
    await expect(field('IVR Data').filter({ hasText: 'Support' })).toBeVisible();
    await expect(field('IVR Text').filter({ hasText: 'Customer Care' })).toBeVisible();
    await expect(field('Call Type').filter({ hasText: 'Inbound Call' })).toBeVisible();
    await expect(field('Platform phone').filter({ hasText: '+61290001000' })).toBeVisible();
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-on-call.png') });
  });

  test('hold: the caller hears music and not the agent; the agent hears nothing of the caller; resume', async (t) => {
    const platform = await start(t);
    const { toolbar, webConnect, caller, card } = await connectedCall(platform);
    // The status control says what the agent is doing: on the call, then on hold.
    await expect(toolbar.getByRole('button', { name: 'Status: On call' })).toBeVisible();
    await expect(toolbar.getByText('After wrap: Available')).toBeVisible();
    const hold = card.getByRole('button', { name: 'Toggle call hold' });
    await hold.click();
    await expect(card.getByRole('button', { name: 'Toggle call hold', pressed: true })).toBeVisible();
    await expect(toolbar.getByRole('status').filter({ hasText: 'Call on hold' })).toBeVisible();
    await expect(toolbar.getByRole('button', { name: 'Status: On hold' })).toBeVisible();
    await expect(caller.getByRole('status').filter({ hasText: 'On hold' })).toBeVisible();
    await hearUntil(
      caller,
      lastly(10, (s) => musicShare(s.bands) / s.total > 0.5),
      'music on hold',
    );
    const callerHeard = await listen(caller, 1200, CALLER_EAR);
    const agentHeard = await listen(webConnect, 800, AGENT_EAR);
    console.log(
      `on hold: caller music ${musicShare(callerHeard.share).toFixed(3)}, agent ${callerHeard.share[AGENT_HZ]}`,
    );
    assert.ok(musicShare(callerHeard.share) > 0.5, 'the held caller hears music');
    assert.ok((callerHeard.share[AGENT_HZ] ?? 1) < 0.01, 'and not the agent');
    assert.ok((agentHeard.share[CALLER_HZ] ?? 1) < 0.05, 'the agent no longer hears the caller');
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-call-held.png') });

    await hold.click();
    await expect(card.getByRole('button', { name: 'Toggle call hold', pressed: false })).toBeVisible();
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    // Back in the bridge, the agent is heard again: a stretch of it once it has begun.
    await hearUntil(caller, (heard) => heard.some((s) => shareOf(s, AGENT_HZ) > 0.8), 'the agent after hold');
    const resumed = await listen(caller, 800, CALLER_EAR);
    assert.ok((resumed.share[AGENT_HZ] ?? 0) > 0.8, 'resumed, the caller hears the agent again');
  });

  test('a reload mid-call brings the call back; a crashed browser leaves it in wrap-up and the next sign-in offers Connect Voice', async (t) => {
    const platform = await start(t);
    const { toolbar, webConnect, caller, card } = await connectedCall(platform);
    const connectVoice = toolbar.getByRole('dialog', { name: 'Connect Voice' });

    // A reload (the Connect Voice dialog was offered and dismissed at sign-in): the call is there,
    // connected, and the dialog stays shut while the agent has voice.
    await toolbar.reload();
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();
    await expect(toolbar.getByRole('button', { name: 'Status: On call' })).toBeVisible();
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();
    assert.equal(await connectVoice.count(), 0, 'no Connect Voice dialog while the voice path is up');

    // The agent's browser crashes: the Web Connect tab goes with it, the voice path is lost, the
    // call ends for the caller and waits in wrap-up.
    await webConnect.context().close();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible(20_000);
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();

    // The browser restored (the same tab, the same session): the toolbar shows the call wrapping
    // and, with no voice path, opens Connect Voice by itself, once.
    await toolbar.reload();
    await expect(connectVoice).toBeVisible();
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    await expect(toolbar.getByRole('button', { name: 'Status: Wrapping' })).toBeVisible();
    await connectVoice.press('Escape');
    await expect(connectVoice).toBeHidden();

    // Signing in on another machine: the same.
    const elsewhere = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(elsewhere, platform.url, 'agent1');
    await expect(elsewhere.getByRole('dialog', { name: 'Connect Voice' })).toBeVisible();
    await elsewhere.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    await expect(
      elsewhere.getByRole('article', { name: 'Web caller' }).getByRole('button', { name: 'Wrap Call' }),
    ).toBeVisible();
    await expect(elsewhere.getByRole('button', { name: 'Status: Wrapping' })).toBeVisible();
    // The first toolbar hears nothing new: the dialog does not open again by itself.
    assert.equal(await connectVoice.count(), 0);
  });

  test('recording stopped and started again; the caller hangs up; the agent wraps', async (t) => {
    const platform = await start(t);
    const { toolbar, caller, card } = await connectedCall(platform);
    await card.getByRole('button', { name: 'Stop call recording' }).click();
    await expect(card.getByRole('button', { name: 'Start call recording' })).toBeVisible();
    await expect(toolbar.getByRole('status').filter({ hasText: 'Recording stopped' })).toBeVisible();
    await listenFor(1500); // a stretch not recorded
    await card.getByRole('button', { name: 'Start call recording' }).click();
    await expect(card.getByRole('button', { name: 'Stop call recording' })).toBeVisible();
    await card.getByRole('button', { name: 'Tag call recording' }).click();
    await expect(toolbar.getByRole('status').filter({ hasText: 'Recording tagged' })).toBeVisible();
    await listenFor(1500); // recorded again
    await hangUpAndWrap(toolbar, caller, card);
  });

  test('the recording holds the caller left and the agent right, with the stopped stretch silent', async (t) => {
    const platform = await start(t);
    await heldAndRecordedCall(platform);
    const dir = path.join(platform.dataDir, 'recordings');
    const [workspace] = readdirSync(dir);
    const files = readdirSync(path.join(dir, workspace ?? ''));
    assert.equal(files.length, 1, 'one recording for the call');
    const wav = await readWav(path.join(dir, workspace ?? '', files[0] ?? ''));
    assert.equal(wav.channels, 2);
    assert.equal(wav.sampleRate, 8000);
    const frames = wav.samples.length / 2;
    const left = new Int16Array(frames);
    const right = new Int16Array(frames);
    for (let i = 0; i < frames; i++) {
      left[i] = wav.samples[2 * i] ?? 0;
      right[i] = wav.samples[2 * i + 1] ?? 0;
    }
    // Half-second windows: talking, held (left silent: the caller is out of the bridge), stopped
    // (both silent), talking again. A window counts as a channel's sound (or silence) only when
    // every 20 ms frame of it is, so the edges of hold and of the gap do not blur the measure.
    const frameRms = (x: Int16Array) => {
      const out: number[] = [];
      for (let at = 0; at + 160 <= x.length; at += 160) out.push(rms(x.subarray(at, at + 160)));
      return out;
    };
    const windows: { l: number; r: number; l700: number; r1000: number }[] = [];
    for (let at = 0; at + 4000 <= frames; at += 4000) {
      const l = left.subarray(at, at + 4000);
      const r = right.subarray(at, at + 4000);
      const level = (x: Int16Array) => {
        const f = frameRms(x);
        return f.every((v) => v > 300) ? rms(x) : f.every((v) => v < 50) ? 0 : -1;
      };
      windows.push({
        l: level(l),
        r: level(r),
        l700: toneShare(l, CALLER_HZ),
        r1000: toneShare(r, AGENT_HZ),
      });
    }
    const talking = windows.filter((w) => w.l > 0 && w.r > 0);
    assert.ok(talking.length >= 4, 'several seconds of both parties');
    for (const w of talking) {
      assert.ok(w.l700 > 0.9, `the left channel is the caller's ${CALLER_HZ} Hz (${w.l700})`);
      assert.ok(w.r1000 > 0.9, `the right channel is the agent's ${AGENT_HZ} Hz (${w.r1000})`);
    }
    const held = windows.filter((w) => w.l === 0 && w.r > 0);
    assert.ok(
      held.length >= 2,
      'while held, the agent is recorded and the caller (out of the bridge) is not',
    );
    const silentRun = Math.max(
      ...windows.map((_, i) => {
        let n = 0;
        while (windows[i + n]?.l === 0 && windows[i + n]?.r === 0) n++;
        return n;
      }),
    );
    assert.ok(silentRun >= 2, `the stopped stretch is silent (${silentRun} silent half-seconds)`);
    const lastTalk = windows.findLastIndex((w) => w.l > 0 && w.r > 0);
    const firstSilent = windows.findIndex((w) => w.l === 0 && w.r === 0);
    assert.ok(lastTalk > firstSilent, 'talking again after the gap');
  });

  test('a manager finds the call in Interactions, with its timeline, and plays the recording', async (t) => {
    const platform = await start(t);
    await heldAndRecordedCall(platform);
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, `${platform.url}/interactions`, 'manager');
    const table = page.getByRole('table', { name: 'Interactions' });
    const row = table.getByRole('row').filter({ hasText: 'Web caller' }).first();
    await expect(row).toBeVisible();
    await row.getByRole('button').first().click();
    const record = page.getByRole('region', { name: 'Interaction record' });
    await expect(record).toBeVisible();
    const timeline = (await record.textContent()) ?? '';
    for (const step of [
      'interaction.queued',
      'interaction.offered',
      'interaction.accepted',
      'call.held',
      'call.resumed',
      'call.recordingStopped',
      'call.recordingStarted',
      'call.recordingTagged',
      'interaction.ended',
      'interaction.wrapped',
    ])
      assert.ok(timeline.includes(step), `the timeline has ${step}`);
    assert.match(timeline, /IVR Data Support/);
    assert.match(timeline, /ended by customer/);
    assert.match(timeline, /outcome Resolved/);
    assert.match(timeline, /tagged at \d+\.\d s/);
    const audio = record.getByLabel('Recording of Web caller');
    const src = await audio.getAttribute('src');
    assert.ok(src);
    const wav = await page.request.get(`${platform.url}${src}`);
    assert.equal(wav.status(), 200);
    assert.equal(wav.headers()['content-type'], 'audio/wav');
    assert.ok((await wav.body()).length > 100_000, 'several seconds of stereo audio');
    await page.screenshot({ path: path.join(resultsDir, 'interactions-page.png') });
  });
});
