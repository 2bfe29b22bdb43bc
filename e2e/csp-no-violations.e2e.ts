import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { expect } from './expect.js';
import {
  callerWaitingInQueue,
  cspViolations,
  type PlatformProcess,
  signIn,
  usePhoneBrowsers,
  usePlatformPerTest,
  wrapWithOutcome,
} from './support.js';

/**
 * Every page the platform serves runs under its Content Security Policy: the toolbar with its
 * Connect Voice dialog and Web Connect tab, a call from the web phone, the Interactions page
 * playing a recording, and no other site can show them in a frame. Each step checks that
 * nothing was refused, so a policy too strict for the UI fails here by name.
 */
describe('the toolbar and the web phone run under their Content Security Policy', () => {
  // Each test has a platform of its own and sets up what it needs, so it runs alone.
  const { start, browser } = usePlatformPerTest();
  const phones = usePhoneBrowsers({ agent: 1000, caller: 700 });

  /** agent1's toolbar, voice connected by the Connect Voice dialog's Web Connect tab. */
  async function toolbarWithWebConnect(platform: PlatformProcess): Promise<Page> {
    const context = await phones.agent.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const toolbar = await context.newPage();
    await signIn(toolbar, platform.url, 'agent1');
    const dialog = toolbar.getByRole('dialog', { name: 'Connect Voice' });
    await expect(dialog).toBeVisible();
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      dialog.getByRole('button', { name: 'Connect', exact: true }).click(),
    ]);
    await tab.getByRole('button', { name: 'Answer' }).click();
    await expect(tab.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();
    return toolbar;
  }

  /** A web-phone caller queued, delivered to the Available agent, hung up, and the call wrapped. */
  async function callTalkedAndWrapped(platform: PlatformProcess, toolbar: Page): Promise<void> {
    const caller = await callerWaitingInQueue(phones.caller, platform.url);
    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    const card = toolbar.getByRole('article', { name: 'Web caller' });
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();

    await caller.getByRole('button', { name: 'Hang up' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
    await wrapWithOutcome(toolbar, card, 'Resolved');
    await expect(card).toBeHidden();
  }

  test('an agent signs in and connects Web Connect from the Connect Voice dialog', async (t) => {
    await toolbarWithWebConnect(await start(t));
    cspViolations.assertNone('in the toolbar and its Web Connect tab');
  });

  test('a customer calls the demo number from the web phone, talks to the agent, and the agent wraps', async (t) => {
    const platform = await start(t);
    const toolbar = await toolbarWithWebConnect(platform);
    cspViolations.assertNone('in the toolbar and its Web Connect tab');
    await callTalkedAndWrapped(platform, toolbar);
    cspViolations.assertNone('on a call from the web phone');
  });

  test("a manager opens the call's record in Interactions and its recording loads", async (t) => {
    const platform = await start(t);
    await callTalkedAndWrapped(platform, await toolbarWithWebConnect(platform));
    cspViolations.assertNone('in the toolbar and on a call');
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, `${platform.url}/interactions`, 'manager');
    const row = page
      .getByRole('table', { name: 'Interactions' })
      .getByRole('row')
      .filter({ hasText: 'Web caller' });
    await row.first().getByRole('button').first().click();
    const audio = page
      .getByRole('region', { name: 'Interaction record' })
      .getByLabel('Recording of Web caller');
    await expect(audio).toBeVisible();
    // The player reads the WAV's header itself: media-src must let it. A load the policy blocks
    // may end in neither event, so the wait has a deadline.
    const loaded = await audio.evaluate(
      (el: HTMLAudioElement) =>
        new Promise<string>((resolve) => {
          if (el.readyState >= 1) resolve('loaded');
          el.addEventListener('loadedmetadata', () => resolve('loaded'));
          el.addEventListener('error', () => resolve(`error ${el.error?.code}`));
          setTimeout(() => resolve('no metadata within 15 s'), 15_000);
        }),
    );
    assert.equal(loaded, 'loaded');
    await page.goto(`${platform.url}/help`);
    await expect(page.getByRole('heading').first()).toBeVisible();
    cspViolations.assertNone('on the Interactions and help pages');
  });

  test('another site cannot show the toolbar or the web phone in a frame', async (t) => {
    const platform = await start(t);
    const page = await browser().newPage();
    let refusals = 0;
    const bothRefused = new Promise<void>((resolve) => {
      page.on('console', (message) => {
        if (/frame-ancestors 'none'/.test(message.text()) && ++refusals === 2) resolve();
      });
    });
    await page.setContent(
      `<iframe title="toolbar" src="${platform.url}/"></iframe>` +
        `<iframe title="web phone" src="${platform.url}/phone/"></iframe>`,
    );
    // setContent waited for both frames to load: what loaded is Chromium's error page.
    const framed = page.frames().filter((frame) => frame !== page.mainFrame());
    assert.equal(framed.length, 2);
    for (const frame of framed) assert.equal(frame.url(), 'chrome-error://chromewebdata/');
    await Promise.race([
      bothRefused,
      sleep(10_000, undefined, { ref: false }).then(() =>
        assert.fail('Chromium did not name frame-ancestors for both frames'),
      ),
    ]);
    // The refusals were this test's own doing; anything else refused would still fail it.
    const others = cspViolations.take().filter((v) => !/frame-ancestors 'none'/.test(v));
    assert.deepEqual(others, []);
  });
});
