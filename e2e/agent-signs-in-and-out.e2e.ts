import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { expect } from './expect.js';
import { DEMO_PASSWORD, resultsDir, signIn, usePlatform } from './support.js';

describe('an agent signs in, uses the shell, and signs out', () => {
  const { platform, browser } = usePlatform();

  test('sign in as agent1, see the toolbar, collapse and expand the side panel, sign out', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, platform.url, 'agent1');

    await expect(page.getByText('Ava Agent').first()).toBeVisible();
    const sidePanel = page.getByRole('navigation', { name: 'Side panel' });
    await expect(sidePanel.getByText('Customer Care').first()).toBeVisible();
    await expect(page.getByText('No active interactions')).toBeVisible();
    await page.screenshot({ path: path.join(resultsDir, 'toolbar-signed-in.png') });

    await page.getByRole('button', { name: 'Collapse side panel' }).click();
    await expect(sidePanel.getByText('Customer Care').first()).toBeHidden();
    const expand = page.getByRole('button', { name: 'Expand side panel' });
    assert.equal(await expand.getAttribute('aria-expanded'), 'false');
    await page.screenshot({ path: path.join(resultsDir, 'toolbar-side-panel-collapsed.png') });
    await expand.click();
    await expect(sidePanel.getByText('Customer Care').first()).toBeVisible();

    // The side panel also answers the keyboard.
    await page.keyboard.press('Control+b');
    await expect(page.getByRole('button', { name: 'Expand side panel' })).toBeVisible();
    await page.keyboard.press('Control+b');

    await expect(page.getByRole('link', { name: 'Help' })).toBeVisible();

    await page.getByRole('button', { name: 'Agent menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign Out' }).click();
    await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();

    // Signed out for real: a reload does not bring the toolbar back.
    await page.reload();
    await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();
    const session = await page.evaluate(async () => (await fetch('/api/auth/session')).status);
    assert.equal(session, 401);
  });

  test('a wrong password is refused, and repeated failures are throttled', async () => {
    const page = await browser().newPage();
    await page.goto(platform.url);
    await page.getByLabel('Username').fill('agent2');
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('Password').fill(`wrong-password-${i}`);
      await page.getByRole('button', { name: 'Sign In' }).click();
      await expect(
        page.getByRole('alert').filter({ hasText: 'Incorrect username or password' }),
      ).toBeVisible();
    }
    // From the sixth failure on, each try must wait twice as long (1, 2, 4, 8 s). More wrong
    // tries, each after the wait the server names, until the wait is long enough that the right
    // password below lands inside it however slow this machine is.
    for (;;) {
      const r = await page.evaluate(async () => {
        const res = await fetch('/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'agent2', password: 'still-wrong' }),
        });
        const body = (await res.json()) as { error?: { retryAfterSeconds?: number } };
        return { status: res.status, retryAfter: body.error?.retryAfterSeconds ?? 0 };
      });
      if (r.status === 429 && r.retryAfter >= 8) break;
      assert.ok(r.status === 401 || r.status === 429, `a wrong password is refused (${r.status})`);
      if (r.status === 429) await new Promise((done) => setTimeout(done, r.retryAfter * 1000));
    }
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign In' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Too many failed attempts' })).toBeVisible();
    await page.screenshot({ path: path.join(resultsDir, 'sign-in-throttled.png') });
    // Not signed in, even with the right password, while throttled.
    await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();
  });
});
