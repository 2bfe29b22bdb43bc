import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, type TestContext, test } from 'node:test';
import { HttpClient } from '@parley/client';
import { DEFAULT_LEAD_RULES, type Lead } from '@parley/contract';
import type { Locator, Page } from 'playwright-core';
import { sippServer } from '../apps/server/src/sip/uas/sipp-runner.js';
import { Baresip } from '../apps/server/test/baresip.js';
import { hearUntil, lastly, shareOf, startEar } from './audio.js';
import { expect } from './expect.js';
import {
  connectWebConnect,
  DEMO_PASSWORD,
  type PlatformProcess,
  resultsDir,
  signIn,
  usePhoneBrowsers,
  usePlatformPerTest,
} from './support.js';

// Ava (agent1) talks with a 1000 Hz tone, the lead's phone (baresip) with 1600 Hz: what each
// hears says who is on the line.
const A_HZ = 1000;
const PHONE_HZ = 1600;
const TONES = [A_HZ, PHONE_HZ];

const AVA = 'agent1';
/** The preview campaign's caller ID, which the carriers (SIPp) check they are shown. */
const CALLER_ID = '+61290007777';
const SCRIPT = 'Hello {lead.First name}, this is {agent.name} from ACME about your {lead.Plan} renewal.';
/** Leads may be called at any hour of any day: the tests run whenever they are run. */
const ALL_DAY = { from: '00:00', to: '00:00', days: [1, 2, 3, 4, 5, 6, 7] };

const MIA_MOBILE = '+61298765432';
const MIA_HOME = '+61298765433';
/** Mia's home number as Ava corrects it; the busy carrier (uas-lead-busy-486.xml) checks it is the one dialled. */
const MIA_HOME_EDITED = '+61298765439';
const NOAH_MOBILE = '+61298765434';

/**
 * The lead list as an administrator's spreadsheet has it: numbers written locally (read in
 * Australia, the campaign's country), Mia with two numbers and the highest priority though not
 * first in the file, Olivia last by priority.
 */
const LEADS_CSV = [
  'First name,Last name,Plan,Mobile,Home,Priority',
  'Noah,Reid,Silver,(02) 9876 5434,,5',
  'Mia,Wong,Gold,(02) 9876 5432,(02) 9876 5433,10',
  'Olivia,Hart,Bronze,(02) 9876 5435,,1',
].join('\r\n');

const screenshots = path.join(resultsDir, 'screenshots');

/** The toolbar as a screenshot (its window tall enough for a lead's whole right-hand panel). */
const shoot = (toolbar: Page, name: string) => toolbar.screenshot({ path: path.join(screenshots, name) });

/** Polls `read` until `ok` holds of it, or fails saying `what` was awaited and what was seen last. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const seen = await read();
    if (ok(seen)) return seen;
    if (Date.now() > end)
      throw new Error(`${what}: not within ${timeoutMs} ms (last ${JSON.stringify(seen)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const disabled = (button: Locator, what: string) => until(() => button.isDisabled(), Boolean, what);
const enabled = (button: Locator, what: string) =>
  until(
    () => button.isDisabled(),
    (d) => !d,
    what,
  );

/** The value the information panel shows for a field: the definition right after its term. */
async function infoField(toolbar: Page, label: string): Promise<string> {
  const value = information(toolbar)
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]');
  return ((await value.textContent()) ?? '').trim();
}

/** Waits for the information panel's `label` to read `value` (it is fetched again as the lead moves on). */
const infoShows = (toolbar: Page, label: string, value: string) =>
  until(
    () => infoField(toolbar, label),
    (v) => v === value,
    `the information panel's ${label} reading "${value}"`,
  );

const information = (toolbar: Page) => toolbar.getByRole('region', { name: 'Interaction information' });
/** "The phone numbers available to dial", at the top of the right-hand panel. */
const phoneNumbers = (toolbar: Page) => toolbar.getByRole('region', { name: 'Phone numbers' });
const leadCard = (toolbar: Page, name: string) => toolbar.getByRole('article', { name });
const presented = (card: Locator) => card.getByText('Presented', { exact: true });
/** The card's "Dialling <to>" or "Ringing <to>". */
const progress = (card: Locator, text: string) => card.getByRole('status').filter({ hasText: text });

/** The numbers' Call buttons as the panel lists them, top to bottom. */
function callButtons(toolbar: Page): Promise<(string | null)[]> {
  return phoneNumbers(toolbar)
    .getByRole('button', { name: /^Call \+/ })
    .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
}

/** The Outcome, picked at the bottom of the information section. */
async function chooseOutcome(toolbar: Page, name: string): Promise<void> {
  await information(toolbar).getByRole('combobox', { name: 'Outcome' }).click();
  await toolbar.getByRole('option', { name: new RegExp(`^${name}`) }).click();
  await expect(information(toolbar).getByRole('combobox', { name: 'Outcome' })).toHaveValue(name);
}

/** The first whole minute at least `leadMs` from now: a datetime-local field holds minutes. */
function wholeMinuteAfter(leadMs: number): number {
  return Math.ceil((Date.now() + leadMs) / 60_000) * 60_000;
}

/** `at` as the page's datetime-local field holds it: "2030-01-02T10:30" in the page's time zone. */
function localDateTime(page: Page, at: number): Promise<string> {
  return page.evaluate(
    (ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16),
    at,
  );
}

/** The callback's date and time and Personal callback, under a callback Outcome. */
async function pickCallback(toolbar: Page, at: number): Promise<void> {
  const info = information(toolbar);
  const when = info.getByLabel('Callback date and time');
  await when.fill(await localDateTime(toolbar, at));
  await expect(when).toHaveValue(await localDateTime(toolbar, at));
  await info.getByRole('checkbox', { name: 'Personal callback' }).check();
  await expect(info.getByRole('checkbox', { name: 'Personal callback' })).toBeChecked();
}

/**
 * An administrator's preview campaign for Ava's team (Sales), as the API makes it: all-day
 * calling hours in Australia, the campaign's caller ID, its wrap codes with their behaviours, and a
 * lead list imported from LEADS_CSV through the import job.
 */
async function previewCampaign(platform: PlatformProcess) {
  const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
  const ws = (await admin.login({ username: 'admin', password: DEMO_PASSWORD })).workspace.id;
  const sales = (await admin.teams(ws).list()).find((team) => team.name === 'Sales');
  assert.ok(sales, 'the demo has Ava’s Sales team');
  const campaign = await admin.campaigns(ws).create({
    name: 'Spring Renewals',
    kind: 'outbound_preview',
    teamIds: [sales.id],
    script: SCRIPT,
    callerId: CALLER_ID,
    ringSeconds: 20,
    leadRules: { ...DEFAULT_LEAD_RULES, defaultCountry: 'AU', callingHours: ALL_DAY },
  });
  const codes = admin.wrapCodes(ws, campaign.id);
  await codes.create({ name: 'Complete Phone Number', completesPhoneNumber: true });
  await codes.create({ name: 'Call back', schedulesCallback: true });
  await codes.create({ name: 'Sale', completesLead: true });

  const lists = admin.leadLists(ws);
  const list = await lists.create({ campaignId: campaign.id, name: 'Spring 2026' });
  const started = await lists.importCsv(list.id, LEADS_CSV, {
    phone: ['Mobile', 'Home'],
    priority: 'Priority',
  });
  const job = await admin.leadImports(ws).wait(started.id, { intervalMs: 100, timeoutMs: 30_000 });
  assert.deepEqual(
    [job.status, job.rowsRead, job.imported, job.duplicates, job.rejected],
    ['completed', 3, 3, 0, 0],
    `the import: ${JSON.stringify(job)}`,
  );
  /** A lead of the list as the administrator reads it, by first name. */
  const lead = async (firstName: string): Promise<Lead> => {
    const found = (await lists.leads(list.id)).leads.find((l) => l.fields['First name'] === firstName);
    assert.ok(found, `${firstName} was imported`);
    return found;
  };
  const mia = await lead('Mia');
  assert.deepEqual(
    mia.numbers.map((n) => [n.label, n.number]),
    [
      ['Mobile', MIA_MOBILE],
      ['Home', MIA_HOME],
    ],
    'numbers in E.164, labelled by their column',
  );
  const ava = (await admin.users(ws).list()).find((u) => u.username === AVA);
  assert.ok(ava);
  return { admin, ws, lead, avaId: ava.id };
}

describe('preview dialling on the toolbar: a presented lead worked number by number, and a personal callback that comes back (G1, G2, G4, G5, G7)', () => {
  // Each test has a platform of its own and sets up what it needs, so it runs alone.
  const { start, browser } = usePlatformPerTest();
  const phones = usePhoneBrowsers({ a: A_HZ });

  before(() => {
    mkdirSync(screenshots, { recursive: true });
  });

  /** Ava's toolbar and her persistent Web Connect tab (a lead is presented only with voice), with an ear on it. */
  async function avaWithVoice(platform: PlatformProcess) {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 1400 } });
    await signIn(toolbar, platform.url, AVA);
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    const webConnect = await connectWebConnect(phones.a, platform.url, AVA, toolbar);
    await startEar(webConnect, '__parleyWebConnect.remoteStream', TONES);
    return { toolbar, webConnect };
  }

  /** Available, chosen from the status menu as the guide has it (a lead may be presented at once). */
  async function goAvailable(toolbar: Page): Promise<void> {
    await toolbar.getByRole('button', { name: /^Status: / }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
  }

  test('a preview journey: the lead presented, a number edited, called and answered, "Complete Phone Number" and "Wrap and continue with Lead", the edited number busy, a personal callback and "Wrap Lead", the next lead', async (t: TestContext) => {
    const platform = await start(t);
    const { admin, ws, lead, avaId } = await previewCampaign(platform);
    // Mia's mobile is a phone behind the workspace's trunk (baresip takes calls for that number).
    const phone = await Baresip.withTone(PHONE_HZ, { user: MIA_MOBILE, seconds: 120 });
    t.after(() => phone.stop());
    const trunk = await admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', port: phone.sipPort });
    const { toolbar, webConnect } = await avaWithVoice(platform);
    const numbers = phoneNumbers(toolbar);
    const info = information(toolbar);

    // Available: the new record is presented, highest priority first (Mia, though second in the file).
    await goAvailable(toolbar);
    const mia = leadCard(toolbar, 'Mia Wong');
    await expect(presented(mia)).toBeVisible(15_000);
    await expect(mia.getByText('Spring Renewals', { exact: true })).toBeVisible();
    await expect(mia.getByRole('button', { name: 'Wrap Lead', exact: true })).toBeVisible();
    await expect(mia.getByRole('button', { name: 'Wrap and continue with Lead' })).toBeVisible();
    assert.equal(await mia.getByRole('button', { name: 'Hang Up' }).count(), 0, 'nothing to hang up yet');
    // The script in the middle, with the lead's fields.
    await expect(
      toolbar
        .getByRole('region', { name: 'Script' })
        .getByText('Hello Mia, this is Ava Agent from ACME about your Gold renewal.'),
    ).toBeVisible();
    // Its numbers at the top of the right-hand panel, above the information.
    await expect(numbers.getByRole('button', { name: `Call ${MIA_HOME}` })).toBeVisible();
    assert.deepEqual(await callButtons(toolbar), [`Call ${MIA_MOBILE}`, `Call ${MIA_HOME}`]);
    assert.equal(await numbers.getByText('Not called yet').count(), 2);
    const [numbersBox, infoBox] = [await numbers.boundingBox(), await info.boundingBox()];
    assert.ok(numbersBox && infoBox && numbersBox.y < infoBox.y, 'the numbers are above the information');
    // The lead's information: a New Record, never attempted, and its own fields.
    await infoShows(toolbar, 'Last Outcome', 'New Record');
    assert.equal(await infoField(toolbar, 'Call Type'), 'Outbound Preview');
    assert.equal(await infoField(toolbar, 'Lead ID'), (await lead('Mia')).id);
    assert.equal(await infoField(toolbar, 'Number Attempts'), '0');
    assert.equal(await infoField(toolbar, 'Last Attempt'), '—');
    assert.equal(await infoField(toolbar, 'Plan'), 'Gold');
    const firstInteraction = await infoField(toolbar, 'Interaction ID');
    await shoot(toolbar, 'preview-lead-presented.png');

    // Ava corrects the home number: click it, type, tick; the panel shows it as the server stored it.
    await numbers.getByRole('button', { name: `Edit ${MIA_HOME}` }).click();
    const field = numbers.getByRole('textbox', { name: 'Phone number' });
    await expect(field).toHaveValue(MIA_HOME);
    await expect(numbers.getByRole('textbox', { name: 'Label' })).toHaveValue('Home');
    await field.fill('02 9876 5439');
    await shoot(toolbar, 'preview-lead-edit-number.png');
    await numbers.getByRole('button', { name: 'Save' }).click();
    await expect(numbers.getByRole('button', { name: `Edit ${MIA_HOME_EDITED}` })).toBeVisible();
    await expect(field).toBeHidden();
    assert.deepEqual(await callButtons(toolbar), [`Call ${MIA_MOBILE}`, `Call ${MIA_HOME_EDITED}`]);

    // Ava calls the mobile: it rings (Cancel call, and no other number to call meanwhile), is answered, each hears the other.
    await numbers.getByRole('button', { name: `Call ${MIA_MOBILE}` }).click();
    await phone.waitFor('CALL_INCOMING');
    await expect(progress(mia, `Ringing ${MIA_MOBILE}`)).toBeVisible();
    await expect(mia.getByRole('button', { name: 'Cancel call' })).toBeVisible();
    await disabled(numbers.getByRole('button', { name: `Call ${MIA_HOME_EDITED}` }), 'one call at a time');
    phone.command('accept');
    const hangUp = mia.getByRole('button', { name: 'Hang Up', exact: true });
    await expect(hangUp).toBeVisible(15_000);
    // A steady 1.5 s of it: the conversation lasts long enough for the phone to hear Ava too.
    await hearUntil(
      webConnect,
      lastly(75, (s) => shareOf(s, PHONE_HZ) > 0.8),
      'Ava hearing Mia’s mobile, steadily',
    );
    await infoShows(toolbar, 'Customer phone', MIA_MOBILE);
    await infoShows(toolbar, 'Number Attempts', '1');
    await hangUp.click();
    await phone.waitFor('CALL_CLOSED');
    const heardAva = await phone.heard(A_HZ);
    assert.ok(heardAva > 0.5, `the mobile heard Ava (${heardAva.toFixed(1)} s)`);

    // Wrapping: "Complete Phone Number" carries its icon, in the list (that outcome only) and once chosen.
    await expect(mia.getByText('Wrapping', { exact: true })).toBeVisible();
    const outcome = info.getByRole('combobox', { name: 'Outcome' });
    await outcome.click();
    const icon = { name: 'Complete Phone Number' };
    await expect(
      toolbar.getByRole('option', { name: /^Complete Phone Number/ }).getByRole('img', icon),
    ).toBeVisible();
    assert.equal(
      await toolbar
        .getByRole('option')
        .filter({ has: toolbar.getByRole('img', icon) })
        .count(),
      1,
      'that outcome only',
    );
    await shoot(toolbar, 'preview-lead-outcomes.png');
    await toolbar.getByRole('option', { name: /^Complete Phone Number/ }).click();
    await expect(outcome).toHaveValue('Complete Phone Number');
    await expect(info.getByRole('img', icon)).toBeVisible();
    await expect(info.getByRole('status').filter({ hasText: 'Outcome saved' })).toBeVisible();
    await shoot(toolbar, 'preview-lead-complete-phone-number.png');

    // "Wrap and continue with Lead": the lead stays, its mobile completed and no longer callable.
    await mia.getByRole('button', { name: 'Wrap and continue with Lead' }).click();
    await expect(presented(mia)).toBeVisible(15_000);
    await expect(numbers.getByText('Completed', { exact: true })).toBeVisible();
    await disabled(
      numbers.getByRole('button', { name: `Call ${MIA_MOBILE}` }),
      'the completed number’s Call',
    );
    await enabled(numbers.getByRole('button', { name: `Call ${MIA_HOME_EDITED}` }), 'the home number’s Call');
    await expect(numbers.getByText('1 attempt · Complete Phone Number')).toBeVisible();
    await infoShows(toolbar, 'Last Outcome', 'Complete Phone Number');
    assert.equal(await infoField(toolbar, 'Lead ID'), (await lead('Mia')).id, 'the same lead');
    assert.notEqual(await infoField(toolbar, 'Interaction ID'), firstInteraction, 'a new interaction on it');
    await expect(outcome).toHaveValue('');

    // The corrected home number, through a carrier that finds it busy: said in words.
    const busy = sippServer('uas-lead-busy-486.xml');
    await admin.trunks(ws).update(trunk.id, { port: busy.port });
    await numbers.getByRole('button', { name: `Call ${MIA_HOME_EDITED}` }).click();
    const failed = mia.getByRole('alert').filter({ hasText: `The call to ${MIA_HOME_EDITED} failed` });
    await expect(failed.filter({ hasText: 'The line is busy' })).toBeVisible(15_000);
    const busyRun = await busy.result;
    assert.equal(
      busyRun.status,
      0,
      `the edited number, the campaign's caller ID, 486: ${busyRun.output.slice(-1500)}`,
    );
    await expect(mia.getByText('Wrapping', { exact: true })).toBeVisible();

    // A personal callback a minute or two ahead, then "Wrap Lead".
    await chooseOutcome(toolbar, 'Call back');
    await disabled(
      mia.getByRole('button', { name: 'Wrap Lead', exact: true }),
      'Wrap Lead waiting for the time',
    );
    await expect(mia.getByText('Choose the callback date and time before wrapping')).toBeVisible();
    const callbackAt = wholeMinuteAfter(60_000);
    await pickCallback(toolbar, callbackAt);
    await shoot(toolbar, 'preview-lead-callback-picker.png');
    await mia.getByRole('button', { name: 'Wrap Lead', exact: true }).click();

    // The next lead arrives: Noah, a New Record.
    const noah = leadCard(toolbar, 'Noah Reid');
    await expect(presented(noah)).toBeVisible(15_000);
    await expect(mia).toBeHidden();
    await expect(numbers.getByRole('button', { name: `Call ${NOAH_MOBILE}` })).toBeVisible();
    assert.deepEqual(await callButtons(toolbar), [`Call ${NOAH_MOBILE}`]);
    await infoShows(toolbar, 'Last Outcome', 'New Record');
    await expect(
      toolbar.getByRole('region', { name: 'Script' }).getByText('Hello Noah,', { exact: false }),
    ).toBeVisible();
    await shoot(toolbar, 'preview-lead-next.png');

    // Mia as the administrator reads her: each number's outcome apart, the lead's personal callback.
    const after = await lead('Mia');
    assert.deepEqual(
      after.numbers.map((n) => [n.label, n.number, n.attempts, n.lastOutcome, n.completed]),
      [
        ['Mobile', MIA_MOBILE, 1, 'Complete Phone Number', true],
        ['Home', MIA_HOME_EDITED, 1, 'Call back', false],
      ],
    );
    assert.deepEqual(
      [after.done, after.attempts, after.lastOutcome, after.callbackAt, after.callbackOwnerId],
      [false, 2, 'Call back', new Date(callbackAt).toISOString(), avaId],
    );
  });

  test('a personal callback comes back: due at the time Ava chose, announced on the toolbar, and presented first once she wraps the lead she is on', async (t: TestContext) => {
    const platform = await start(t);
    const { admin, ws, lead } = await previewCampaign(platform);
    // A carrier that answers (and checks the campaign's caller ID), one SIPp for each call: Mia's, then Noah's.
    const carrier = sippServer('uas-carrier-answer.xml', 1, '60s');
    const trunk = await admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', port: carrier.port });
    const { toolbar } = await avaWithVoice(platform);
    const numbers = phoneNumbers(toolbar);

    // Mia answers and asks to be called back shortly: Call back, personal, Wrap Lead.
    await goAvailable(toolbar);
    const mia = leadCard(toolbar, 'Mia Wong');
    await expect(presented(mia)).toBeVisible(15_000);
    await numbers.getByRole('button', { name: `Call ${MIA_MOBILE}` }).click();
    await mia.getByRole('button', { name: 'Hang Up', exact: true }).click({ timeout: 15_000 });
    await expect(mia.getByText('Wrapping', { exact: true })).toBeVisible();
    const miaRun = await carrier.result;
    assert.equal(miaRun.status, 0, `Mia's call answered and hung up: ${miaRun.output.slice(-1500)}`);
    await chooseOutcome(toolbar, 'Call back');
    const callbackAt = wholeMinuteAfter(30_000);
    await pickCallback(toolbar, callbackAt);
    await mia.getByRole('button', { name: 'Wrap Lead', exact: true }).click();

    // Noah is next; the bell stays quiet until the callback's time.
    const noah = leadCard(toolbar, 'Noah Reid');
    await expect(presented(noah)).toBeVisible(15_000);
    assert.ok(Date.now() < callbackAt, 'Noah came before the callback was due');
    await toolbar.getByRole('button', { name: 'Notifications' }).click();
    const hhmm = new Date(callbackAt).toISOString().slice(11, 16);
    const due = toolbar.getByText(`Callback due: Mia Wong (${hhmm} UTC)`, { exact: true });
    await expect(due).toBeVisible(callbackAt - Date.now() + 30_000);
    const announcedAt = Date.now();
    console.log(
      `callback due at ${new Date(callbackAt).toISOString()}, announced ${announcedAt - callbackAt} ms after`,
    );
    assert.ok(announcedAt >= callbackAt, 'not announced before its time');
    // The server looks every 15 s.
    assert.ok(
      announcedAt <= callbackAt + 20_000,
      `announced within 20 s of its time (${announcedAt - callbackAt} ms)`,
    );
    await shoot(toolbar, 'preview-callback-due.png');
    await toolbar.keyboard.press('Escape');
    // Announced, not pushed onto the toolbar: Ava is still on Noah.
    await expect(presented(noah)).toBeVisible();
    assert.equal(await mia.count(), 0);

    // Ava works Noah (answered, a Sale) and wraps him: Mia's callback comes first, before Olivia.
    const noahCarrier = sippServer('uas-carrier-answer.xml', 1, '60s');
    await admin.trunks(ws).update(trunk.id, { port: noahCarrier.port });
    await numbers.getByRole('button', { name: `Call ${NOAH_MOBILE}` }).click();
    await noah.getByRole('button', { name: 'Hang Up', exact: true }).click({ timeout: 15_000 });
    await expect(noah.getByText('Wrapping', { exact: true })).toBeVisible();
    await chooseOutcome(toolbar, 'Sale');
    await noah.getByRole('button', { name: 'Wrap Lead', exact: true }).click();
    await expect(presented(mia)).toBeVisible(15_000);
    await expect(noah).toBeHidden();
    assert.equal(await leadCard(toolbar, 'Olivia Hart').count(), 0);
    await infoShows(toolbar, 'Last Outcome', 'Call back');
    await expect(numbers.getByText('1 attempt · Call back')).toBeVisible();
    await enabled(numbers.getByRole('button', { name: `Call ${MIA_MOBILE}` }), 'Mia’s mobile callable again');
    await shoot(toolbar, 'preview-callback-presented.png');

    // Announced once.
    await toolbar.getByRole('button', { name: 'Notifications' }).click();
    await expect(due).toBeVisible();
    assert.equal(await toolbar.getByText(/^Callback due: /).count(), 1);
    await toolbar.keyboard.press('Escape');
    assert.equal((await lead('Noah')).done, true, 'the Sale completed Noah');
    const noahRun = await noahCarrier.result;
    assert.equal(noahRun.status, 0, `Noah's call answered and hung up: ${noahRun.output.slice(-1500)}`);
  });
});
