import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient } from '@parley/client';
import type { Locator, Page } from 'playwright-core';
import { expect } from './expect.js';
import { DEMO_PASSWORD, type PlatformProcess, resultsDir, signIn, usePlatformPerTest } from './support.js';

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

    // No Outcome: the agent is told, and the chat stays in wrap-up.
    await card.getByRole('button', { name: 'Wrap Chat' }).click();
    await expect(
      card.getByRole('alert').filter({ hasText: 'Choose an Outcome before wrapping' }),
    ).toBeVisible();
    await sleep(500); // a window in which a wrap without an Outcome would have gone through
    await expect(card.getByRole('button', { name: 'Wrap Chat' })).toBeVisible();
    await page.screenshot({ path: path.join(resultsDir, 'toolbar-wrap-needs-outcome.png') });

    await card.getByRole('combobox', { name: 'Outcome' }).click();
    await page.getByRole('option', { name: 'Resolved' }).click();
    await expect(card.getByRole('alert')).toBeHidden();
    await card.getByRole('button', { name: 'Wrap Chat' }).click();
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
      await card.getByRole('button', { name: 'End' }).click();
      await card.getByRole('combobox', { name: 'Outcome' }).click();
      await page.getByRole('option', { name: 'Call back later' }).click();
      await card.getByRole('button', { name: 'Wrap Chat' }).click();
      await expect(card).toBeHidden();
      assert.equal((await admin.interaction(ws, id)).outcome, 'Call back later');
    }
    await expect(page.getByText('No active interactions')).toBeVisible();
    assert.equal((await admin.interactionPanel(second.id)).notes, 'Bo: delivery');
  });
});
