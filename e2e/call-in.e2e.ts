import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { goertzelPower } from '../apps/server/src/media/dsp/goertzel.js';
import { readWav } from '../apps/server/src/media/wav.js';
import { Baresip } from '../apps/server/test/baresip.js';
import { listen, startEar } from './audio.js';
import { expect } from './expect.js';
import { callDemoNumber, resultsDir, signIn, usePhoneBrowsers, usePlatform } from './support.js';

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

describe('Call in to connect (B1): the agent’s phone (baresip) keys in ID and PIN from the dialog, then takes a call', () => {
  const { platform, browser } = usePlatform();
  let phone: Baresip;
  const phones = usePhoneBrowsers({ caller: CALLER_HZ });

  before(async () => {
    phone = await Baresip.withTone(AGENT_HZ);
  });
  after(async () => {
    await phone?.stop();
  });

  test('the dialog shows agent ID, dial-in number and PIN; keying them in connects the voice path', async () => {
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
    await sleep(1200);
    await phone.keys(`${agentId}#`);
    await sleep(1200);
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
    await sleep(500);
    const heard = await listen(caller, 1000, [CALLER_HZ, AGENT_HZ]);
    console.log(`caller heard ${JSON.stringify(heard.share)}`);
    assert.ok((heard.share[AGENT_HZ] ?? 0) > 0.8, 'the caller hears the agent’s phone');
    assert.ok((heard.share[CALLER_HZ] ?? 1) < 0.01, 'and not themselves');

    const card = toolbar.getByRole('article', { name: 'Web caller' });
    await card.getByRole('button', { name: 'Hang Up' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
    await sleep(300);
    phone.command('hangup');
    await phone.waitFor('CALL_CLOSED');
  });

  test('what the phone heard: the prompts, the beep, then the caller', async () => {
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
