import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { HttpClient } from '@parley/client';
import { expect } from './expect.js';
import { DEMO_PASSWORD, resultsDir, signIn, usePlatform, wrapWithOutcome } from './support.js';

describe('agent status and offers in the toolbar (C1, C2, C3, D2)', () => {
  const { platform, browser } = usePlatform();

  async function adminClient() {
    const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
    const session = await admin.login({ username: 'admin', password: DEMO_PASSWORD });
    return { admin, ws: session.workspace.id };
  }

  test('a status chosen in one browser shows in the other browser of the same agent', async () => {
    const a = await (await browser().newContext()).newPage();
    const b = await (await browser().newContext()).newPage();
    await signIn(a, platform.url, 'agent1');
    await signIn(b, platform.url, 'agent1');
    await expect(a.getByRole('button', { name: 'Status: Unavailable' })).toBeVisible();
    await expect(b.getByRole('button', { name: 'Status: Unavailable' })).toBeVisible();

    await a.getByRole('button', { name: 'Status: Unavailable' }).click();
    await a.getByRole('menuitem', { name: 'Available' }).click();
    await expect(a.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    await expect(b.getByRole('button', { name: 'Status: Available' })).toBeVisible();

    await b.getByRole('button', { name: 'Status: Available' }).click();
    await b.getByRole('menuitem', { name: 'Break' }).click();
    await expect(a.getByRole('button', { name: 'Status: Break' })).toBeVisible();
    await a.context().close();
    await b.context().close();
  });

  test('an offered chat is accepted, ended and wrapped with the status chosen for afterwards', async () => {
    const { admin, ws } = await adminClient();
    const page = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, platform.url, 'agent2');
    await page.getByRole('button', { name: /^Status: / }).click();
    await page.getByRole('menuitem', { name: 'Available' }).click();
    await expect(page.getByRole('button', { name: 'Status: Available' })).toBeVisible();

    const chat = (await admin.campaigns(ws).list()).find((c) => c.name === 'Web Chat');
    assert.ok(chat);
    await admin.enqueueContact(ws, { campaignId: chat.id, label: 'Chat with Sam' });
    const card = page.getByRole('article', { name: 'Chat with Sam' });
    await expect(card.getByRole('button', { name: 'Accept' })).toBeVisible();
    // The status control tells what the agent is doing, and what stands afterwards.
    await expect(page.getByRole('button', { name: 'Status: Ringing' })).toBeVisible();
    await expect(page.getByText('Then: Available')).toBeVisible();
    await page.screenshot({ path: path.join(resultsDir, 'toolbar-chat-offered.png') });
    await card.getByRole('button', { name: 'Accept' }).click();
    await expect(page.getByRole('button', { name: 'Status: Chatting: 1' })).toBeVisible();
    await card.getByRole('button', { name: 'End' }).click();
    await expect(card.getByRole('button', { name: 'Wrap Chat' })).toBeVisible();

    // During wrap-up the status control picks what comes after (C3).
    await page.getByRole('button', { name: 'Status: Wrapping' }).click();
    await page.getByRole('menuitem', { name: 'After Call Work' }).click();
    await expect(page.getByText('After wrap: After Call Work')).toBeVisible();
    // The Connect Voice dialog offered at sign-in (left open) would cover the Outcome and Wrap controls.
    await page.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    await wrapWithOutcome(page, card, 'Resolved', 'Wrap Chat');
    await expect(page.getByRole('button', { name: 'Status: After Call Work' })).toBeVisible();
    await expect(page.getByText('No active interactions')).toBeVisible();
  });

  test('an offer not accepted in time gives Auto Pause, and the queue shows it waiting again', async () => {
    const { admin, ws } = await adminClient();
    await admin.settings(ws).update({ agentRingTimeoutSeconds: 5 });
    const page = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, platform.url, 'agent3');
    await page.getByRole('button', { name: /^Status: / }).click();
    await page.getByRole('menuitem', { name: 'Available' }).click();
    await expect(page.getByRole('button', { name: 'Status: Available' })).toBeVisible();

    const preview = (await admin.campaigns(ws).list()).find((c) => c.name === 'Spring Offer');
    assert.ok(preview);
    // Voice needs a voice connection: agent3 has none, so the call waits in the queue.
    await admin.enqueueContact(ws, { campaignId: preview.id, label: 'Call for Spring Offer' });
    const queues = page.getByRole('navigation', { name: 'Side panel' });
    await expect(queues.getByText('1 waiting')).toBeVisible();

    const sales = (await admin.campaigns(ws).list()).find((c) => c.name === 'Renewals Preview');
    assert.ok(sales);
    const email = await admin
      .campaigns(ws)
      .create({ name: 'Sales Email', kind: 'email', teamIds: sales.teamIds });
    await admin.enqueueContact(ws, { campaignId: email.id, label: 'Email from Lee' });
    const card = page.getByRole('article', { name: 'Email from Lee' });
    await expect(card.getByRole('button', { name: 'Accept' })).toBeVisible();
    // Not accepted: after the 5 s Agent Ring Timeout the agent is on Auto Pause.
    await expect(page.getByRole('button', { name: 'Status: Auto Pause' })).toBeVisible(15_000);
    await expect(page.getByRole('alert').filter({ hasText: 'Auto Pause' })).toBeVisible();
    await expect(card).toBeHidden();
    await expect(queues.getByText('1 waiting').nth(1)).toBeVisible();
    await page.screenshot({ path: path.join(resultsDir, 'toolbar-auto-pause.png') });
  });
});
