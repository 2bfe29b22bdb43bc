import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { HttpClient } from '@parley/client';
import type { Locator, Page } from 'playwright-core';
import { soxTone } from '../apps/server/test/sox.js';
import { earSamples, type Heard, hearUntil, lastly, shareOf, startEar } from './audio.js';
import { expect } from './expect.js';
import {
  callDemoNumber,
  connectWebConnect,
  DEMO_PASSWORD,
  type PhoneBrowser,
  type PlatformProcess,
  resultsDir,
  signIn,
  usePhoneBrowsers,
  usePlatformPerTest,
  wrapWithOutcome,
} from './support.js';

// Each party talks with a tone of its own, so what a party hears says who is on its line: the
// customer 700 Hz, agent A (Ava, who has the call) 1000 Hz, agent B (Ben, called in) 1300 Hz,
// the announcement 1600 Hz.
const CALLER_HZ = 700;
const A_HZ = 1000;
const B_HZ = 1300;
const ANNOUNCEMENT_HZ = 1600;
const TONES = [CALLER_HZ, A_HZ, B_HZ, ANNOUNCEMENT_HZ];

const A = { username: 'agent1', name: 'Ava Agent' };
const B = { username: 'agent2', name: 'Ben Agent' };
const CUSTOMER = 'Web caller';
const NOTES = 'Wants the March invoice resent to the new address';

const screenshots = path.join(resultsDir, 'screenshots');

/** Waits until each of the last ten samples (about 200 ms) the page heard passes `ok`. */
function hears(page: Page, what: string, ok: (s: Heard) => boolean): Promise<Heard[]> {
  return hearUntil(page, lastly(10, ok), what);
}

/** A WAV of a steady announcement tone (sox), about as loud as the parties' own tones. */
function announcementWav(seconds: number): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-announcement-'));
  try {
    const file = path.join(dir, 'announcement.wav');
    soxTone(file, { hz: ANNOUNCEMENT_HZ, seconds, volume: 0.25 });
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The demo workspace's administrator, signed in over the API. */
async function adminOf(platform: PlatformProcess) {
  const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
  const session = await admin.login({ username: 'admin', password: DEMO_PASSWORD });
  return { admin, ws: session.workspace.id };
}

/** A Mantine select: opens it and picks the option named `option`. */
async function choose(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Waits for a dialog to close after a move; if it stays, fails with what its alert says. */
async function closes(dialog: Locator): Promise<void> {
  try {
    await expect(dialog).toBeHidden(15_000);
  } catch (err) {
    const alert = dialog.getByRole('alert');
    const said = (await alert.count()) > 0 ? await alert.first().textContent() : 'no alert';
    throw new Error(`the dialog stayed open (${said})`, { cause: err });
  }
}

describe('an agent transfers, consults, merges and plays an announcement from the toolbar (guide 7-9)', () => {
  // Each test has a platform of its own and sets up the call it needs, so it runs alone.
  const { start, browser } = usePlatformPerTest();
  const phones = usePhoneBrowsers({ a: A_HZ, b: B_HZ, caller: CALLER_HZ });
  before(() => mkdirSync(screenshots, { recursive: true }));

  /** An agent's toolbar (its own browser context) and persistent Web Connect tab, with an ear on it; paused. */
  async function agentWithVoice(platform: PlatformProcess, who: { username: string }, phone: PhoneBrowser) {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, who.username);
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    const webConnect = await connectWebConnect(phone, platform.url, who.username, toolbar);
    await startEar(webConnect, '__parleyWebConnect.remoteStream', TONES);
    return { toolbar, webConnect };
  }

  async function makeAvailable(toolbar: Page): Promise<void> {
    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
    await expect(toolbar.getByRole('button', { name: 'Status: Available' })).toBeVisible();
  }

  /**
   * A customer on the web phone who chose `choice` in the demo menu (1 sales, 2 support), with an
   * ear on the line, reaches the Available `toolbar`'s agent: the call is up and both hear each other.
   */
  async function customerReaches(platform: PlatformProcess, toolbar: Page, choice: '1' | '2') {
    const caller = await callDemoNumber(phones.caller, platform.url);
    await startEar(caller, '__parleyPhone.remoteStream', TONES);
    await caller.getByRole('button', { name: choice, exact: true }).click();
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(20_000);
    const card = toolbar.getByRole('article', { name: CUSTOMER });
    await expect(card.getByRole('button', { name: 'Hang Up', exact: true })).toBeVisible();
    await hears(caller, 'the customer hearing agent A', (s) => shareOf(s, A_HZ) > 0.8);
    return { caller, card };
  }

  /** A on a call with the customer, and B Available with voice (made Available after, so the call is A's). */
  async function callWithTwoAgents(platform: PlatformProcess) {
    const a = await agentWithVoice(platform, A, phones.a);
    const b = await agentWithVoice(platform, B, phones.b);
    await makeAvailable(a.toolbar);
    const { caller, card } = await customerReaches(platform, a.toolbar, '2');
    await makeAvailable(b.toolbar);
    return { a, b, caller, cardA: card, cardB: b.toolbar.getByRole('article', { name: CUSTOMER }) };
  }

  /** A's Transfer dialog on the call, with Transfer Type chosen. */
  async function openTransfer(toolbar: Page, card: Locator, type: 'Agent' | 'Number') {
    await card.getByRole('button', { name: 'Transfer', exact: true }).click();
    const dialog = toolbar.getByRole('dialog', { name: 'Transfer' });
    await expect(dialog).toBeVisible();
    await choose(toolbar, dialog.getByRole('combobox', { name: 'Transfer Type' }), type);
    return dialog;
  }

  /** Picks the agent in the dialog, after checking the list offers B and not A (nor anyone else). */
  async function pickAgentB(toolbar: Page, dialog: Locator): Promise<void> {
    await dialog.getByRole('combobox', { name: 'Agent', exact: true }).click();
    const options = toolbar.getByRole('listbox').getByRole('option');
    await expect(options.filter({ hasText: B.name })).toBeVisible();
    assert.deepEqual(
      await options.allTextContents(),
      [B.name],
      'only B is offered: A does not list themself',
    );
    await options.filter({ hasText: B.name }).click();
  }

  test('Transfer to an agent with notes: A wraps up, B has the customer, who transferred it and the notes', async (t) => {
    const platform = await start(t);
    const { a, b, caller, cardA, cardB } = await callWithTwoAgents(platform);

    const dialog = await openTransfer(a.toolbar, cardA, 'Agent');
    await pickAgentB(a.toolbar, dialog);
    await dialog.getByRole('textbox', { name: 'Notes' }).fill(NOTES);
    await a.toolbar.screenshot({ path: path.join(screenshots, 'transfer-dialog.png') });
    await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();

    // A: the dialog is gone and the call waits to be wrapped.
    await closes(dialog);
    await expect(cardA.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    assert.equal(
      await cardA.getByRole('button', { name: 'Hang Up', exact: true }).count(),
      0,
      'A is off the call',
    );

    // B: the live call, who sent it, and the notes as Transfer Notes.
    await expect(cardB.getByRole('button', { name: 'Hang Up', exact: true })).toBeVisible(15_000);
    await expect(cardB.getByText(`Transferred by ${A.name}`)).toBeVisible();
    const infoB = b.toolbar.getByRole('region', { name: 'Interaction information' });
    await expect(infoB.getByRole('textbox', { name: 'Transfer Notes' })).toHaveValue(NOTES);

    // The customer and B hear each other; A hears the customer no more.
    await hears(b.webConnect, 'B hearing the customer', (s) => shareOf(s, CALLER_HZ) > 0.8);
    await hears(
      caller,
      'the customer hearing B, not A',
      (s) => shareOf(s, B_HZ) > 0.8 && shareOf(s, A_HZ) < 0.02,
    );
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();

    await wrapWithOutcome(a.toolbar, cardA, 'Resolved');
    await expect(cardA).toBeHidden();
  });

  test('Consult B, switch lines, Merge Lines into a conference; A leaves it and B keeps the customer', async (t) => {
    const platform = await start(t);
    const { a, b, caller, cardA, cardB } = await callWithTwoAgents(platform);

    const dialog = await openTransfer(a.toolbar, cardA, 'Agent');
    await pickAgentB(a.toolbar, dialog);
    await dialog.getByRole('button', { name: 'Consult' }).click();
    await closes(dialog);

    // A's card: the two lines, B's the one A talks on; the customer waits on hold.
    const lines = cardA.getByRole('group', { name: 'Lines' });
    const customerLine = lines.getByRole('button', { name: CUSTOMER, exact: true });
    const bLine = lines.getByRole('button', { name: B.name, exact: true });
    await expect(lines.getByRole('button', { name: B.name, exact: true, pressed: true })).toBeVisible(15_000);
    await expect(lines.getByRole('button', { name: CUSTOMER, exact: true, pressed: false })).toBeVisible();
    await expect(lines.getByRole('button', { name: `Hang up ${B.name}` })).toBeVisible();
    await expect(lines.getByRole('button', { name: 'Merge Lines' })).toBeVisible();
    // With a second line open the call moves on from the lines, not from Transfer.
    assert.equal(await cardA.getByRole('button', { name: 'Transfer', exact: true }).count(), 0);
    await expect(cardB.getByRole('button', { name: 'Hang Up', exact: true })).toBeVisible();
    await expect(caller.getByRole('status').filter({ hasText: 'On hold' })).toBeVisible();
    await hears(a.webConnect, 'A hearing B on the consult', (s) => shareOf(s, B_HZ) > 0.8);
    await hears(caller, 'the customer not hearing A while held', (s) => shareOf(s, A_HZ) < 0.02);
    await a.toolbar.screenshot({ path: path.join(screenshots, 'consult-lines.png') });

    // Back to the customer: that line is the active one, and A hears the customer.
    await customerLine.click();
    await expect(lines.getByRole('button', { name: CUSTOMER, exact: true, pressed: true })).toBeVisible();
    await expect(lines.getByRole('button', { name: B.name, exact: true, pressed: false })).toBeVisible();
    await hears(a.webConnect, 'A hearing the customer again', (s) => shareOf(s, CALLER_HZ) > 0.8);

    // And to B again.
    await bLine.click();
    await expect(lines.getByRole('button', { name: B.name, exact: true, pressed: true })).toBeVisible();
    await expect(lines.getByRole('button', { name: CUSTOMER, exact: true, pressed: false })).toBeVisible();

    // Merge Lines: a conference, everyone hears everyone else.
    await lines.getByRole('button', { name: 'Merge Lines' }).click();
    await expect(cardA.getByText('Conference', { exact: true })).toBeVisible();
    await expect(lines.getByRole('button', { name: 'Merge Lines' })).toBeHidden();
    await expect(lines.getByRole('button', { name: CUSTOMER, exact: true, pressed: true })).toBeVisible();
    await expect(lines.getByRole('button', { name: B.name, exact: true, pressed: true })).toBeVisible();
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    await hears(
      caller,
      'the customer hearing A and B together',
      (s) => shareOf(s, A_HZ) > 0.2 && shareOf(s, B_HZ) > 0.2,
    );
    await a.toolbar.screenshot({ path: path.join(screenshots, 'consult-conference.png') });

    // A hangs up and is asked: leave, or end for all. A leaves.
    await cardA.getByRole('button', { name: 'Hang Up', exact: true }).click();
    const ask = a.toolbar.getByRole('dialog', { name: 'Hang up call' });
    await expect(ask.getByRole('button', { name: 'End call for all' })).toBeVisible();
    await ask.getByRole('button', { name: 'Leave the conference' }).click();
    await closes(ask);
    await expect(cardA.getByRole('button', { name: 'Wrap Call' })).toBeVisible();

    // B talks on with the customer, a plain call again; A is out of it.
    await expect(cardB.getByRole('button', { name: 'Hang Up', exact: true })).toBeVisible();
    assert.equal(await cardB.getByRole('group', { name: 'Lines' }).count(), 0, 'B has no second line');
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    await hears(
      caller,
      'the customer hearing B alone',
      (s) => shareOf(s, B_HZ) > 0.8 && shareOf(s, A_HZ) < 0.02,
    );
    await hears(b.webConnect, 'B hearing the customer', (s) => shareOf(s, CALLER_HZ) > 0.8);
    await wrapWithOutcome(a.toolbar, cardA, 'Resolved');
    await expect(cardA).toBeHidden();
    await expect(cardB.getByRole('button', { name: 'Hang Up', exact: true })).toBeVisible();
  });

  test('Play Announcement from Options: the card says what plays until it ends; no Play Announcement on a campaign without announcements', async (t) => {
    const platform = await start(t);
    const { admin, ws } = await adminOf(platform);
    const campaigns = await admin.campaigns(ws).list();
    const campaignId = (name: string) => {
      const id = campaigns.find((c) => c.name === name)?.id;
      assert.ok(id, `the demo has the ${name} campaign`);
      return id;
    };
    // Customer Care (menu 2) has an announcement; Sales Enquiries (menu 1), which Ava also serves, has none.
    const announcement = await admin
      .announcements(ws, campaignId('Customer Care'))
      .upload('Short notice', announcementWav(2));
    assert.equal(announcement.durationMs, 2000);
    const salesId = campaignId('Sales Enquiries');
    const a = await agentWithVoice(platform, A, phones.a);
    await makeAvailable(a.toolbar);

    // A sales call: once the toolbar has fetched that campaign's (empty) list, the Options menu
    // has no Play Announcement (only Convert to Outbound, which every live inbound call has).
    const salesAnnouncements = a.toolbar.waitForResponse((r) =>
      r.url().endsWith(`/api/campaigns/${salesId}/announcements`),
    );
    const sales = await customerReaches(platform, a.toolbar, '1');
    assert.deepEqual(await (await salesAnnouncements).json(), []);
    await expect(sales.card.getByText('Sales Enquiries')).toBeVisible();
    await expect(sales.card.getByRole('button', { name: 'Transfer', exact: true })).toBeVisible();
    await sales.card.getByRole('button', { name: 'Options' }).click();
    await expect(a.toolbar.getByRole('menuitem', { name: 'Convert to Outbound' })).toBeVisible();
    assert.equal(
      await a.toolbar.getByRole('menuitem', { name: 'Play Announcement' }).count(),
      0,
      'no Play Announcement without announcements',
    );
    await a.toolbar.keyboard.press('Escape');
    await expect(a.toolbar.getByRole('menuitem', { name: 'Convert to Outbound' })).toBeHidden();
    await sales.card.getByRole('button', { name: 'Hang Up', exact: true }).click();
    await wrapWithOutcome(a.toolbar, sales.card, 'Resolved');
    await expect(sales.card).toBeHidden();

    // A support call: Options → Play Announcement.
    await expect(a.toolbar.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    const { caller, card } = await customerReaches(platform, a.toolbar, '2');
    await card.getByRole('button', { name: 'Options' }).click();
    await a.toolbar.getByRole('menuitem', { name: 'Play Announcement' }).click();
    const dialog = a.toolbar.getByRole('dialog', { name: 'Play Announcement' });
    await choose(a.toolbar, dialog.getByRole('combobox', { name: 'Announcement' }), 'Short notice (00:02)');
    await earSamples(caller); // what came before the announcement is set aside
    await dialog.getByRole('button', { name: 'Play Announcement' }).click();
    await closes(dialog);
    const playing = card.getByRole('status').filter({ hasText: 'Playing announcement: Short notice' });
    await expect(playing).toBeVisible();
    await hearUntil(
      caller,
      // Mixed under A's voice at about half its loudness: a fifth of what the customer hears.
      (heard) => heard.filter((s) => shareOf(s, ANNOUNCEMENT_HZ) > 0.1).length >= 10,
      'the customer hearing the announcement',
    );
    // Two seconds of it, then the card says nothing more and the conversation goes on.
    await expect(playing).toBeHidden(15_000);
    await hears(
      caller,
      'the customer hearing A without the announcement',
      (s) => shareOf(s, A_HZ) > 0.8 && shareOf(s, ANNOUNCEMENT_HZ) < 0.02,
    );
    await expect(card.getByRole('button', { name: 'Hang Up', exact: true })).toBeVisible();
  });

  test('a number the dial plan refuses: the server’s reason in the dialog, and the call stays with A', async (t) => {
    const platform = await start(t);
    const { admin, ws } = await adminOf(platform);
    await admin.settings(ws).update({
      dialPlan: { defaultCountry: 'AU', allowedPrefixes: ['+614'], blockedPrefixes: [] },
    });
    const a = await agentWithVoice(platform, A, phones.a);
    await makeAvailable(a.toolbar);
    const { caller, card } = await customerReaches(platform, a.toolbar, '2');

    const dialog = await openTransfer(a.toolbar, card, 'Number');
    await choose(a.toolbar, dialog.getByRole('combobox', { name: 'Transfer number' }), 'Other number');
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill('+1 212 555 0100');
    const refusal = dialog
      .getByRole('alert')
      .filter({ hasText: '+12125550100 is outside the countries and prefixes this platform may call' });
    for (const move of ['Transfer', 'Consult']) {
      await dialog.getByRole('button', { name: move, exact: true }).click();
      await expect(refusal).toBeVisible();
      await expect(dialog.getByRole('button', { name: move, exact: true })).toBeVisible();
    }
    await dialog.getByRole('button', { name: 'Close' }).click();
    await closes(dialog);

    // Still A's call, as it was: no second line, Transfer offered again, the customer hearing A.
    await expect(card.getByRole('button', { name: 'Hang Up', exact: true })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Transfer', exact: true })).toBeVisible();
    assert.equal(await card.getByRole('group', { name: 'Lines' }).count(), 0, 'no second line is left');
    await expect(a.toolbar.getByRole('button', { name: 'Status: On call' })).toBeVisible();
    await expect(caller.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    await hears(caller, 'the customer still hearing A', (s) => shareOf(s, A_HZ) > 0.8);
  });
});
