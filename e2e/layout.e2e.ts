import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { expect } from './expect.js';
import { resultsDir, signIn, usePlatform } from './support.js';

const screenshots = path.join(resultsDir, 'screenshots');

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface ShownControl {
  name: string;
  box: Box;
  /** Each piece of text in it: its own box, and whether its box cuts it off (an ellipsis). */
  texts: { text: string; box: Box; cut: boolean }[];
}

/** The header's visible buttons, links and indicators, as laid out. */
async function topBarControls(page: Page): Promise<{ bar: Box; window: Box; controls: ShownControl[] }> {
  // Plain loops and no inner functions: the test's compiler names functions with a helper the page lacks.
  return page.evaluate(() => {
    const header = document.querySelector('header');
    if (!header) throw new Error('there is no header');
    const controls: ShownControl[] = [];
    for (const control of Array.from(header.querySelectorAll<HTMLElement>('button, a, [role="status"]'))) {
      const rect = control.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      const name = control.getAttribute('aria-label') ?? control.textContent?.trim() ?? control.tagName;
      const texts: ShownControl['texts'] = [];
      const walker = document.createTreeWalker(control, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent?.trim() ?? '';
        const element = node.parentElement;
        if (!text || !element) continue;
        // Screen-reader-only text sits in a 1 px box on purpose.
        let screenReaderOnly = false;
        for (let e: Element | null = element; e && e !== header; e = e.parentElement)
          if (e.getBoundingClientRect().width <= 1) screenReaderOnly = true;
        if (screenReaderOnly) continue;
        const range = document.createRange();
        range.selectNode(node);
        const { left, right, top, bottom } = range.getBoundingClientRect();
        const cut = element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1;
        texts.push({ text, box: { left, right, top, bottom }, cut });
      }
      const { left, right, top, bottom } = rect;
      controls.push({ name, box: { left, right, top, bottom }, texts });
    }
    const { left, right, top, bottom } = header.getBoundingClientRect();
    return {
      bar: { left, right, top, bottom },
      window: { left: 0, top: 0, right: innerWidth, bottom: innerHeight },
      controls,
    };
  });
}

const within = (inner: Box, outer: Box) =>
  inner.left >= outer.left - 0.5 &&
  inner.right <= outer.right + 0.5 &&
  inner.top >= outer.top - 0.5 &&
  inner.bottom <= outer.bottom + 0.5;

/**
 * What is wrong with the top bar's controls as shown: each lies inside the window and the bar,
 * and the text in it is whole (not cut off with an ellipsis, nor spilling out of the control).
 */
async function topBarProblems(page: Page, { statusMayTruncate = false } = {}): Promise<string[]> {
  const { bar, window, controls } = await topBarControls(page);
  const problems: string[] = [];
  for (const { name, box, texts } of controls) {
    if (!within(box, bar) || !within(box, window)) problems.push(`${name}: not wholly inside the top bar`);
    if (statusMayTruncate && name.startsWith('Status: ')) continue;
    for (const text of texts) {
      if (text.cut) problems.push(`${name}: "${text.text}" is cut off`);
      if (!within(text.box, box)) problems.push(`${name}: "${text.text}" spills out`);
    }
  }
  return problems;
}

/** Where the side panel is against the main area. */
async function sidePanelPlacement(page: Page): Promise<{ panelRight: number; workLeft: number }> {
  const panel = await page.getByRole('navigation', { name: 'Side panel' }).boundingBox();
  const work = await page.getByRole('region', { name: 'Interactions' }).boundingBox();
  assert.ok(panel && work, 'the side panel and the interactions area are shown');
  return { panelRight: panel.x + panel.width, workLeft: work.x };
}

/** Signed in as agent1 with the Connect Voice dialog offered at sign-in put away, the top bar settled. */
async function openToolbar(page: Page, url: string): Promise<void> {
  await signIn(page, url, 'agent1');
  await page.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
  await expect(page.getByRole('dialog', { name: 'Connect Voice' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Connect Voice' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Status: / })).toBeVisible();
}

describe('the toolbar and the web phone fit the window, from 1920 px down', () => {
  const { platform, browser } = usePlatform();
  before(() => mkdirSync(screenshots, { recursive: true }));

  for (const width of [1920, 1280, 1024]) {
    test(`at ${width} px no top-bar control is clipped`, async () => {
      const page = await browser().newPage({ viewport: { width, height: 900 } });
      await openToolbar(page, platform.url);
      await page.screenshot({ path: path.join(screenshots, `toolbar-${width}.png`), fullPage: true });
      assert.deepEqual(await topBarProblems(page), []);
      // Room for every action: Help is an icon link of its own, and there is nothing to put in "More".
      await expect(page.getByRole('link', { name: 'Help' })).toBeVisible();
      assert.equal(await page.getByRole('button', { name: 'More' }).count(), 0);
      for (const name of ['Notifications', 'Agent menu', 'Connect Voice'])
        await expect(page.getByRole('button', { name })).toBeVisible();
      await page.close();
    });
  }

  test('docked beside the work at 1920 px, over it at 1024 px with a close button and Escape', async () => {
    const wide = await browser().newPage({ viewport: { width: 1920, height: 900 } });
    await openToolbar(wide, platform.url);
    await expect(
      wide.getByRole('navigation', { name: 'Side panel' }).getByText('Customer Care'),
    ).toBeVisible();
    const docked = await sidePanelPlacement(wide);
    assert.ok(docked.panelRight <= docked.workLeft, `docked: ${JSON.stringify(docked)}`);
    await wide.close();

    const page = await browser().newPage({ viewport: { width: 1024, height: 900 } });
    await openToolbar(page, platform.url);
    const panel = page.getByRole('navigation', { name: 'Side panel' });
    // Over the work, it starts closed.
    await expect(panel).toBeHidden();
    const expand = page.getByRole('button', { name: 'Expand side panel' });
    await expand.click();
    await expect(panel.getByText('Customer Care')).toBeVisible();
    const over = await sidePanelPlacement(page);
    assert.ok(over.workLeft < over.panelRight, `overlaid: ${JSON.stringify(over)}`);
    await page.screenshot({ path: path.join(screenshots, 'toolbar-1024-side-panel.png'), fullPage: true });
    assert.deepEqual(await topBarProblems(page), []);

    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    assert.equal(await expand.evaluate((button) => button === document.activeElement), true);

    await expand.click();
    await panel.getByRole('button', { name: 'Close side panel' }).click();
    await expect(panel).toBeHidden();
    await page.keyboard.press('Control+b');
    await expect(panel.getByText('Customer Care')).toBeVisible();
    await page.locator('[data-side-panel-backdrop]').click({ position: { x: 900, y: 400 } });
    await expect(panel).toBeHidden();
    await page.close();
  });

  test('narrower still, the actions fold into "More" and work from there', async () => {
    const page = await browser().newPage({ viewport: { width: 560, height: 800 } });
    await openToolbar(page, platform.url);
    await expect(page.getByRole('button', { name: 'More' })).toBeVisible();
    assert.equal(await page.getByRole('link', { name: 'Help' }).count(), 0);
    await page.screenshot({ path: path.join(screenshots, 'toolbar-560.png'), fullPage: true });
    assert.deepEqual(await topBarProblems(page, { statusMayTruncate: true }), []);
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByRole('menuitem', { name: 'Help' }).click();
    await page.waitForURL(/\/help$/);
    await page.close();
  });

  for (const width of [360, 768, 1280, 1920]) {
    test(`the web phone at ${width} px shows whole numbers, with no sideways scrolling`, async () => {
      const page = await browser().newPage({ viewport: { width, height: 800 } });
      await page.goto(`${platform.url}/phone/`);
      const picker = page.getByLabel('Number to call');
      await expect(picker).toBeVisible();
      await expect(page.getByRole('button', { name: 'Call', exact: true })).toBeVisible();
      if (width === 360)
        await page.screenshot({ path: path.join(screenshots, 'phone-360.png'), fullPage: true });
      const shown = await picker.evaluate((select) => {
        const chosen = select.querySelector('selectedcontent');
        const box = chosen?.getBoundingClientRect();
        const outer = select.getBoundingClientRect();
        return {
          text: chosen?.textContent ?? '',
          whole:
            !!chosen &&
            !!box &&
            chosen.scrollWidth <= chosen.clientWidth &&
            box.left >= outer.left &&
            box.right <= outer.right &&
            box.bottom <= outer.bottom,
        };
      });
      assert.match(shown.text, /\(\+61290001000\)$/);
      assert.ok(shown.whole, 'the chosen number shows whole in the picker');

      await picker.click();
      const option = page.getByRole('option', { name: /\+61290001000/ });
      await expect(option).toBeVisible();
      if (width === 360)
        await page.screenshot({ path: path.join(screenshots, 'phone-360-numbers.png'), fullPage: true });
      const optionBox = await option.boundingBox();
      assert.ok(optionBox && optionBox.x >= 0 && optionBox.x + optionBox.width <= width, 'the list fits');
      assert.ok(
        await option.evaluate((o) => o.scrollWidth <= o.clientWidth),
        'the number in the list is whole',
      );
      await page.keyboard.press('Escape');

      // The dial pad and the Call button fit, and nothing scrolls sideways.
      for (const control of [
        page.getByRole('button', { name: '#' }),
        page.getByRole('button', { name: 'Call', exact: true }),
      ]) {
        const box = await control.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= width);
      }
      const scroll = await page.evaluate(() => ({
        scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
        innerWidth,
      }));
      assert.ok(scroll.scrollWidth <= scroll.innerWidth, `no sideways scroll: ${JSON.stringify(scroll)}`);
      await page.close();
    });
  }
});
