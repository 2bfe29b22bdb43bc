import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient } from '@parley/client';
import type { Locator, Page } from 'playwright-core';
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

/** The value the information panel shows for a field: the definition right after the field's term. */
const field = (info: Locator, label: string) =>
  info
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]');
const text = async (locator: Locator) => (await locator.textContent())?.trim() ?? '';
const seconds = (clock: string) => clock.split(':').reduce((total, part) => total * 60 + Number(part), 0);

describe('script, information panel, notes and outcome of an interaction (D3, D4, D5, D6, O3)', () => {
  // Each test has a platform of its own, so it runs alone.
  const { start, browser } = usePlatformPerTest();

  /** agent1 signed in, without voice, and Available for chats. */
  async function availableAgent(platform: PlatformProcess): Promise<Page> {
    const page = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, platform.url, 'agent1');
    const connectVoice = page.getByRole('dialog', { name: 'Connect Voice' });
    await expect(connectVoice).toBeVisible();
    await connectVoice.press('Escape');
    await page.getByRole('button', { name: /^Status: / }).click();
    await page.getByRole('menuitem', { name: 'Available' }).click();
    await expect(page.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    return page;
  }

  test('a chat shows its script and information; notes are kept; wrapping needs an Outcome', async (t) => {
    const platform = await start(t);
    const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
    const ws = (await admin.login({ username: 'admin', password: DEMO_PASSWORD })).workspace.id;
    const chat = (await admin.campaigns(ws).list()).find((c) => c.name === 'Web Chat');
    assert.ok(chat);

    const page = await availableAgent(platform);

    const entry = await admin.enqueueContact(ws, { campaignId: chat.id, label: 'Chat with Kim' });
    const card = page.getByRole('article', { name: 'Chat with Kim' });
    const script = page.getByRole('region', { name: 'Script' });
    const info = page.getByRole('region', { name: 'Interaction information' });
    await expect(card.getByRole('button', { name: 'Accept' })).toBeVisible();
    await expect(script.getByText('thanks for reaching out!')).toBeVisible();
    await expect(field(info, 'Chatting Time').filter({ hasText: '—' })).toBeVisible();
    await card.getByRole('button', { name: 'Accept' }).click();
    await expect(card.getByRole('button', { name: 'End' })).toBeVisible();

    assert.equal(await text(field(info, 'Interaction ID')), entry.id);
    assert.equal(await text(field(info, 'Campaign')), 'Web Chat');
    assert.equal(await text(field(info, 'Call Type')), 'Chat');
    assert.equal(await text(field(info, 'Customer phone')), '—');
    assert.match(await text(field(info, 'Time in queue')), /^\d\d:\d\d:\d\d$/);
    const chatting = field(info, 'Chatting Time');
    const before = await text(chatting);
    assert.match(before, /^\d\d:\d\d:\d\d$/);
    // The clock ticks on its own: it shows a later time within a few seconds.
    const deadline = Date.now() + 10_000;
    let later = await text(chatting);
    while (seconds(later) <= seconds(before) && Date.now() < deadline) {
      await sleep(200);
      later = await text(chatting);
    }
    assert.ok(seconds(later) > seconds(before), `the timer runs: ${before} then ${later}`);
    assert.ok(seconds(await text(field(info, 'Total Time'))) >= seconds(later));

    // Notes are saved with the interaction as the agent types, and are there after a reload.
    await info.getByRole('textbox', { name: 'Notes', exact: true }).fill('Asked about a refund');
    await info.getByRole('textbox', { name: 'Transfer Notes' }).fill('Prefers email');
    await expect(info.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    await page.screenshot({ path: path.join(resultsDir, 'toolbar-interaction-panel.png') });
    await page.reload();
    await expect(card.getByRole('button', { name: 'End' })).toBeVisible();
    await expect(info.getByRole('textbox', { name: 'Notes', exact: true })).toBeVisible();
    assert.equal(
      await info.getByRole('textbox', { name: 'Notes', exact: true }).inputValue(),
      'Asked about a refund',
    );
    assert.equal(await info.getByRole('textbox', { name: 'Transfer Notes' }).inputValue(), 'Prefers email');

    // Typing, then ending at once: the panel is fetched again, and what was typed stays.
    const notes = info.getByRole('textbox', { name: 'Notes', exact: true });
    await notes.press('Control+End');
    await notes.pressSequentially('; sent the form');
    await card.getByRole('button', { name: 'End' }).click();
    await expect(card.getByRole('button', { name: 'Wrap Chat' })).toBeVisible();
    await expect(field(info, 'Wrapping Time')).toBeVisible();
    assert.match(await text(field(info, 'Wrapping Time')), /^00:00:0\d$/);
    assert.equal(await notes.inputValue(), 'Asked about a refund; sent the form');

    // No Outcome: Wrap Chat waits for one, and says so.
    await expect(card.getByRole('button', { name: 'Wrap Chat', disabled: true })).toBeVisible();
    await expect(card.getByText('Choose an Outcome before wrapping')).toBeVisible();
    await page.screenshot({ path: path.join(resultsDir, 'toolbar-wrap-needs-outcome.png') });

    // The Outcome is at the bottom of the information section.
    await info.getByRole('combobox', { name: 'Outcome' }).click();
    await page.getByRole('option', { name: 'Resolved' }).click();
    await expect(card.getByText('Choose an Outcome before wrapping')).toBeHidden();
    await card.getByRole('button', { name: 'Wrap Chat', disabled: false }).click();
    await expect(card).toBeHidden();
    await expect(page.getByText('No active interactions')).toBeVisible();

    const record = await admin.interaction(ws, entry.id);
    assert.equal(record.outcome, 'Resolved');
    assert.equal(record.state, 'done');
    const saved = await admin.interactionPanel(entry.id);
    assert.equal(saved.notes, 'Asked about a refund; sent the form');
    assert.equal(saved.transferNotes, 'Prefers email');
  });

  test('with two chats, choosing a card shows its script and information', async (t) => {
    const platform = await start(t);
    const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
    const ws = (await admin.login({ username: 'admin', password: DEMO_PASSWORD })).workspace.id;
    const chat = (await admin.campaigns(ws).list()).find((c) => c.name === 'Web Chat');
    assert.ok(chat);

    const page = await availableAgent(platform);

    const ada = page.getByRole('article', { name: 'Chat with Ada' });
    const bo = page.getByRole('article', { name: 'Chat with Bo' });
    const info = page.getByRole('region', { name: 'Interaction information' });
    const first = await admin.enqueueContact(ws, { campaignId: chat.id, label: 'Chat with Ada' });
    await expect(ada.getByRole('button', { name: 'Accept' })).toBeVisible();
    const second = await admin.enqueueContact(ws, { campaignId: chat.id, label: 'Chat with Bo' });
    await expect(bo.getByRole('button', { name: 'Accept' })).toBeVisible();

    // The first one by default; using a card's controls shows that one.
    await expect(field(info, 'Interaction ID').filter({ hasText: first.id })).toBeVisible();
    await bo.getByRole('button', { name: 'Accept' }).click();
    await expect(field(info, 'Interaction ID').filter({ hasText: second.id })).toBeVisible();
    await ada.getByRole('button', { name: 'Accept' }).click();
    await expect(field(info, 'Interaction ID').filter({ hasText: first.id })).toBeVisible();

    // Each one's notes stay its own.
    await info.getByRole('textbox', { name: 'Notes', exact: true }).fill('Ada: billing');
    await expect(info.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
    await bo.getByRole('button', { name: 'Chat with Bo' }).click();
    await expect(field(info, 'Interaction ID').filter({ hasText: second.id })).toBeVisible();
    assert.equal(await info.getByRole('textbox', { name: 'Notes', exact: true }).inputValue(), '');
    await info.getByRole('textbox', { name: 'Notes', exact: true }).fill('Bo: delivery');
    // Choosing another card straight away still saves what was typed.
    await ada.getByRole('button', { name: 'Chat with Ada' }).click();
    await expect(field(info, 'Interaction ID').filter({ hasText: first.id })).toBeVisible();
    assert.equal(
      await info.getByRole('textbox', { name: 'Notes', exact: true }).inputValue(),
      'Ada: billing',
    );
    await page.screenshot({ path: path.join(resultsDir, 'toolbar-two-chats.png') });
    await bo.getByRole('button', { name: 'Chat with Bo' }).click();
    assert.equal(
      await info.getByRole('textbox', { name: 'Notes', exact: true }).inputValue(),
      'Bo: delivery',
    );

    for (const [card, id] of [
      [ada, first.id],
      [bo, second.id],
    ] as const) {
      // Using a card's controls shows its information, where its Outcome is chosen.
      await card.getByRole('button', { name: 'End' }).click();
      await expect(field(info, 'Interaction ID').filter({ hasText: id })).toBeVisible();
      await info.getByRole('combobox', { name: 'Outcome' }).click();
      await page.getByRole('option', { name: 'Call back later' }).click();
      await card.getByRole('button', { name: 'Wrap Chat', disabled: false }).click();
      await expect(card).toBeHidden();
      assert.equal((await admin.interaction(ws, id)).outcome, 'Call back later');
    }
    await expect(page.getByText('No active interactions')).toBeVisible();
    assert.equal((await admin.interactionPanel(second.id)).notes, 'Bo: delivery');
  });
});

describe('the Outcome of a call, chosen while the customer is still talking (issue #13)', () => {
  const { start, browser } = usePlatformPerTest();
  const phones = usePhoneBrowsers({ agent: 1000, caller: 700 });

  test('chosen while connected, kept over a reload, and the call wraps with it once hung up', async (t) => {
    const platform = await start(t);
    const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
    const ws = (await admin.login({ username: 'admin', password: DEMO_PASSWORD })).workspace.id;

    // agent1 on persistent Web Connect; a web caller chooses support (2) and waits.
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, 'agent1');
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    await connectWebConnect(phones.agent, platform.url, 'agent1', toolbar);
    const caller = await callerWaitingInQueue(phones.caller, platform.url);
    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);

    const card = toolbar.getByRole('article', { name: 'Web caller' });
    const info = toolbar.getByRole('region', { name: 'Interaction information' });
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();
    const id = await text(field(info, 'Interaction ID'));

    // On hold, the card says so, with a timer of its own; retrieved, the agent is talking again.
    await card.getByRole('button', { name: 'Toggle call hold' }).click();
    await expect(card.getByText('On hold', { exact: true })).toBeVisible();
    await expect(card.getByText('Talking', { exact: true })).toBeHidden();
    await card.getByRole('button', { name: 'Toggle call hold' }).click();
    await expect(card.getByText('Talking', { exact: true })).toBeVisible();

    // The Outcome, at the bottom of the information section, while the customer is still there.
    const outcome = info.getByRole('combobox', { name: 'Outcome' });
    await outcome.click();
    await toolbar.getByRole('option', { name: 'Call back later' }).click();
    await expect(info.getByRole('status').filter({ hasText: 'Outcome saved' })).toBeVisible();
    assert.notEqual((await admin.interactionPanel(id)).wrapCodeId, null, 'stored with the call');
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-outcome-during-call.png') });

    // A reload: the call is there, connected, with its Outcome still chosen.
    await toolbar.reload();
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible();
    await expect(outcome).toHaveValue('Call back later');

    // Hung up: Wrap Call is ready at once, and wraps with the Outcome chosen during the call.
    await card.getByRole('button', { name: 'Hang Up' }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
    await card.getByRole('button', { name: 'Wrap Call', disabled: false }).click();
    await expect(card).toBeHidden();
    await expect(toolbar.getByText('No active interactions')).toBeVisible();
    const record = await admin.interaction(ws, id);
    assert.equal(record.state, 'done');
    assert.equal(record.outcome, 'Call back later');
  });
});
