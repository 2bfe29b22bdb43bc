import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { hearUntil, lastly, listen, shareOf, startEar } from './audio.js';
import { expect } from './expect.js';
import {
  callDemoNumber,
  resultsDir,
  setAgentRingTimeout,
  signIn,
  usePhoneBrowsers,
  usePlatform,
  wrapWithOutcome,
} from './support.js';

const CALLER_HZ = 700;
const AGENT_HZ = 1000;
const RING_TIMEOUT_S = 5;

describe('non-persistent Web Connect: each call rings the tab (B3, C2)', () => {
  const { platform, browser } = usePlatform();
  const phones = usePhoneBrowsers({ agent: AGENT_HZ, caller: CALLER_HZ });
  let toolbar: Page;
  let webConnect: Page;
  let caller: Page;

  before(() => setAgentRingTimeout(platform.url, RING_TIMEOUT_S));

  test('the tab waits; the agent counts as having voice', async () => {
    toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, 'agent2');
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    webConnect = await (await phones.agent.browser.newContext()).newPage();
    await signIn(webConnect, `${platform.url}/web-connect?mode=non-persistent`, 'agent2');
    await expect(webConnect.getByRole('status').filter({ hasText: 'Waiting' })).toBeVisible();
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();
    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
    await expect(toolbar.getByRole('button', { name: 'Status: Available' })).toBeVisible();
  });

  test('an offered call rings the tab; no answer within the ring timeout gives Auto Pause and the caller waits on', async () => {
    caller = await callDemoNumber(phones.caller, platform.url);
    await caller.getByRole('button', { name: '2', exact: true }).click();
    await expect(webConnect.getByRole('status').filter({ hasText: 'Incoming call: Web caller' })).toBeVisible(
      15_000,
    );
    await expect(toolbar.getByText('Ringing: answer it in your Web Connect tab')).toBeVisible();
    await webConnect.screenshot({ path: path.join(resultsDir, 'web-connect-ringing.png') });

    await expect(toolbar.getByRole('button', { name: 'Status: Auto Pause' })).toBeVisible(
      (RING_TIMEOUT_S + 20) * 1000,
    );
    await expect(webConnect.getByRole('status').filter({ hasText: 'Waiting' })).toBeVisible();
    await expect(caller.getByRole('status').filter({ hasText: 'Waiting in queue' })).toBeVisible();
  });

  test('Available again: the call rings again, answering in the tab connects caller and agent', async () => {
    await toolbar.getByRole('button', { name: 'Status: Auto Pause' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
    await expect(webConnect.getByRole('status').filter({ hasText: 'Incoming call' })).toBeVisible(15_000);
    await webConnect.getByRole('button', { name: 'Answer' }).click();
    await expect(webConnect.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    const card = toolbar.getByRole('article', { name: 'Web caller' });
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();

    await startEar(webConnect, '__parleyWebConnect.remoteStream', [CALLER_HZ, AGENT_HZ]);
    await startEar(caller, '__parleyPhone.remoteStream', [CALLER_HZ, AGENT_HZ]);
    await hearUntil(
      webConnect,
      lastly(10, (s) => shareOf(s, CALLER_HZ) > 0.5),
      'the caller, at the agent',
    );
    await hearUntil(
      caller,
      lastly(10, (s) => shareOf(s, AGENT_HZ) > 0.5),
      'the agent, at the caller',
    );
    const agentHeard = await listen(webConnect, 1000, [CALLER_HZ, AGENT_HZ]);
    const callerHeard = await listen(caller, 1000, [CALLER_HZ, AGENT_HZ]);
    console.log(
      `agent heard ${JSON.stringify(agentHeard.share)}; caller heard ${JSON.stringify(callerHeard.share)}`,
    );
    assert.ok((agentHeard.share[CALLER_HZ] ?? 0) > 0.8, 'the agent hears the caller');
    assert.ok((callerHeard.share[AGENT_HZ] ?? 0) > 0.8, 'the caller hears the agent');
  });

  test('the agent hangs up from the toolbar: the caller is told, the tab waits again, wrap-up begins', async () => {
    const card = toolbar.getByRole('article', { name: 'Web caller' });
    await card.getByRole('button', { name: 'Hang Up' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
    await expect(webConnect.getByRole('status').filter({ hasText: 'Waiting' })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    await wrapWithOutcome(toolbar, card, 'Resolved');
    await expect(card).toBeHidden();
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();
  });
});
