import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HttpClient } from '@parley/client';
import { type Browser, expect } from './expect.js';
import { DEMO_PASSWORD, launchBrowser, PlatformProcess, resultsDir } from './support.js';

describe('the toolbar stays live', () => {
  const platform = new PlatformProcess();
  let browser: Browser;
  before(async () => {
    await platform.start();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await platform.dispose();
  });

  test('changes appear without a reload; a server restart shows the indicator, then the same data', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(platform.url);
    await page.getByLabel('Username').fill('agent1');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign In' }).click();
    await expect(page.getByText('Ava Agent')).toBeVisible();

    // An administrator renames the agent: the toolbar shows it, pushed, with a notification.
    const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
    const session = await admin.login({ username: 'admin', password: DEMO_PASSWORD });
    const ws = session.workspace.id;
    const agent = (await admin.users(ws).list()).find((u) => u.username === 'agent1');
    assert.ok(agent);
    await admin.users(ws).update(agent.id, { displayName: 'Ava Agent-Smith' });
    await expect(page.getByText('Ava Agent-Smith')).toBeVisible();
    await page.getByRole('button', { name: /Notifications/ }).click();
    await expect(page.getByText('An administrator updated your account.')).toBeVisible();
    await page.keyboard.press('Escape');

    const port = platform.port;
    await platform.stop();
    const banner = page.getByRole('status').filter({ hasText: 'Realtime connection lost' });
    await expect(banner).toBeVisible(15_000);
    await page.screenshot({ path: path.join(resultsDir, 'toolbar-realtime-down.png') });

    await platform.start(port);
    await expect(banner).toBeHidden(20_000);
    // Same data after the restart: still signed in, still renamed.
    await expect(page.getByText('Ava Agent-Smith')).toBeVisible();
    await page.reload();
    await expect(page.getByText('Ava Agent-Smith')).toBeVisible();
  });
});
