import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { hearUntil, lastly, listen, shareOf, startEar } from './audio.js';
import { expect } from './expect.js';
import {
  callDemoNumber,
  type PlatformProcess,
  resultsDir,
  setAgentRingTimeout,
  signIn,
  usePhoneBrowsers,
  usePlatformPerTest,
  wrapWithOutcome,
} from './support.js';

const CALLER_HZ = 700;
const AGENT_HZ = 1000;
const RING_TIMEOUT_S = 5;

describe('non-persistent Web Connect: each call rings the tab (B3, C2)', () => {
  // Each test has a platform of its own and sets up what it needs, so it runs alone.
  const { start, browser } = usePlatformPerTest();
  const phones = usePhoneBrowsers({ agent: AGENT_HZ, caller: CALLER_HZ });

  async function platformWithRingTimeout(t: TestContext): Promise<PlatformProcess> {
    const platform = await start(t);
    await setAgentRingTimeout(platform.url, RING_TIMEOUT_S);
    return platform;
  }

  /** Ben (agent2) Available, his non-persistent Web Connect tab waiting, counted as voice. */
  async function agentWaiting(platform: PlatformProcess) {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, 'agent2');
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    const webConnect = await (await phones.agent.browser.newContext()).newPage();
    await signIn(webConnect, `${platform.url}/web-connect?mode=non-persistent`, 'agent2');
    await expect(webConnect.getByRole('status').filter({ hasText: 'Waiting' })).toBeVisible();
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();
    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
    await expect(toolbar.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    return { toolbar, webConnect };
  }

  /** The agent waiting, and a customer's call (menu option 2) ringing the tab. */
  async function ringing(platform: PlatformProcess) {
    const agent = await agentWaiting(platform);
    const caller = await callDemoNumber(phones.caller, platform.url);
    await caller.getByRole('button', { name: '2', exact: true }).click();
    await expect(
      agent.webConnect.getByRole('status').filter({ hasText: 'Incoming call: Web caller' }),
    ).toBeVisible(15_000);
    return { ...agent, caller };
  }

  /** Answered in the tab: caller and agent connected, the card on the toolbar. */
  async function answer({ toolbar, webConnect, caller }: Awaited<ReturnType<typeof ringing>>) {
    await webConnect.getByRole('button', { name: 'Answer' }).click();
    await expect(webConnect.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    const card = toolbar.getByRole('article', { name: 'Web caller' });
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();
    return card;
  }

  /** No answer within the ring timeout: Auto Pause, the tab waiting again, the caller still queued. */
  async function ringsOut({ toolbar, webConnect, caller }: Awaited<ReturnType<typeof ringing>>) {
    await expect(toolbar.getByRole('button', { name: 'Status: Auto Pause' })).toBeVisible(
      (RING_TIMEOUT_S + 20) * 1000,
    );
    await expect(webConnect.getByRole('status').filter({ hasText: 'Waiting' })).toBeVisible();
    await expect(caller.getByRole('status').filter({ hasText: 'Waiting in queue' })).toBeVisible();
  }

  test('the tab waits; the agent counts as having voice', async (t) => {
    await agentWaiting(await platformWithRingTimeout(t));
  });

  test('an offered call rings the tab; no answer within the ring timeout gives Auto Pause and the caller waits on', async (t) => {
    const call = await ringing(await platformWithRingTimeout(t));
    await expect(call.toolbar.getByText('Ringing: answer it in your Web Connect tab')).toBeVisible();
    await call.webConnect.screenshot({ path: path.join(resultsDir, 'web-connect-ringing.png') });
    await ringsOut(call);
  });

  test('Available again: the call rings again, answering in the tab connects caller and agent', async (t) => {
    const call = await ringing(await platformWithRingTimeout(t));
    const { toolbar, webConnect, caller } = call;
    await ringsOut(call);
    await toolbar.getByRole('button', { name: 'Status: Auto Pause' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
    await expect(webConnect.getByRole('status').filter({ hasText: 'Incoming call' })).toBeVisible(15_000);
    await answer(call);

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

  test('the agent hangs up from the toolbar: the caller is told, the tab waits again, wrap-up begins', async (t) => {
    const call = await ringing(await platformWithRingTimeout(t));
    const { toolbar, webConnect, caller } = call;
    const card = await answer(call);
    await card.getByRole('button', { name: 'Hang Up' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
    await expect(webConnect.getByRole('status').filter({ hasText: 'Waiting' })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    await wrapWithOutcome(toolbar, card, 'Resolved');
    await expect(card).toBeHidden();
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();
  });
});
