import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { HttpClient } from '@parley/client';
import { expect } from './expect.js';
import { DEMO_PASSWORD, resultsDir, signIn, usePlatform } from './support.js';

describe('the toolbar stays live', () => {
  const { platform, browser } = usePlatform();

  test('changes appear without a reload; a server restart shows the indicator, then the same data', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, platform.url, 'agent1');
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
