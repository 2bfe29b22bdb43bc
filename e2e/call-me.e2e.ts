import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Baresip } from '../apps/server/test/baresip.js';
import { hearUntil, lastly, listen, shareOf, startEar } from './audio.js';
import { expect } from './expect.js';
import { callDemoNumber, resultsDir, signIn, usePhoneBrowsers, usePlatform } from './support.js';

const CALLER_HZ = 700;
const AGENT_HZ = 1000;

describe('Call me to connect (B2): the platform rings the agent’s phone (baresip), which then takes a customer call', () => {
  const { platform, browser } = usePlatform();
  let phone: Baresip;
  const phones = usePhoneBrowsers({ caller: CALLER_HZ });

  before(async () => {
    phone = await Baresip.withTone(AGENT_HZ, { autoAnswer: true });
  });
  after(async () => {
    await phone?.stop();
  });

  test('a number outside the dial plan is refused in the dialog; the phone’s address connects', async () => {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, 'agent2');
    const dialog = toolbar.getByRole('dialog', { name: 'Connect Voice' });
    await dialog.getByRole('radio', { name: 'Call me to connect' }).check();
    const number = dialog.getByLabel('Phone number or extension');
    await number.fill('+44 20 7946 0958');
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(dialog.getByRole('alert').filter({ hasText: 'outside the countries' })).toBeVisible();

    await number.fill(`sip:agent@127.0.0.1:${phone.sipPort}`);
    await dialog.getByRole('checkbox', { name: 'Save as default' }).check();
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await phone.waitFor('CALL_ESTABLISHED');
    await expect(dialog.getByRole('status').filter({ hasText: 'Voice connected' })).toBeVisible(15_000);
    await toolbar.screenshot({ path: path.join(resultsDir, 'connect-voice-call-me.png') });
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();

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
    console.log(`caller heard ${JSON.stringify(heard.share)}`);
    assert.ok((heard.share[AGENT_HZ] ?? 0) > 0.8, 'the caller hears the agent’s phone');

    await toolbar
      .getByRole('article', { name: 'Web caller' })
      .getByRole('button', { name: 'Hang Up' })
      .click();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
    phone.command('hangup');
    await phone.waitFor('CALL_CLOSED');
    await expect(toolbar.getByRole('button', { name: 'Connect Voice' }).first()).toBeVisible();

    // At another desk (a fresh browser, nothing stored in it) the saved default is offered.
    const elsewhere = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(elsewhere, platform.url, 'agent2');
    await elsewhere.getByRole('button', { name: 'Connect Voice' }).first().click();
    const again = elsewhere.getByRole('dialog', { name: 'Connect Voice' });
    await again.getByRole('radio', { name: 'Call me to connect' }).check();
    await expect(again.getByLabel('Phone number or extension')).toHaveValue(
      `sip:agent@127.0.0.1:${phone.sipPort}`,
    );
    await expect(again.getByRole('checkbox', { name: 'Save as default' })).toBeChecked();
    await expect(again.getByRole('radio', { name: 'Persistent Connection', exact: true })).toBeChecked();
    await elsewhere.close();
  });
});
