import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { HttpClient } from '@parley/client';
import type { Locator, Page } from 'playwright-core';
import { type Heard, hearUntil, lastly, listen, shareOf, startEar } from './audio.js';
import { expect } from './expect.js';
import {
  callerWaitingInQueue,
  connectWebConnect,
  DEMO_PASSWORD,
  type PlatformProcess,
  resultsDir,
  signIn,
  usePhoneBrowsers,
  usePlatformPerTest,
} from './support.js';

// Each party has a tone of its own, so what a party hears tells who is on the line: the
// customer's microphone 700 Hz, the agent's 1000 Hz, the manager's 1600 Hz.
const CALLER_HZ = 700;
const AGENT_HZ = 1000;
const MANAGER_HZ = 1600;
const EAR = [CALLER_HZ, AGENT_HZ, MANAGER_HZ];

const screenshots = path.join(resultsDir, 'screenshots');

/** A tone is part of what is heard (two voices at once share the line about evenly). */
const hears = (hz: number) => (s: Heard) => shareOf(s, hz) > 0.2;
/** A tone is not heard at all. */
const deaf = (hz: number) => (s: Heard) => shareOf(s, hz) < 0.01;

/** The workspace's Agent Assist setting, changed as its administrator would. */
async function setAgentAssist(platformUrl: string, enabled: boolean): Promise<void> {
  const admin = new HttpClient({ baseUrl: platformUrl, manageCookies: true });
  const session = await admin.login({ username: 'admin', password: DEMO_PASSWORD });
  await admin.settings(session.workspace.id).update({ agentAssistEnabled: enabled });
}

describe('Agent Assist: the agent asks for help and a manager listens, whispers and barges from Live calls (I8, Q1)', () => {
  // Each test has a platform of its own and sets up the call it needs, so it runs alone.
  const { start, browser } = usePlatformPerTest();
  const phones = usePhoneBrowsers({ agent: AGENT_HZ, caller: CALLER_HZ, manager: MANAGER_HZ });
  // The demo's Ava Agent (agent1) and Morgan Manager (manager) are both on Customer Care, the
  // team the demo number's support queue (menu option 2) serves.

  /** A signed-in toolbar with the Connect Voice dialog it opens at sign-in put aside. */
  async function toolbarOf(platform: PlatformProcess, username: string): Promise<Page> {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, username);
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    return toolbar;
  }

  /** Ava on persistent Web Connect talking to a web phone customer, each hearing the other. */
  async function connectedCall(platform: PlatformProcess) {
    const toolbar = await toolbarOf(platform, 'agent1');
    const webConnect = await connectWebConnect(phones.agent, platform.url, 'agent1', toolbar);
    await startEar(webConnect, '__parleyWebConnect.remoteStream', EAR);
    const caller = await callerWaitingInQueue(phones.caller, platform.url);
    await startEar(caller, '__parleyPhone.remoteStream', EAR);
    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    const card = toolbar.getByRole('article', { name: 'Web caller' });
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();
    await hearUntil(caller, lastly(10, hears(AGENT_HZ)), 'the customer hearing the agent');
    await hearUntil(webConnect, lastly(10, hears(CALLER_HZ)), 'the agent hearing the customer');
    return { toolbar, webConnect, caller, card };
  }

  /** Ava's call on the Live calls table. */
  const avasRow = (page: Page): Locator =>
    page.getByRole('table', { name: 'Live calls' }).getByRole('row').filter({ hasText: 'Ava Agent' });

  /** Which of the row's mode buttons is pressed, and who the "Monitored by" column names. */
  async function expectMonitoring(row: Locator, pressed: 'Listen' | 'Whisper' | 'Barge', doing: string) {
    await expect(row.getByRole('button', { name: pressed, pressed: true })).toBeVisible();
    for (const other of ['Listen', 'Whisper', 'Barge'].filter((m) => m !== pressed))
      await expect(row.getByRole('button', { name: other, pressed: false })).toBeVisible();
    await expect(row.getByRole('cell', { name: `You: ${doing}` })).toBeVisible();
    await expect(row.getByRole('button', { name: 'Stop' })).toBeVisible();
  }

  /** Listens one second on `page` and fails unless none of `hz` was heard. */
  async function assertNotHeard(page: Page, hz: number, what: string): Promise<void> {
    const heard = await listen(page, 1000, EAR);
    assert.ok(
      (heard.share[hz] ?? 1) < 0.01,
      `${what} (heard ${JSON.stringify(heard.share)} over ${heard.samples.length} samples)`,
    );
  }

  test('the agent asks for help; the team’s manager is told, opens Live calls and listens, whispers, barges and stops', async (t) => {
    const platform = await start(t);
    await setAgentAssist(platform.url, true);
    mkdirSync(screenshots, { recursive: true });

    // Morgan, the manager, on the toolbar with a voice path of their own, hearing nothing yet.
    const managerPage = await toolbarOf(platform, 'manager');
    const managerVoice = await connectWebConnect(phones.manager, platform.url, 'manager', managerPage);
    await startEar(managerVoice, '__parleyWebConnect.remoteStream', EAR);

    const { toolbar, webConnect, caller, card } = await connectedCall(platform);
    await assertNotHeard(managerVoice, CALLER_HZ, 'before joining, the manager does not hear the customer');

    // The agent asks for help: the card says so, and the control stays pressed (orange).
    const assist = card.getByRole('button', { name: 'Agent Assist' });
    await assist.click();
    const helpRequested = card.getByRole('status').filter({ hasText: 'Help requested' });
    await expect(helpRequested).toBeVisible();
    await expect(card.getByRole('button', { name: 'Agent Assist', pressed: true })).toBeVisible();
    await toolbar.screenshot({ path: path.join(screenshots, 'supervision-card-help-requested.png') });

    // The manager is told at once, on the toolbar.
    await managerPage.getByRole('button', { name: 'Notifications' }).click();
    await expect(
      managerPage
        .getByRole('listitem')
        .filter({ hasText: /^Ava Agent asks for help on a call: Customer Care, / }),
    ).toBeVisible();
    await managerPage.keyboard.press('Escape');

    // Live calls, from the avatar menu: Ava's call, marked as asking for help.
    await managerPage.getByRole('button', { name: 'Agent menu' }).click();
    await managerPage.getByRole('menuitem', { name: 'Live calls' }).click();
    await managerPage.waitForURL('**/live-calls');
    const row = avasRow(managerPage);
    await expect(row.getByText('Asks for help')).toBeVisible();
    await expect(row.getByRole('cell', { name: 'Customer Care' })).toBeVisible();
    await expect(row.getByRole('cell', { name: 'Talking' })).toBeVisible();
    assert.equal(await row.getByRole('button', { name: 'Stop' }).count(), 0, 'nothing to stop yet');
    await managerPage.screenshot({
      path: path.join(screenshots, 'supervision-live-calls-asks-for-help.png'),
    });

    // Listen: the manager hears both; nobody hears the manager. The request is answered.
    const whisperAt = await row.getByRole('button', { name: 'Whisper' }).boundingBox();
    await row.getByRole('button', { name: 'Listen' }).click();
    await expectMonitoring(row, 'Listen', 'Listening');
    await expect(row.getByText('Asks for help')).toBeHidden();
    // The buttons stay put when the badge goes: a second click lands where the manager aims.
    const whisperNow = await row.getByRole('button', { name: 'Whisper' }).boundingBox();
    assert.ok(
      whisperAt && whisperNow && Math.abs(whisperAt.x - whisperNow.x) < 2,
      `Whisper moved from ${whisperAt?.x} to ${whisperNow?.x}`,
    );
    await expect(helpRequested).toBeHidden();
    await hearUntil(
      managerVoice,
      lastly(10, (s) => hears(CALLER_HZ)(s) && hears(AGENT_HZ)(s)),
      'listening, the manager hearing the customer and the agent',
    );
    await assertNotHeard(caller, MANAGER_HZ, 'listening: the customer does not hear the manager');
    await assertNotHeard(webConnect, MANAGER_HZ, 'listening: the agent does not hear the manager');
    await managerPage.screenshot({ path: path.join(screenshots, 'supervision-live-calls-listening.png') });

    // Whisper: the agent hears the manager; the customer still does not.
    await row.getByRole('button', { name: 'Whisper' }).click();
    await expectMonitoring(row, 'Whisper', 'Whispering');
    await hearUntil(webConnect, lastly(10, hears(MANAGER_HZ)), 'whispering, the agent hearing the manager');
    await assertNotHeard(caller, MANAGER_HZ, 'whispering: the customer does not hear the manager');
    await hearUntil(
      managerVoice,
      lastly(10, (s) => hears(CALLER_HZ)(s) && hears(AGENT_HZ)(s)),
      'whispering, the manager still hearing both',
    );

    // Barge: everyone hears the manager.
    await row.getByRole('button', { name: 'Barge' }).click();
    await expectMonitoring(row, 'Barge', 'Barged in');
    await hearUntil(caller, lastly(10, hears(MANAGER_HZ)), 'barged in, the customer hearing the manager');
    await hearUntil(webConnect, lastly(10, hears(MANAGER_HZ)), 'barged in, the agent hearing the manager');
    await managerPage.screenshot({ path: path.join(screenshots, 'supervision-live-calls-barged-in.png') });

    // Stop: the manager leaves; the call goes on as before, between the customer and the agent.
    await row.getByRole('button', { name: 'Stop' }).click();
    await expect(row.getByRole('button', { name: 'Stop' })).toBeHidden();
    for (const mode of ['Listen', 'Whisper', 'Barge'])
      await expect(row.getByRole('button', { name: mode, pressed: false })).toBeVisible();
    await expect(row.getByRole('cell', { name: '—', exact: true })).toBeVisible();
    await hearUntil(
      caller,
      lastly(25, deaf(MANAGER_HZ)),
      'after Stop, the customer no longer hearing the manager',
    );
    await hearUntil(
      managerVoice,
      lastly(25, (s) => deaf(CALLER_HZ)(s) && deaf(AGENT_HZ)(s)),
      'after Stop, the manager hearing the call no more',
    );
    await hearUntil(caller, lastly(10, hears(AGENT_HZ)), 'after Stop, the customer still hearing the agent');
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();
    await expect(helpRequested).toBeHidden();
  });

  test('a manager without a voice path who clicks Listen is told to connect their voice first', async (t) => {
    const platform = await start(t);
    mkdirSync(screenshots, { recursive: true });
    const { caller } = await connectedCall(platform);

    const page = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, `${platform.url}/live-calls`, 'manager');
    const row = avasRow(page);
    await row.getByRole('button', { name: 'Listen' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Connect your voice first' });
    await expect(alert).toBeVisible();
    const webConnectLink = alert.getByRole('link', { name: 'Open Web Connect' });
    assert.match((await webConnectLink.getAttribute('href')) ?? '', /\/web-connect\?mode=persistent$/);
    assert.equal(
      await alert.getByRole('link', { name: 'Connect Voice in the toolbar' }).getAttribute('href'),
      '/',
    );
    await page.screenshot({ path: path.join(screenshots, 'supervision-live-calls-connect-voice-first.png') });

    // Nothing changed on the call: nobody monitors it, and the customer hears only the agent.
    await expect(row.getByRole('button', { name: 'Listen', pressed: false })).toBeVisible();
    assert.equal(await row.getByRole('button', { name: 'Stop' }).count(), 0, 'nothing to stop');
    await expect(row.getByRole('cell', { name: '—', exact: true })).toBeVisible();
    await hearUntil(caller, lastly(10, hears(AGENT_HZ)), 'the customer still hearing the agent');

    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(alert).toBeHidden();
  });

  test('with Agent Assist off the card has no Agent Assist control; turned on, it appears without a reload', async (t) => {
    const platform = await start(t);
    const { card } = await connectedCall(platform);
    // The card is drawn with its controls (Hang Up is there): Agent Assist is not among them.
    await expect(card.getByRole('button', { name: 'Toggle call hold' })).toBeVisible();
    assert.equal(
      await card.getByRole('button', { name: 'Agent Assist' }).count(),
      0,
      'no Agent Assist while off',
    );

    await setAgentAssist(platform.url, true);
    await expect(card.getByRole('button', { name: 'Agent Assist' })).toBeVisible();
    await setAgentAssist(platform.url, false);
    await expect(card.getByRole('button', { name: 'Agent Assist' })).toBeHidden();
  });
});
