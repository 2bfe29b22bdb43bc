import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import type { Page } from 'playwright-core';
import { listen, startEar } from './audio.js';
import { expect } from './expect.js';
import {
  callDemoNumber,
  type PlatformProcess,
  resultsDir,
  setAgentRingTimeout,
  signIn,
  usePhoneBrowsers,
  usePlatformPerTest,
} from './support.js';

// Each party has a tone of its own, so what is heard tells who is on the line: the caller's
// microphone 700 Hz, the agent who never answers (A) 1200 Hz, the agent who takes the call (B) 1000 Hz.
const CALLER_HZ = 700;
const A_HZ = 1200;
const B_HZ = 1000;
const TONES = [CALLER_HZ, A_HZ, B_HZ];
const RING_TIMEOUT_S = 5;

/**
 * Listens in one-second stretches until `hz` is most of what the page hears (or `timeoutMs`
 * passes), and returns the last stretch's shares.
 */
async function hearsUntil(page: Page, hz: number, timeoutMs = 15_000): Promise<Record<number, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { share } = await listen(page, 1000, TONES);
    if ((share[hz] ?? 0) > 0.8 || Date.now() > deadline) return share;
  }
}

describe('a ring with no answer: Auto Pause for that agent, and the caller reaches the next agent (B3, C2)', () => {
  // Each test has a platform of its own and sets up what it needs, so it runs alone.
  const { start, browser } = usePlatformPerTest();
  const phones = usePhoneBrowsers({ a: A_HZ, b: B_HZ, caller: CALLER_HZ });
  // A: Ben (agent2), non-persistent Web Connect, never answers. B: Ava (agent1), persistent.
  // Both are on the Customer Care team that the demo number's queue (menu option 2) serves.

  async function platformWithRingTimeout(t: TestContext): Promise<PlatformProcess> {
    const platform = await start(t);
    await setAgentRingTimeout(platform.url, RING_TIMEOUT_S);
    return platform;
  }

  /** Both agents with voice, A made Available before B. */
  async function bothAgentsReady(platform: PlatformProcess) {
    const toolbarA = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    const toolbarB = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbarA, platform.url, 'agent2');
    await signIn(toolbarB, platform.url, 'agent1');
    await toolbarA.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    await toolbarB.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');

    const webConnectA = await (await phones.a.browser.newContext()).newPage();
    await signIn(webConnectA, `${platform.url}/web-connect?mode=non-persistent`, 'agent2');
    await expect(webConnectA.getByRole('status').filter({ hasText: 'Waiting' })).toBeVisible();
    await expect(toolbarA.getByLabel('Voice connected').first()).toBeVisible();

    const webConnectB = await (await phones.b.browser.newContext()).newPage();
    await signIn(webConnectB, `${platform.url}/web-connect?mode=persistent`, 'agent1');
    await webConnectB.getByRole('button', { name: 'Answer' }).click();
    await expect(webConnectB.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    await expect(toolbarB.getByLabel('Voice connected').first()).toBeVisible();
    await startEar(webConnectB, '__parleyWebConnect.remoteStream', TONES);

    // The router offers a call to the Available agent idle the longest: A, made Available first.
    await toolbarA.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbarA.getByRole('menuitem', { name: 'Available' }).click();
    await expect(toolbarA.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    await toolbarB.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbarB.getByRole('menuitem', { name: 'Available' }).click();
    await expect(toolbarB.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    return { toolbarA, webConnectA, toolbarB, webConnectB };
  }

  /** Both agents ready, and a customer's call ringing A's tab (and when that was seen). */
  async function ringingA(platform: PlatformProcess) {
    const agents = await bothAgentsReady(platform);
    const caller = await callDemoNumber(phones.caller, platform.url);
    await startEar(caller, '__parleyPhone.remoteStream', TONES);
    await caller.getByRole('button', { name: '2', exact: true }).click();
    await expect(
      agents.webConnectA.getByRole('status').filter({ hasText: 'Incoming call: Web caller' }),
    ).toBeVisible(15_000);
    return { ...agents, caller, ringingSeenAt: Date.now() };
  }

  test('both agents connect voice; A becomes Available first, then B (A has been idle longer)', async (t) => {
    await bothAgentsReady(await platformWithRingTimeout(t));
  });

  test('the customer calls: only A’s Web Connect tab rings; B is offered nothing meanwhile', async (t) => {
    const { toolbarA, webConnectA, toolbarB, caller } = await ringingA(await platformWithRingTimeout(t));
    // Checked at once, well within the ring timeout: B, though Available, has nothing.
    assert.equal(
      await toolbarB.getByRole('article', { name: 'Web caller' }).count(),
      0,
      'the call is not offered to B while it rings A',
    );
    assert.equal(
      await caller.getByRole('status').filter({ hasText: 'Connected' }).count(),
      0,
      'the caller is not connected while A’s tab rings',
    );
    await expect(toolbarB.getByText('No active interactions')).toBeVisible();
    await expect(toolbarB.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    await expect(toolbarA.getByText('Ringing: answer it in your Web Connect tab')).toBeVisible();
    await webConnectA.screenshot({ path: path.join(resultsDir, 'next-agent-a-ringing.png') });
  });

  test('no answer within the Agent Ring Timeout: A goes to Auto Pause and the caller reaches B', async (t) => {
    const { toolbarA, webConnectA, toolbarB, webConnectB, caller, ringingSeenAt } = await ringingA(
      await platformWithRingTimeout(t),
    );
    // A, unanswered: Auto Pause with its notice, the offer gone from the toolbar, the tab waiting.
    await expect(toolbarA.getByRole('button', { name: 'Status: Auto Pause' })).toBeVisible(
      (RING_TIMEOUT_S + 20) * 1000,
    );
    await expect(toolbarA.getByRole('alert').filter({ hasText: 'Auto Pause' })).toBeVisible();
    await expect(toolbarA.getByRole('article', { name: 'Web caller' })).toBeHidden();
    await expect(webConnectA.getByRole('status').filter({ hasText: 'Waiting' })).toBeVisible();

    // B, on persistent Web Connect, gets the call straight away: connected with nothing to answer.
    const card = toolbarB.getByRole('article', { name: 'Web caller' });
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible(15_000);
    const reachedBAfterMs = Date.now() - ringingSeenAt;
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    console.log(`the caller reached B ${reachedBAfterMs} ms after A's tab was seen ringing`);
    // The tab is seen ringing a moment after the ring began: allow two seconds' slack (a call
    // handed to B at once would arrive within a second or so).
    assert.ok(
      reachedBAfterMs >= (RING_TIMEOUT_S - 2) * 1000,
      `B got the call only once A's ring had timed out (${reachedBAfterMs} ms)`,
    );

    const bHeard = await hearsUntil(webConnectB, CALLER_HZ);
    const callerHeard = await hearsUntil(caller, B_HZ);
    console.log(`B heard ${JSON.stringify(bHeard)}; caller heard ${JSON.stringify(callerHeard)}`);
    // On failure, say what each phone showed: a call that was dropped reads differently from one
    // that is up but silent.
    const shows = async (page: Page) => (await page.getByRole('status').first().textContent())?.trim();
    assert.ok(
      (bHeard[CALLER_HZ] ?? 0) > 0.8,
      `B hears the caller (B's Web Connect shows "${await shows(webConnectB)}")`,
    );
    assert.ok(
      (callerHeard[B_HZ] ?? 0) > 0.8,
      `the caller hears B (the caller's phone shows "${await shows(caller)}")`,
    );
    assert.ok((callerHeard[A_HZ] ?? 1) < 0.01, 'and not A, whose tab was never answered');

    // A stays paused, with nothing on the toolbar, and the tab does not ring again.
    await expect(toolbarA.getByRole('button', { name: 'Status: Auto Pause' })).toBeVisible();
    await expect(toolbarA.getByText('No active interactions')).toBeVisible();
    await expect(webConnectA.getByRole('status').filter({ hasText: 'Waiting' })).toBeVisible();
    await toolbarB.screenshot({ path: path.join(resultsDir, 'next-agent-b-on-call.png') });
  });

  test('the caller hangs up: B’s call goes to wrap-up', async (t) => {
    const { toolbarB, webConnectB, caller } = await ringingA(await platformWithRingTimeout(t));
    // No answer from A: the call reaches B after the ring timeout.
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(
      (RING_TIMEOUT_S + 20) * 1000,
    );
    await caller.getByRole('button', { name: 'Hang up' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
    const card = toolbarB.getByRole('article', { name: 'Web caller' });
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    await expect(webConnectB.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
  });
});
