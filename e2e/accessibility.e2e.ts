import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HttpClient } from '@parley/client';
import type { Page } from 'playwright-core';
import { assertNoSeriousA11yViolations } from './axe.js';
import { expect } from './expect.js';
import {
  callDemoNumber,
  connectWebConnect,
  DEMO_PASSWORD,
  type PlatformProcess,
  signIn,
  usePhoneBrowsers,
  usePlatformPerTest,
} from './support.js';

/** The focused element: its accessible name (label or text), whether it is in the top bar, and where. */
async function focused(page: Page): Promise<{ name: string; inTopBar: boolean; x: number }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { name: '', inTopBar: false, x: 0 };
    const labelledBy = element.getAttribute('aria-labelledby');
    const name =
      element.getAttribute('aria-label') ??
      (labelledBy ? document.getElementById(labelledBy)?.textContent : element.textContent) ??
      '';
    return {
      name: name.trim(),
      inTopBar: element.closest('header') !== null,
      x: element.getBoundingClientRect().x,
    };
  });
}

/**
 * The sign-in page, the toolbar (idle, on a call, wrapping, with a chat offered), the Connect
 * Voice dialog, the Web Connect tab, Help and the customer web phone have no serious or critical
 * axe-core violation; the toolbar's controls carry the guide's names, Tab follows the layout, and
 * the keyboard shortcuts listed in Help answer, hold, hang up and open the status menu.
 */
describe('accessibility of the toolbar and the web phone', () => {
  // Each test has a platform of its own and sets up what it needs, so it runs alone.
  const { start, browser } = usePlatformPerTest();
  const phones = usePhoneBrowsers({ agent: 1000, caller: 700 });

  /** agent1's toolbar with Web Connect connected, Available (the checks of both are the idle test's). */
  async function availableAgent(platform: PlatformProcess): Promise<Page> {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, 'agent1');
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    await connectWebConnect(phones.agent, platform.url, 'agent1', toolbar);
    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
    await expect(toolbar.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    return toolbar;
  }

  test('the sign-in page, empty and with its errors shown', async (t) => {
    const platform = await start(t);
    const page = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(platform.url);
    await expect(page.getByLabel('Username')).toBeVisible();
    await assertNoSeriousA11yViolations(page, 'on the sign-in page');
    await page.getByRole('button', { name: 'Sign In' }).click();
    await expect(page.getByText('Enter your username')).toBeVisible();
    await assertNoSeriousA11yViolations(page, 'on the sign-in page with its errors');
    await page.close();
  });

  test('the toolbar idle: the guide’s names, Tab in layout order, the status shortcut', async (t) => {
    const platform = await start(t);
    const context = await phones.agent.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const toolbar = await context.newPage();
    await signIn(toolbar, platform.url, 'agent1');
    const dialog = toolbar.getByRole('dialog', { name: 'Connect Voice' });
    await expect(dialog).toBeVisible();
    await assertNoSeriousA11yViolations(toolbar, 'with the Connect Voice dialog open');
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      dialog.getByRole('button', { name: 'Connect', exact: true }).click(),
    ]);
    await tab.getByRole('button', { name: 'Answer' }).click();
    await expect(tab.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    await assertNoSeriousA11yViolations(tab, 'in the Web Connect tab');
    await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();

    // Agent Status by its shortcut: the menu opens with focus in it, and the keyboard chooses.
    await toolbar.keyboard.press('Alt+Shift+S');
    await expect(toolbar.getByRole('menuitem', { name: 'Available' })).toBeVisible();
    await toolbar.keyboard.press('ArrowDown');
    assert.equal((await focused(toolbar)).name, 'Available');
    await toolbar.keyboard.press('Enter');
    await expect(toolbar.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    await expect(toolbar.getByRole('menuitem', { name: 'Available' })).toBeHidden();

    // The controls the guide numbers, by the names it gives them.
    const header = toolbar.getByRole('banner');
    for (const name of ['Collapse side panel', 'Status: Available', 'Notifications', 'Agent menu'])
      await expect(header.getByRole('button', { name, exact: true })).toBeVisible();
    await expect(header.getByRole('link', { name: 'Help', exact: true })).toBeVisible();
    await expect(header.getByRole('status', { name: 'Voice connected' })).toBeVisible();
    await expect(toolbar.getByRole('navigation', { name: 'Side panel' })).toBeVisible();
    await expect(toolbar.getByRole('region', { name: 'Interactions' })).toBeVisible();
    await assertNoSeriousA11yViolations(toolbar, 'on the toolbar, idle and Available');

    // From the start of the page, Tab visits the top bar left to right, then leaves it.
    await toolbar.reload();
    await expect(toolbar.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    const stops: Awaited<ReturnType<typeof focused>>[] = [];
    for (let i = 0; i < 12; i++) {
      await toolbar.keyboard.press('Tab');
      const stop = await focused(toolbar);
      stops.push(stop);
      if (!stop.inTopBar) break;
    }
    const inTopBar = stops.filter((s) => s.inTopBar);
    // The guide's controls in the guide's order; icon actions (Manual Call...) may come between.
    const guideControls = ['Collapse side panel', 'Status: Available', 'Help', 'Notifications', 'Agent menu'];
    assert.deepEqual(
      inTopBar.map((s) => s.name).filter((name) => guideControls.includes(name)),
      guideControls,
      `the top bar's tab stops, in order (all: ${JSON.stringify(stops.map((s) => s.name))})`,
    );
    assert.equal(inTopBar[0]?.name, 'Collapse side panel', 'the first tab stop is the side panel toggle');
    assert.equal(inTopBar.at(-1)?.name, 'Agent menu', 'the last one in the top bar is the agent menu');
    assert.ok(
      inTopBar.every((s, i) => i === 0 || s.x > (inTopBar[i - 1]?.x ?? 0)),
      `left to right: ${JSON.stringify(inTopBar)}`,
    );
    assert.equal(stops.at(-1)?.inTopBar, false, 'after the top bar, Tab goes on to the page below it');
  });

  test('the customer web phone, and a call it makes, answered, held, resumed and hung up by shortcut', async (t) => {
    const platform = await start(t);
    const toolbar = await availableAgent(platform);
    const idlePhone = await (await phones.caller.browser.newContext()).newPage();
    await idlePhone.goto(`${platform.url}/phone/`);
    await expect(idlePhone.getByLabel('Number to call')).toBeVisible();
    await assertNoSeriousA11yViolations(idlePhone, 'on the web phone, before a call');
    await idlePhone.close();

    const caller = await callDemoNumber(phones.caller, platform.url);
    await assertNoSeriousA11yViolations(caller, 'on the web phone, in the menu');
    await caller.getByRole('button', { name: '2', exact: true }).click();
    // agent1 is Available: the call is delivered as soon as it is queued.
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
    const card = toolbar.getByRole('article', { name: 'Web caller' });
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();
    await assertNoSeriousA11yViolations(toolbar, 'on the toolbar, on a call');
    await assertNoSeriousA11yViolations(caller, 'on the web phone, on a call');

    await toolbar.keyboard.press('Alt+Shift+H');
    await expect(card.getByRole('button', { name: 'Toggle call hold', pressed: true })).toBeVisible();
    await expect(caller.getByRole('status').filter({ hasText: 'On hold' })).toBeVisible();
    await expect(toolbar.getByRole('status').filter({ hasText: 'Call on hold' })).toBeVisible();
    await assertNoSeriousA11yViolations(toolbar, 'on the toolbar, call on hold');

    await toolbar.keyboard.press('Alt+Shift+H');
    await expect(card.getByRole('button', { name: 'Toggle call hold', pressed: false })).toBeVisible();
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();

    await toolbar.keyboard.press('Alt+Shift+E');
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
    await assertNoSeriousA11yViolations(toolbar, 'on the toolbar, wrapping');

    await toolbar.getByRole('combobox', { name: 'Outcome' }).click();
    await toolbar.getByRole('option', { name: 'Resolved' }).click();
    await card.getByRole('button', { name: 'Wrap Call' }).click();
    await expect(card).toBeHidden();
  });

  test('a chat offered to the agent is answered by shortcut', async (t) => {
    const platform = await start(t);
    const toolbar = await availableAgent(platform);
    const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
    const ws = (await admin.login({ username: 'admin', password: DEMO_PASSWORD })).workspace.id;
    const chat = (await admin.campaigns(ws).list()).find((c) => c.name === 'Web Chat');
    assert.ok(chat);
    await expect(toolbar.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    await admin.enqueueContact(ws, { campaignId: chat.id, label: 'Chat with Kim' });
    const card = toolbar.getByRole('article', { name: 'Chat with Kim' });
    await expect(card.getByRole('button', { name: 'Accept' })).toBeVisible();
    await assertNoSeriousA11yViolations(toolbar, 'on the toolbar, a chat offered');

    await toolbar.keyboard.press('Alt+Shift+A');
    await expect(card.getByRole('button', { name: 'End' })).toBeVisible();
    await card.getByRole('button', { name: 'End' }).click();
    await toolbar.getByRole('combobox', { name: 'Outcome' }).click();
    await toolbar.getByRole('option', { name: 'Resolved' }).click();
    await card.getByRole('button', { name: 'Wrap Chat' }).click();
    await expect(card).toBeHidden();
  });

  test('Help lists the keyboard shortcuts', async (t) => {
    const platform = await start(t);
    const help = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await help.goto(`${platform.url}/help`); // open to all: no sign-in
    await expect(help.getByRole('heading', { name: 'Agent toolbar help' })).toBeVisible();
    const topic = help.getByRole('region', { name: 'Keyboard shortcuts' });
    await expect(topic).toBeVisible();
    const table = topic.getByRole('table', { name: 'Keyboard shortcuts' });
    for (const [keys, action] of [
      ['Alt+Shift+A', 'Answer'],
      ['Alt+Shift+H', 'Toggle call hold'],
      ['Alt+Shift+E', 'Hang up call'],
      ['Alt+Shift+S', 'Agent Status'],
    ]) {
      const row = table.getByRole('row').filter({ hasText: keys });
      await expect(row).toBeVisible();
      assert.match((await row.textContent()) ?? '', new RegExp(`${action}:`), `${keys} is ${action}`);
    }
    await assertNoSeriousA11yViolations(help, 'on the Help page');
  });
});
