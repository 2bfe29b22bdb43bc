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

  test('the connect dialog opens the Web Connect tab; answering it connects the voice path', async () => {
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

    // A frozen Web Connect tab sends no more audio: "Voice Disconnected" within 5 s.
    phones.agent.freeze();
    const frozenAt = Date.now();
    await expect(toolbar.getByRole('alert').filter({ hasText: 'Voice Disconnected' })).toBeVisible(8_000);
    const took = Date.now() - frozenAt;
    assert.ok(took < 5_000, `noticed after ${took} ms`);
    await expect(toolbar.getByRole('button', { name: 'Connect Voice' })).toBeVisible();
    assert.equal(await voiceOf('agent1'), 'lost');
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-voice-disconnected.png') });
    phones.agent.thaw();
    // Closing the tab ends the voice path for good.
    await context.close();
    await expect(toolbar.getByRole('button', { name: 'Connect Voice' })).toBeVisible();
  });
});
