import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { HttpClient } from '@parley/client';
import type { AgentState } from '@parley/contract';
import { expect } from './expect.js';
import { DEMO_PASSWORD, resultsDir, signIn, usePhoneBrowsers, usePlatform } from './support.js';

describe('Web Connect (B3) and a lost voice connection (B4)', () => {
  const { platform, browser } = usePlatform();
  const phones = usePhoneBrowsers({ agent: 1000 });

  async function voiceOf(username: string): Promise<AgentState['voice']> {
    const c = new HttpClient({ baseUrl: platform.url, manageCookies: true });
    await c.login({ username, password: DEMO_PASSWORD });
    const state = await c.request<AgentState>('GET', '/api/agent/state');
    return state.voice;
  }

  test('the connect dialog opens the Web Connect tab; answering it connects the voice path; a frozen tab loses it until thawed', async () => {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, 'agent1');
    const dialog = toolbar.getByRole('dialog', { name: 'Connect Voice' });
    await expect(dialog).toBeVisible();
    await dialog.getByText('Web Connect').first().click();
    await dialog.getByRole('radio', { name: 'Persistent Connection', exact: true }).check();
    const popup = toolbar.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    const tab = await popup;
    assert.match(tab.url(), /\/web-connect\?mode=persistent$/);
    await tab.close();

    // The Web Connect tab runs in a browser of its own (with a microphone), so it can be frozen.
    const context = await phones.agent.browser.newContext();
    const wc = await context.newPage();
    await signIn(wc, `${platform.url}/web-connect?mode=persistent`, 'agent1');
    await wc.getByRole('button', { name: 'Answer' }).click();
    await expect(wc.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();
    assert.equal(await voiceOf('agent1'), 'connected');
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-voice-connected.png') });

    // A frozen Web Connect tab sends no more audio: "Voice Disconnected" within 5 s (B4); the
    // bound allows for a loaded two-CPU machine between the server noticing and the page showing it.
    const alert = toolbar.getByRole('alert').filter({ hasText: 'Voice Disconnected' });
    const connectVoice = toolbar.getByRole('button', { name: 'Connect Voice' });
    assert.equal(await alert.count(), 0, 'no alert while the voice is connected');
    phones.agent.freeze();
    const frozenAt = Date.now();
    await expect(alert).toBeVisible(20_000);
    const took = Date.now() - frozenAt;
    console.log(`the frozen tab was noticed after ${took} ms`);
    assert.ok(took < 10_000, `noticed after ${took} ms`);
    await expect(connectVoice).toBeVisible();
    assert.equal(await voiceOf('agent1'), 'lost');
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-voice-disconnected.png') });

    // Thawed, the tab sends again and the voice path is back.
    phones.agent.thaw();
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible(15_000);
    await expect(alert).toBeHidden();
    assert.equal(await voiceOf('agent1'), 'connected');
  });

  test('closing the Web Connect tab loses the voice path', async () => {
    phones.agent.thaw(); // in case a test before this one stopped with the phone browser frozen
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, 'agent2');
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    const context = await phones.agent.browser.newContext();
    const wc = await context.newPage();
    await signIn(wc, `${platform.url}/web-connect?mode=persistent`, 'agent2');
    await wc.getByRole('button', { name: 'Answer' }).click();
    await expect(wc.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);

    // Before: connected, no alert, nothing to reconnect.
    const alert = toolbar.getByRole('alert').filter({ hasText: 'Voice Disconnected' });
    const connectVoice = toolbar.getByRole('button', { name: 'Connect Voice' });
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();
    assert.equal(await alert.count(), 0, 'no "Voice Disconnected" while connected');
    assert.equal(await connectVoice.count(), 0, 'no "Connect Voice" while connected');
    assert.equal(await voiceOf('agent2'), 'connected');

    // Closing the tab ends the voice path for good: the alert and "Connect Voice" appear.
    await context.close();
    await expect(alert).toBeVisible(15_000);
    await expect(connectVoice).toBeVisible();
    await expect(toolbar.getByLabel('Voice connected')).toBeHidden();
    assert.equal(await voiceOf('agent2'), 'lost');
  });
});
