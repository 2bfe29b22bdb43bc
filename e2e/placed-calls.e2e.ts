import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HttpClient } from '@parley/client';
import type { Locator, Page } from 'playwright-core';
import { systemClock } from '../apps/server/src/clock.js';
import { sippServer } from '../apps/server/src/sip/uas/sipp-runner.js';
import { Baresip } from '../apps/server/test/baresip.js';
import { type GraphStandIn, startGraphServer } from '../apps/server/test/graph-server.js';
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

// Each party talks with a tone of its own, so what a party hears says who is on its line: Ava
// (agent1, who places the calls) 1000 Hz, Ben (agent2) 1300 Hz, a customer on the web phone
// 700 Hz, the phone called (baresip) 1600 Hz. The ringback is the double ring's 400 + 450 Hz.
const A_HZ = 1000;
const B_HZ = 1300;
const CUSTOMER_HZ = 700;
const PHONE_HZ = 1600;
const RINGBACK_HZ = [400, 450] as const;
const TONES = [...RINGBACK_HZ, CUSTOMER_HZ, A_HZ, B_HZ, PHONE_HZ];

const A = { username: 'agent1', name: 'Ava Agent' };
const B = { username: 'agent2', name: 'Ben Agent' };
/** A voice campaign of Ava's teams (Sales) to record Manual Calls under. */
const CAMPAIGN = 'Renewals Preview';
/** The number dialled, as the dial plan reads "(02) 9876 5432" in the workspace's country (AU). */
const NUMBER = '+61298765432';
/** The campaign's caller ID, which the carrier (SIPp) checks it is shown. */
const CALLER_ID = '+61290007777';

const screenshots = path.join(resultsDir, 'screenshots');

/** Waits until each of the last ten samples (about 200 ms) the page heard passes `ok`. */
function hears(page: Page, what: string, ok: (s: Heard) => boolean): Promise<Heard[]> {
  return hearUntil(page, lastly(10, ok), what);
}

/** The double ring's two tones, together, and little else. */
const ringback = (s: Heard) => shareOf(s, 400) > 0.25 && shareOf(s, 450) > 0.25;
const noRingback = (s: Heard) => shareOf(s, 400) + shareOf(s, 450) < 0.02;

/** What was heard as runs: ringback ('ring') or near silence ('quiet'), with how long each lasted. */
function ringRuns(samples: Heard[]): { kind: 'ring' | 'quiet'; ms: number }[] {
  const loudest = Math.max(0, ...samples.filter(ringback).map((s) => s.total));
  const runs: { kind: 'ring' | 'quiet'; from: number; to: number }[] = [];
  for (const s of samples) {
    // The ear's 85 ms window blurs each edge: samples between ring and silence count as neither.
    const kind = ringback(s) ? 'ring' : s.total < loudest / 1000 ? 'quiet' : undefined;
    if (!kind) continue;
    const last = runs.at(-1);
    if (last?.kind === kind) last.to = s.t;
    else runs.push({ kind, from: s.t, to: s.t });
  }
  return runs.map((r) => ({ kind: r.kind, ms: r.to - r.from }));
}

/**
 * The double ring's cadence (sounds/ringback.wav): 0.4 s ring, 0.2 s pause, 0.4 s ring, 2 s
 * pause, and again; heard as ring, short quiet, ring, long quiet, ring.
 */
function doubleRing(samples: Heard[]): boolean {
  const runs = ringRuns(samples);
  return runs.some(
    (r, i) =>
      r.kind === 'ring' &&
      r.ms >= 200 &&
      runs[i + 1]?.kind === 'quiet' &&
      (runs[i + 1]?.ms ?? 0) < 400 &&
      runs[i + 2]?.kind === 'ring' &&
      (runs[i + 2]?.ms ?? 0) >= 200 &&
      runs[i + 3]?.kind === 'quiet' &&
      (runs[i + 3]?.ms ?? 0) >= 1500 &&
      runs[i + 4]?.kind === 'ring',
  );
}

/** The demo workspace's administrator, signed in over the API. */
async function adminOf(platform: PlatformProcess) {
  const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
  const session = await admin.login({ username: 'admin', password: DEMO_PASSWORD });
  return { admin, ws: session.workspace.id };
}

/** The id of the demo campaign named `name`. */
async function campaignId(admin: HttpClient, ws: string, name: string): Promise<string> {
  const id = (await admin.campaigns(ws).list()).find((c) => c.name === name)?.id;
  assert.ok(id, `the demo has the ${name} campaign`);
  return id;
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

/** The value the information panel shows for a field: the definition right after its term. */
async function infoField(toolbar: Page, label: string): Promise<string> {
  const info = toolbar.getByRole('region', { name: 'Interaction information' });
  const value = info
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]');
  return ((await value.textContent()) ?? '').trim();
}

/** The agent's status, chosen from the status menu as the guide has it. */
async function setStatus(toolbar: Page, status: 'Available' | 'Break'): Promise<void> {
  await toolbar.getByRole('button', { name: /^Status: / }).click();
  await toolbar.getByRole('menuitem', { name: status }).click();
  await expect(toolbar.getByRole('button', { name: `Status: ${status}` })).toBeVisible();
}

/** The top bar's Manual Call dialog, opened. */
async function openManualCall(toolbar: Page): Promise<Locator> {
  await toolbar.getByRole('button', { name: 'Manual Call', exact: true }).click();
  const dialog = toolbar.getByRole('dialog', { name: 'Manual Call' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Types `typed` in the phone number box, then keys `keyed` on the dialog's dial pad. */
async function enterNumber(dialog: Locator, typed: string, keyed = ''): Promise<void> {
  const box = dialog.getByRole('textbox', { name: 'Phone number' });
  await box.fill(typed);
  const pad = dialog.getByRole('group', { name: 'Dial pad' });
  for (const key of keyed) await pad.getByRole('button', { name: key, exact: true }).click();
  await expect(box).toHaveValue(typed + keyed);
}

/** The Manual Call of `number` under CAMPAIGN, placed: the dialog closes and the call's card shows. */
async function placeManualCall(toolbar: Page, typed: string, keyed = ''): Promise<void> {
  const dialog = await openManualCall(toolbar);
  await enterNumber(dialog, typed, keyed);
  await choose(toolbar, dialog.getByRole('combobox', { name: 'Campaign' }), CAMPAIGN);
  await dialog.getByRole('button', { name: 'Call number' }).click();
  await closes(dialog);
}

/** The card's "Dialling <to>" or "Ringing <to>". */
const progress = (card: Locator, text: string) => card.getByRole('status').filter({ hasText: text });

describe('calls an agent places from the toolbar: Manual Call, its directory, Agent Call, transfer to a contact (F1, F2, F3, I2)', () => {
  // The workspace's Microsoft Graph is the local stand-in: its address is each platform's.
  const env: Record<string, string> = {};
  // Each test has a platform of its own and sets up the calls it needs, so it runs alone.
  const { start, browser } = usePlatformPerTest(env);
  const phones = usePhoneBrowsers({ a: A_HZ, b: B_HZ, customer: CUSTOMER_HZ });
  let graph: GraphStandIn;

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    graph = await startGraphServer({
      clock: systemClock,
      users: [
        {
          displayName: 'Daria Graph',
          jobTitle: 'Buyer',
          department: 'Purchasing',
          mobilePhone: '0412 345 678',
          mail: 'daria@contoso.example',
        },
      ],
    });
    env.GRAPH_AUTHORITY_HOST = graph.url;
    env.GRAPH_BASE_URL = graph.url;
  });
  after(async () => {
    await graph?.close();
  });

  /** An agent's toolbar (its own browser context) and persistent Web Connect tab, with an ear on it. */
  async function agentWithVoice(platform: PlatformProcess, who: { username: string }, phone: PhoneBrowser) {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, who.username);
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    const webConnect = await connectWebConnect(phone, platform.url, who.username, toolbar);
    await startEar(webConnect, '__parleyWebConnect.remoteStream', TONES);
    return { toolbar, webConnect };
  }

  /**
   * A phone on the far side of the workspace's trunk: baresip takes calls for `number` (its
   * account's user) and the trunk points at it, as a carrier would deliver them.
   */
  async function phoneBehindTrunk(
    t: { after: (fn: () => unknown) => void },
    platform: PlatformProcess,
    number: string,
    autoAnswer = false,
  ): Promise<Baresip> {
    const phone = await Baresip.withTone(PHONE_HZ, { user: number, autoAnswer, seconds: 120 });
    t.after(() => phone.stop());
    const { admin, ws } = await adminOf(platform);
    await admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', port: phone.sipPort });
    return phone;
  }

  test('Manual Call answered: typed and keyed, ringback while it rings, each hears the other, dial pad keys reach the phone, recorded as a Manual Call and wrapped', async (t) => {
    const platform = await start(t);
    const phone = await phoneBehindTrunk(t, platform, NUMBER);
    const a = await agentWithVoice(platform, A, phones.a);
    await setStatus(a.toolbar, 'Break');

    // Part of the number typed, the rest keyed on the dial pad, the campaign picked.
    const dialog = await openManualCall(a.toolbar);
    await enterNumber(dialog, '(02) 9876 ', '5432');
    await choose(a.toolbar, dialog.getByRole('combobox', { name: 'Campaign' }), CAMPAIGN);
    await earSamples(a.webConnect); // the quiet line before the call is set aside
    await dialog.getByRole('button', { name: 'Call number' }).click();
    await closes(dialog);

    // On the toolbar at once; the phone rings, the card says so and Ava hears ringback.
    const card = a.toolbar.getByRole('article', { name: NUMBER });
    await expect(card).toBeVisible();
    await phone.waitFor('CALL_INCOMING');
    await expect(progress(card, `Ringing ${NUMBER}`)).toBeVisible();
    await expect(card.getByRole('button', { name: 'Cancel call' })).toBeVisible();
    const rang = await hearUntil(
      a.webConnect,
      doubleRing,
      'Ava hearing ringback (400 + 450 Hz, a double ring) while the phone rings',
    );
    console.log(`ringback heard: ${JSON.stringify(ringRuns(rang))}`);
    await a.toolbar.screenshot({ path: path.join(screenshots, 'manual-call-ringing.png') });

    // Answered: the card's call controls, ringback gone, each hears the other.
    phone.command('accept');
    const hangUp = card.getByRole('button', { name: 'Hang Up', exact: true });
    await expect(hangUp).toBeVisible(15_000);
    await expect(progress(card, `Ringing ${NUMBER}`)).toBeHidden();
    await hears(
      a.webConnect,
      'Ava hearing the phone, and no ringback',
      (s) => shareOf(s, PHONE_HZ) > 0.8 && noRingback(s),
    );

    // The dial pad's keys go to the phone at once, in the order pressed.
    await card.getByRole('button', { name: 'Dial pad', exact: true }).click();
    const pad = a.toolbar.getByRole('dialog', { name: 'Dial pad' });
    await expect(pad).toBeVisible();
    const keys = ['4', '#', '7'];
    for (const key of keys) {
      await pad.getByRole('button', { name: key, exact: true }).click();
      const event = await phone.waitFor('CALL_DTMF_START');
      assert.equal(event.param, key, `the phone got ${key} as it was pressed`);
    }
    assert.equal((await pad.locator('output').textContent())?.trim(), keys.join(''), 'the keys sent show');
    await a.toolbar.screenshot({ path: path.join(screenshots, 'manual-call-dial-pad.png') });
    await pad.press('Escape');
    await closes(pad);

    // Ava hangs up: the phone is hung up, and heard her; she wraps a Manual Call.
    await hangUp.click();
    await phone.waitFor('CALL_CLOSED');
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    const heardAva = await phone.heard(A_HZ);
    assert.ok(heardAva > 0.5, `the phone heard Ava (${heardAva.toFixed(1)} s)`);
    assert.equal(await infoField(a.toolbar, 'Call Type'), 'Manual Call');
    assert.equal(await infoField(a.toolbar, 'Campaign'), CAMPAIGN);
    assert.equal(await infoField(a.toolbar, 'Customer phone'), NUMBER);
    await wrapWithOutcome(a.toolbar, card, 'Resolved');
    await expect(card).toBeHidden();
    await expect(a.toolbar.getByRole('button', { name: 'Status: Break' })).toBeVisible();
  });

  test('refusals and failures in words: the pause rule, the dial plan, a busy line, no answer, and Cancel call while it rings (SIPp as the carrier)', async (t) => {
    const platform = await start(t);
    const { admin, ws } = await adminOf(platform);
    await admin.campaigns(ws).update(await campaignId(admin, ws, CAMPAIGN), {
      callerId: CALLER_ID,
      ringSeconds: 15,
    });
    const a = await agentWithVoice(platform, A, phones.a);
    const none = a.toolbar.getByText('No active interactions');

    // Available: the dialog says why it cannot call, and Call number waits.
    await setStatus(a.toolbar, 'Available');
    let dialog = await openManualCall(a.toolbar);
    await expect(
      dialog.getByRole('note').filter({ hasText: 'Change your status to a pause state to make a call' }),
    ).toBeVisible();
    await enterNumber(dialog, '(02) 9876 5432');
    await choose(a.toolbar, dialog.getByRole('combobox', { name: 'Campaign' }), CAMPAIGN);
    assert.equal(await dialog.getByRole('button', { name: 'Call number' }).isDisabled(), true);
    await a.toolbar.screenshot({ path: path.join(screenshots, 'manual-call-pause-rule.png') });
    await dialog.press('Escape');
    await closes(dialog);

    // Paused, a number the dial plan forbids: the reason in the dialog, nothing on the toolbar.
    await setStatus(a.toolbar, 'Break');
    await admin.settings(ws).update({
      dialPlan: { defaultCountry: 'AU', allowedPrefixes: ['+614'], blockedPrefixes: [] },
    });
    dialog = await openManualCall(a.toolbar);
    await expect(dialog.getByRole('note')).toBeHidden();
    await enterNumber(dialog, '(02) 9876 5432');
    await choose(a.toolbar, dialog.getByRole('combobox', { name: 'Campaign' }), CAMPAIGN);
    await dialog.getByRole('button', { name: 'Call number' }).click();
    await expect(
      dialog
        .getByRole('alert')
        .filter({ hasText: `${NUMBER} is outside the countries and prefixes this platform may call` }),
    ).toBeVisible();
    await expect(dialog.getByRole('textbox', { name: 'Phone number' })).toHaveValue('(02) 9876 5432');
    await expect(none).toBeVisible();
    await dialog.press('Escape');
    await closes(dialog);
    await admin.settings(ws).update({ dialPlan: null });

    // Busy: the carrier saw our number and the campaign's caller ID, and answered 486.
    const busy = sippServer('uas-carrier-busy-486.xml');
    const trunk = await admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', port: busy.port });
    await placeManualCall(a.toolbar, '(02) 9876 5432');
    const card = a.toolbar.getByRole('article', { name: NUMBER });
    const failed = card.getByRole('alert').filter({ hasText: `The call to ${NUMBER} failed` });
    await expect(failed.filter({ hasText: 'The line is busy' })).toBeVisible(15_000);
    await a.toolbar.screenshot({ path: path.join(screenshots, 'manual-call-busy.png') });
    const busyRun = await busy.result;
    assert.equal(busyRun.status, 0, `the carrier's scenario: ${busyRun.output.slice(-1500)}`);
    await wrapWithOutcome(a.toolbar, card, 'Wrong number');
    await expect(card).toBeHidden();

    // No answer within the campaign's ring time.
    const silent = sippServer('uas-ring-no-answer.xml');
    await admin.trunks(ws).update(trunk.id, { port: silent.port });
    await placeManualCall(a.toolbar, '0298765432');
    await expect(progress(card, `Ringing ${NUMBER}`)).toBeVisible();
    await expect(failed.filter({ hasText: 'There was no answer' })).toBeVisible(25_000);
    const silentRun = await silent.result;
    assert.equal(silentRun.status, 0, `rang 15 s, then our CANCEL: ${silentRun.output.slice(-1500)}`);
    await wrapWithOutcome(a.toolbar, card, 'Call back later');
    await expect(card).toBeHidden();

    // Cancel call while it rings: the carrier gets CANCEL, answers 487 and gets the ACK.
    const ringing = sippServer('uas-ring-no-answer.xml');
    await admin.trunks(ws).update(trunk.id, { port: ringing.port });
    await placeManualCall(a.toolbar, '+61 2 9876 5432');
    await expect(progress(card, `Ringing ${NUMBER}`)).toBeVisible();
    await card.getByRole('button', { name: 'Cancel call' }).click();
    const cancelRun = await ringing.result;
    assert.equal(cancelRun.status, 0, `INVITE, 180, CANCEL, 487, ACK: ${cancelRun.output.slice(-1500)}`);
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    assert.equal(await card.getByRole('alert').count(), 0, 'cancelled by the agent is no failure');
    await wrapWithOutcome(a.toolbar, card, 'Call back later');
    await expect(none).toBeVisible();
  });

  test('the directory in the dial box: workspace contacts and Microsoft Graph by name, no number no button, a picked number rings; a 429 is waited out; bad credentials are told', async (t) => {
    const platform = await start(t);
    const { admin, ws } = await adminOf(platform);
    const book = admin.directoryContacts(ws);
    await book.create({
      name: 'Dana Desk',
      title: 'Accounts',
      phones: [{ number: '(02) 9876 5432', kind: 'work' }],
    });
    await book.create({ name: 'Dale Nophone', title: 'Contractor' });
    const graphOn = (clientSecret: string) =>
      admin
        .graphDirectory(ws)
        .update({ enabled: true, tenantId: graph.tenantId, clientId: graph.clientId, clientSecret });
    await graphOn(graph.clientSecret);
    const phone = await phoneBehindTrunk(t, platform, NUMBER);
    const a = await agentWithVoice(platform, A, phones.a);
    await setStatus(a.toolbar, 'Break');

    // Letters search: both sources, each contact once, each number a choice of its own.
    let dialog = await openManualCall(a.toolbar);
    const box = dialog.getByRole('textbox', { name: 'Phone number' });
    const found = dialog.getByRole('list', { name: 'Contacts found' });
    const contact = (name: string) => found.getByRole('listitem', { name });
    await box.fill('Da');
    await expect(contact('Dana Desk')).toBeVisible();
    await expect(contact('Dale Nophone')).toBeVisible();
    await expect(contact('Daria Graph')).toBeVisible();
    await expect(
      contact('Daria Graph').getByRole('button', { name: 'Daria Graph, Mobile +61412345678' }),
    ).toBeVisible();
    await expect(contact('Dale Nophone').getByText('No phone number')).toBeVisible();
    assert.equal(await contact('Dale Nophone').getByRole('button').count(), 0, 'no number, nothing to pick');
    assert.equal(await dialog.getByRole('button', { name: 'Call number' }).isDisabled(), true);
    await a.toolbar.screenshot({ path: path.join(screenshots, 'manual-call-directory.png') });

    // A number picked fills the box; the call rings the phone and is named for the contact.
    await contact('Dana Desk')
      .getByRole('button', { name: `Dana Desk, Work ${NUMBER}` })
      .click();
    await expect(box).toHaveValue(NUMBER);
    await expect(dialog.getByText('To Dana Desk')).toBeVisible();
    await choose(a.toolbar, dialog.getByRole('combobox', { name: 'Campaign' }), CAMPAIGN);
    await dialog.getByRole('button', { name: 'Call number' }).click();
    await closes(dialog);
    const card = a.toolbar.getByRole('article', { name: 'Dana Desk' });
    await phone.waitFor('CALL_INCOMING');
    await expect(progress(card, `Ringing ${NUMBER}`)).toBeVisible();
    await card.getByRole('button', { name: 'Cancel call' }).click();
    await phone.waitFor('CALL_CLOSED');
    await wrapWithOutcome(a.toolbar, card, 'Call back later');
    await expect(card).toBeHidden();

    // Graph answers 429 (Retry-After 1 s) once: the search waits it out and shows Graph's contact.
    graph.throttleNext(1, { status: 429, retryAfter: '1' });
    const asked = graph.seen('/v1.0/users').length;
    dialog = await openManualCall(a.toolbar);
    await box.fill('Daria');
    await expect(contact('Daria Graph')).toBeVisible(15_000);
    await expect(dialog.getByRole('note')).toBeHidden();
    await expect(dialog.getByRole('alert')).toBeHidden();
    const searches = graph
      .seen('/v1.0/users')
      .slice(asked)
      .map((r) => r.query.get('$search'));
    assert.deepEqual(searches, ['"displayName:Daria"', '"displayName:Daria"'], 'throttled, then asked again');

    // A wrong client secret: the clear warning, and the workspace's own contacts still there.
    await graphOn('not-the-secret');
    await box.fill('Dal');
    const warning = dialog.getByRole('note').filter({
      hasText: 'Microsoft Entra ID refused the directory’s sign-in',
    });
    await expect(warning).toBeVisible(15_000);
    assert.match(
      (await warning.textContent()) ?? '',
      /AADSTS7000215.*client secret.*Showing this workspace’s own contacts only\./s,
    );
    await expect(contact('Dale Nophone')).toBeVisible();
    await box.fill('Da');
    await expect(contact('Dana Desk')).toBeVisible();
    await expect(warning).toBeVisible();
    await expect(contact('Daria Graph')).toBeHidden();
    await a.toolbar.screenshot({ path: path.join(screenshots, 'manual-call-directory-refused.png') });
  });

  test('Agent Call: Ava, paused, calls Ben, who is Available; his toolbar has the call from her, they hear each other, he hangs up and both wrap', async (t) => {
    const platform = await start(t);
    const a = await agentWithVoice(platform, A, phones.a);
    const b = await agentWithVoice(platform, B, phones.b);
    await setStatus(b.toolbar, 'Available');
    await setStatus(a.toolbar, 'Break');

    await a.toolbar.getByRole('button', { name: 'Agent Call', exact: true }).click();
    const dialog = a.toolbar.getByRole('dialog', { name: 'Agent Call' });
    const agents = dialog.getByRole('list', { name: 'Available agents' });
    await expect(agents.getByRole('button', { name: `Call ${B.name}` })).toBeVisible();
    assert.deepEqual(
      (await agents.getByRole('listitem').allTextContents()).map((s) => s.replace(/Call$/, '')),
      [B.name],
      'only Ben is Available: Ava does not list herself',
    );
    await agents.getByRole('button', { name: `Call ${B.name}` }).click();
    await closes(dialog);

    // Ben's toolbar: the call from Ava, live; Ava's: the call to Ben, answered.
    const cardB = b.toolbar.getByRole('article', { name: A.name });
    const cardA = a.toolbar.getByRole('article', { name: B.name });
    await expect(cardB.getByRole('button', { name: 'Hang Up', exact: true })).toBeVisible(15_000);
    await expect(cardA.getByRole('button', { name: 'Hang Up', exact: true })).toBeVisible(15_000);
    await expect(b.toolbar.getByRole('button', { name: 'Status: On call' })).toBeVisible();
    await hears(a.webConnect, 'Ava hearing Ben', (s) => shareOf(s, B_HZ) > 0.8 && noRingback(s));
    await hears(b.webConnect, 'Ben hearing Ava', (s) => shareOf(s, A_HZ) > 0.8);
    await a.toolbar.screenshot({ path: path.join(screenshots, 'agent-call-caller.png') });
    await b.toolbar.screenshot({ path: path.join(screenshots, 'agent-call-callee.png') });

    // Ben hangs up: both are in wrap-up, each with an Agent Call to wrap.
    await cardB.getByRole('button', { name: 'Hang Up', exact: true }).click();
    await expect(cardB.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    await expect(cardA.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    assert.equal(await infoField(a.toolbar, 'Call Type'), 'Agent Call');
    assert.equal(await infoField(b.toolbar, 'Call Type'), 'Agent Call');
    await wrapWithOutcome(b.toolbar, cardB, 'Resolved');
    await wrapWithOutcome(a.toolbar, cardA, 'Resolved');
    await expect(cardA).toBeHidden();
    await expect(cardB).toBeHidden();
  });

  test('Transfer to a directory contact: Ava finds the contact by name, transfers, and the customer talks with that phone', async (t) => {
    const platform = await start(t);
    const { admin, ws } = await adminOf(platform);
    // The contacts API keeps numbers in E.164 (a sip: address is refused): the contact's number
    // reaches the phone through the trunk, which delivers it to baresip's account of that number.
    const contactNumber = '+61293744000';
    await admin.directoryContacts(ws).create({
      name: 'Priya Patel',
      title: 'Billing specialist',
      department: 'Finance',
      phones: [{ number: '02 9374 4000', kind: 'work' }],
    });
    const phone = await phoneBehindTrunk(t, platform, contactNumber, true);
    const a = await agentWithVoice(platform, A, phones.a);
    await setStatus(a.toolbar, 'Available');

    // The customer calls the demo number, chooses support, and talks with Ava.
    const customer = await callDemoNumber(phones.customer, platform.url);
    await startEar(customer, '__parleyPhone.remoteStream', TONES);
    await customer.getByRole('button', { name: '2', exact: true }).click();
    await expect(customer.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(20_000);
    const card = a.toolbar.getByRole('article', { name: 'Web caller' });
    await expect(card.getByRole('button', { name: 'Hang Up', exact: true })).toBeVisible();
    await hears(customer, 'the customer hearing Ava', (s) => shareOf(s, A_HZ) > 0.8);

    // Transfer, type Contact: search by name, pick the number, Transfer.
    await card.getByRole('button', { name: 'Transfer', exact: true }).click();
    const dialog = a.toolbar.getByRole('dialog', { name: 'Transfer' });
    await choose(a.toolbar, dialog.getByRole('combobox', { name: 'Transfer Type' }), 'Contact');
    await dialog.getByRole('searchbox', { name: 'Search the directory' }).fill('Priya');
    const priya = dialog.getByRole('list', { name: 'Contacts found' }).getByRole('listitem', {
      name: 'Priya Patel',
    });
    await priya.getByRole('button', { name: `Priya Patel, Work ${contactNumber}` }).click();
    await expect(dialog.getByText(`To Priya Patel, Work ${contactNumber}`)).toBeVisible();
    await a.toolbar.screenshot({ path: path.join(screenshots, 'transfer-to-contact.png') });
    await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
    await closes(dialog);

    // The phone answers; the customer hears it and not Ava, who wraps up.
    await phone.waitFor('CALL_ESTABLISHED', 20_000);
    await hears(
      customer,
      'the customer hearing the contact’s phone, not Ava',
      (s) => shareOf(s, PHONE_HZ) > 0.8 && shareOf(s, A_HZ) < 0.02,
    );
    await expect(customer.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Wrap Call' })).toBeVisible();
    await wrapWithOutcome(a.toolbar, card, 'Resolved');
    await expect(card).toBeHidden();

    // The phone hangs up: it heard the customer, whose call ends.
    phone.command('hangup');
    await phone.waitFor('CALL_CLOSED');
    await expect(customer.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible(15_000);
    const heardCustomer = await phone.heard(CUSTOMER_HZ);
    assert.ok(heardCustomer > 0.5, `the phone heard the customer (${heardCustomer.toFixed(1)} s)`);
  });
});
