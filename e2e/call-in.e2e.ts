import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { goertzelPower } from '../apps/server/src/media/dsp/goertzel.js';
import { readWav } from '../apps/server/src/media/wav.js';
import { Baresip } from '../apps/server/test/baresip.js';
import { hearUntil, lastly, listen, shareOf, startEar } from './audio.js';
import { expect } from './expect.js';
import {
  callDemoNumber,
  type PlatformProcess,
  resultsDir,
  signIn,
  usePhoneBrowsers,
  usePlatformPerTest,
} from './support.js';

const CALLER_HZ = 700;
const AGENT_HZ = 1000;
const BEEP_HZ = 1400;

/** Share of `hz` in a stretch of PCM against its whole power (≈1 for a clean tone). */
function share(samples: Int16Array, hz: number, rate: number): number {
  let e = 0;
  for (const s of samples) e += (s / 32768) ** 2;
  const ms = e / Math.max(1, samples.length);
  return ms > 0 ? goertzelPower(samples, rate, hz) / (2 * ms) : 0;
}

/**
 * What the phone has heard so far: its sndfile recording, read while baresip still writes it
 * (the header's sizes are filled in only at the end, so the data runs to the end of the file).
 */
function heardSoFar(phone: Baresip): { samples: Int16Array; rate: number } | undefined {
  const dec = readdirSync(phone.dir).find((f) => f.endsWith('-dec.wav'));
  if (!dec) return undefined;
  const bytes = readFileSync(path.join(phone.dir, dec));
  const data = bytes.indexOf('data', 12, 'latin1');
  if (data < 0) return undefined;
  const start = data + 8;
  const count = Math.floor((bytes.length - start) / 2);
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = bytes.readInt16LE(start + 2 * i);
  return { samples, rate: bytes.readUInt32LE(24) };
}

/**
 * Waits until the phone hears a prompt begin after sample `from` (a tenth of a second of sound,
 * after a tenth of silence when `afterSilence`), and returns where it began: the phone keys in
 * its answer once it is asked, as a person would.
 */
async function hearsPrompt(
  phone: Baresip,
  from: number,
  afterSilence: boolean,
  timeoutMs = 20_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const heard = heardSoFar(phone);
    if (heard) {
      const frame = Math.round(heard.rate / 100);
      let quiet = afterSilence ? 0 : 10;
      let loud = 0;
      for (let at = from; at + frame <= heard.samples.length; at += frame) {
        const level = rms(heard.samples.subarray(at, at + frame));
        if (level < 50) {
          quiet++;
          loud = 0;
        } else if (level > 300 && quiet >= 10) {
          loud++;
          if (loud >= 10) return at - 9 * frame;
        }
      }
    }
    if (Date.now() > deadline)
      throw new Error(`the phone heard no prompt after sample ${from} in ${timeoutMs} ms`);
    await sleep(100);
  }
}

function rms(samples: Int16Array): number {
  let e = 0;
  for (const s of samples) e += s * s;
  return Math.sqrt(e / Math.max(1, samples.length));
}

describe('Call in to connect (B1): the agent’s phone (baresip) keys in ID and PIN from the dialog, then takes a call', () => {
  // Each test has a platform and a phone of its own, so it runs alone.
  const { start, browser } = usePlatformPerTest();
  const phones = usePhoneBrowsers({ caller: CALLER_HZ });

  async function phoneWithTone(t: TestContext): Promise<Baresip> {
    const phone = await Baresip.withTone(AGENT_HZ);
    t.after(() => phone.stop());
    return phone;
  }

  /**
   * agent2 connects voice by calling in from `phone`, keying ID and PIN when asked; a customer
   * then reaches them, the caller's ear on the line; the agent hangs up and the phone after.
   */
  async function callInAndTakeCall(platform: PlatformProcess, phone: Baresip) {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, 'agent2');
    const dialog = toolbar.getByRole('dialog', { name: 'Connect Voice' });
    await dialog.getByRole('radio', { name: 'Call in to connect' }).check();
    const details = dialog.getByRole('group', { name: 'Call-in details' });
    await expect(details).toBeVisible();
    const text = (await details.textContent()) ?? '';
    const agentId = /Agent ID\s*(\d+)/.exec(text)?.[1];
    const pin = /Verification PIN\s*(\d{6})/.exec(text)?.[1];
    const number = await details.getByLabel('Dial-in number').inputValue();
    assert.equal(agentId, '1002');
    assert.ok(pin, text);
    assert.equal(number, '+61290009999');
    await toolbar.screenshot({ path: path.join(resultsDir, 'connect-voice-call-in.png') });

    phone.command('dial', `sip:${number}@127.0.0.1:${platform.sipPort}`);
    await phone.waitFor('CALL_ESTABLISHED');
    // Asked for the agent ID, the phone keys it in; then, asked for the PIN (a new prompt after
    // the silence the keys made), the PIN.
    const askedId = await hearsPrompt(phone, 0, false);
    await phone.keys(`${agentId}#`);
    await hearsPrompt(phone, askedId, true);
    await phone.keys(`${pin}#`);
    await expect(dialog.getByRole('status').filter({ hasText: 'Voice connected' })).toBeVisible(15_000);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();

    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();

    // A customer calls, chooses support (2), and reaches agent2 on their phone.
    const caller = await callDemoNumber(phones.caller, platform.url);
    await caller.getByRole('button', { name: '2', exact: true }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(20_000);
    await startEar(caller, '__parleyPhone.remoteStream', [CALLER_HZ, AGENT_HZ]);
    await hearUntil(
      caller,
      lastly(10, (s) => shareOf(s, AGENT_HZ) > 0.5),
      'the agent’s phone, at the caller',
    );
    const heard = await listen(caller, 1000, [CALLER_HZ, AGENT_HZ]);

    const card = toolbar.getByRole('article', { name: 'Web caller' });
    await card.getByRole('button', { name: 'Hang Up' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    phone.command('hangup');
    await phone.waitFor('CALL_CLOSED');
    return { heard };
  }

  test('the dialog shows agent ID, dial-in number and PIN; keying them in connects the voice path', async (t) => {
    const platform = await start(t);
    const phone = await phoneWithTone(t);
    const { heard } = await callInAndTakeCall(platform, phone);
    console.log(`caller heard ${JSON.stringify(heard.share)}`);
    assert.ok((heard.share[AGENT_HZ] ?? 0) > 0.8, 'the caller hears the agent’s phone');
    assert.ok((heard.share[CALLER_HZ] ?? 1) < 0.01, 'and not themselves');
  });

  test('what the phone heard: the prompts, the beep, then the caller', async (t) => {
    const platform = await start(t);
    const phone = await phoneWithTone(t);
    await callInAndTakeCall(platform, phone);
    const dec = readdirSync(phone.dir).filter((f) => f.endsWith('-dec.wav'));
    assert.equal(
      dec.length,
      1,
      `one recording of what the phone heard: ${readdirSync(phone.dir).join(', ')}`,
    );
    const wav = await readWav(path.join(phone.dir, dec[0] ?? ''));
    const rate = wav.sampleRate;
    const frame = Math.round(rate / 50);
    const first = (hz: number) => {
      for (let at = 0; at + frame * 5 <= wav.samples.length; at += frame) {
        const win = wav.samples.subarray(at, at + frame * 5);
        if (share(win, hz, rate) > 0.5) return at / rate;
      }
      return undefined;
    };
    const beepAt = first(BEEP_HZ);
    const callerAt = first(CALLER_HZ);
    console.log(`phone heard the beep at ${beepAt} s and the caller at ${callerAt} s (${rate} Hz)`);
    assert.ok(beepAt !== undefined && callerAt !== undefined);
    assert.ok(beepAt < callerAt, 'the beep comes before the caller');
  });
});
