import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { HttpClient } from '@parley/client';
import { DEFAULT_LEAD_RULES, type DiallerCampaignStats, type Lead } from '@parley/contract';
import type { Locator, Page } from 'playwright-core';
import { sippServer } from '../apps/server/src/sip/uas/sipp-runner.js';
import { soxTone } from '../apps/server/test/sox.js';
import { earSamples, hearUntil, shareOf, startEar } from './audio.js';
import { expect } from './expect.js';
import {
  connectWebConnect,
  DEMO_PASSWORD,
  resultsDir,
  signIn,
  usePhoneBrowsers,
  usePlatform,
} from './support.js';

/** A persistent Web Connect agent hears a 1400 Hz beep as a call is put through. */
const BEEP_HZ = 1400;
const AGENT_HZ = 1000;
const AGENTS = [
  { username: 'agent1', name: 'Ava Agent' },
  { username: 'agent2', name: 'Ben Agent' },
  { username: 'agent3', name: 'Cleo Agent' },
] as const;
const CAMPAIGN = 'Winter Offer';
const SCRIPT = 'Hello {lead.First name}, this is {agent.name} from ACME about the {lead.Plan} plan.';
/** Leads may be called at any hour of any day: the tests run whenever they are run. */
const ALL_DAY = { from: '00:00', to: '00:00', days: [1, 2, 3, 4, 5, 6, 7] };
/** From the answer, how long a call may wait for an agent before it is abandoned (GRACE_MS). */
const GRACE_MS = 2000;
/** The campaign's information message, a second of 600 Hz. */
const MESSAGE_MS = 1000;
const LOCKOUT_HOURS = 72;
const OUTCOMES = ['Sale', 'Not interested'] as const;

/** The lead list: each lead one mobile, "(02) 9876 55NN" as a spreadsheet has it. */
const PEOPLE = [
  ['Ada', 'Byron', 'Gold'],
  ['Ben', 'Carter', 'Silver'],
  ['Chloe', 'Dunn', 'Bronze'],
  ['Dev', 'Edwards', 'Gold'],
  ['Ella', 'Fox', 'Silver'],
  ['Finn', 'Grant', 'Bronze'],
  ['Grace', 'Hill', 'Gold'],
  ['Hugo', 'Irwin', 'Silver'],
  ['Isla', 'James', 'Bronze'],
  ['Jack', 'Kerr', 'Gold'],
  ['Kate', 'Lowe', 'Silver'],
  ['Liam', 'Moss', 'Bronze'],
] as const;
const LEADS_CSV = [
  'First name,Last name,Plan,Mobile',
  ...PEOPLE.map(([first, last, plan], i) => `${first},${last},${plan},(02) 9876 55${String(i + 10)}`),
].join('\r\n');

const screenshots = path.join(resultsDir, 'screenshots');

/** Polls `read` until `ok` holds of it, or fails saying `what` was awaited and what was seen last. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const seen = await read();
    if (ok(seen)) return seen;
    if (Date.now() > end)
      throw new Error(`${what}: not within ${timeoutMs} ms (last ${JSON.stringify(seen)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `promise`, or a failure naming `what` if it has not settled within `ms` (a request that hangs). */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** RFC 4180 text as rows of cells, keyed by the header row. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  const [header = [], ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
}

/** One line of the carrier's log: "<seconds> <microseconds> <event> <number> <Call-ID>". */
interface CarrierEvent {
  atMs: number;
  event: 'invite' | 'answered' | 'bye' | 'busy';
  number: string;
  callId: string;
}

function carrierLog(file: string): CarrierEvent[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length === 5)
    .map(([s, us, event, number, callId]) => ({
      atMs: Number(s) * 1000 + Number(us) / 1000,
      event: event as CarrierEvent['event'],
      number: number as string,
      callId: callId as string,
    }));
}

/** The value the information panel shows for a field: the definition right after its term. */
async function infoField(toolbar: Page, label: string): Promise<string> {
  const value = information(toolbar)
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]');
  return ((await value.textContent({ timeout: 2000 }).catch(() => '')) ?? '').trim();
}

const infoShows = (toolbar: Page, label: string, value: string) =>
  until(
    () => infoField(toolbar, label),
    (v) => v === value,
    `the information panel's ${label} reading "${value}"`,
    10_000,
  );

const information = (toolbar: Page) => toolbar.getByRole('region', { name: 'Interaction information' });
const phoneNumbers = (toolbar: Page) => toolbar.getByRole('region', { name: 'Phone numbers' });

/** The status control as the agent reads it: "Status: On call" and its line below, "After wrap: Break". */
function statusRead(toolbar: Page): Promise<string> {
  return toolbar.getByRole('button', { name: /^Status: / }).evaluate((b) => {
    const below = (b.getAttribute('aria-describedby') ?? '').split(' ');
    return [
      b.getAttribute('aria-label'),
      ...below.map((id) => document.getElementById(id)?.textContent),
    ].join(' | ');
  });
}

/**
 * The agent's status, chosen from the status menu as the guide has it: at once when idle, and on
 * a call the status that stands after it ("After wrap: Break").
 */
async function setStatus(toolbar: Page, status: 'Available' | 'Break'): Promise<void> {
  await toolbar.getByRole('button', { name: /^Status: / }).click();
  await toolbar.getByRole('menuitem', { name: status }).click();
  await until(
    () => statusRead(toolbar),
    (s) => s.startsWith(`Status: ${status} |`) || s.endsWith(`After wrap: ${status}`),
    `the status ${status}`,
    10_000,
  );
}

/** The Outcome, picked at the bottom of the information section. */
async function chooseOutcome(toolbar: Page, name: string): Promise<void> {
  const select = information(toolbar).getByRole('combobox', { name: 'Outcome' });
  await select.click();
  await toolbar.getByRole('option', { name: new RegExp(`^${name}`) }).click();
  await expect(select).toHaveValue(name);
}

interface Agent {
  username: string;
  name: string;
  toolbar: Page;
  webConnect: Page;
}

/** A call the test saw on an agent's toolbar. */
interface Handled {
  agent: string;
  number: string;
}

describe('predictive dialling end to end: SIPp as a carrier answering a share of calls, three agents in Chromium (issue #17 item 6)', () => {
  const { platform, browser } = usePlatform();
  // One browser holds the three agents' Web Connect tabs: the carrier sends no audio, the beep is all they hear.
  const phones = usePhoneBrowsers({ agents: AGENT_HZ });

  before(() => {
    mkdirSync(screenshots, { recursive: true });
  });

  test('answered calls reach the agents with the beep and the lead; with every agent paused an answered call hears the information message, is abandoned and locked out; the report and audit log agree', async (t) => {
    const started = Date.now();
    const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
    const ws = (await admin.login({ username: 'admin', password: DEMO_PASSWORD })).workspace.id;

    // The carrier takes exactly one call per lead: the run dials every lead once, and no more.
    const log = path.join(tmpdir(), `predictive-carrier-${process.pid}-${Date.now()}.log`);
    t.after(() => rmSync(log, { force: true }));
    const carrier = sippServer('uas-predictive-carrier-share.xml', PEOPLE.length, '120s', [
      '-trace_logs',
      '-log_file',
      log,
    ]);
    await admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', port: carrier.port });

    // A predictive campaign for all three agents' teams, its outcomes, its information message.
    const teams = await admin.teams(ws).list();
    const campaign = await admin.campaigns(ws).create({
      name: CAMPAIGN,
      kind: 'outbound_predictive',
      teamIds: teams.filter((x) => x.name === 'Sales' || x.name === 'Customer Care').map((x) => x.id),
      script: SCRIPT,
      ringSeconds: 20,
      leadRules: { ...DEFAULT_LEAD_RULES, defaultCountry: 'AU', callingHours: ALL_DAY },
    });
    for (const name of OUTCOMES) await admin.wrapCodes(ws, campaign.id).create({ name, completesLead: true });
    const wav = soxTone(path.join(tmpdir(), `predictive-info-${process.pid}.wav`), {
      hz: 600,
      seconds: MESSAGE_MS / 1000,
    });
    t.after(() => rmSync(wav, { force: true }));
    const info = await admin.announcements(ws, campaign.id).upload('Who called', readFileSync(wav));
    await admin.campaigns(ws).update(campaign.id, {
      predictive: {
        abandonCap: 0.03,
        lockoutHours: LOCKOUT_HOURS,
        infoMessageId: info.id,
        maxLinesPerAgent: 2,
      },
    });
    const lists = admin.leadLists(ws);
    const list = await lists.create({ campaignId: campaign.id, name: 'Winter 2026' });
    const job = await admin
      .leadImports(ws)
      .wait((await lists.importCsv(list.id, LEADS_CSV, { phone: ['Mobile'] })).id, {
        intervalMs: 100,
        timeoutMs: 30_000,
      });
    assert.equal(job.imported, PEOPLE.length, `the import: ${JSON.stringify(job)}`);
    const leads = new Map<string, Lead>();
    for (const lead of (await lists.leads(list.id)).leads) {
      const number = lead.numbers[0]?.number;
      assert.ok(number, 'each lead has its mobile');
      leads.set(number, lead);
    }
    const fullName = (l: Lead) => `${l.fields['First name']} ${l.fields['Last name']}`;
    const leadNamed = new Map([...leads.values()].map((l) => [fullName(l), l]));

    /** The campaign's live figures, as a manager's page reads them. */
    const live = async (): Promise<DiallerCampaignStats> => {
      const all = await within(10_000, 'GET /api/dialler/campaigns', admin.diallerCampaigns());
      const found = all.find((c) => c.campaignId === campaign.id);
      assert.ok(found, 'the campaign has live figures');
      return found;
    };
    // The report's days are UTC days: from yesterday to tomorrow holds the whole run whenever it runs.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const [yesterday, tomorrow] = [day(-1), day(1)];
    const csv = async (what: 'audit' | 'calls') => {
      const url = new URL(admin.diallerCsvUrl(ws, campaign.id, what, yesterday, tomorrow));
      const res = await within(
        10_000,
        `GET ${url.pathname}`,
        admin.requestRaw('GET', url.pathname + url.search),
      );
      return parseCsv(await within(10_000, `the body of ${url.pathname}`, res.text()));
    };

    // The three agents sign in, connect Web Connect (persistent) with an ear on it, and go Available.
    const agents: Agent[] = await Promise.all(
      AGENTS.map(async ({ username, name }) => {
        const toolbar = await browser().newPage({ viewport: { width: 1280, height: 1000 } });
        await signIn(toolbar, platform.url, username);
        await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
        const webConnect = await connectWebConnect(phones.agents, platform.url, username, toolbar);
        await startEar(webConnect, '__parleyWebConnect.remoteStream', [BEEP_HZ, AGENT_HZ]);
        return { username, name, toolbar, webConnect };
      }),
    );
    let passed = false;
    t.after(async () => {
      if (passed) return;
      for (const a of agents)
        await a.toolbar.screenshot({ path: path.join(screenshots, `predictive-failed-${a.username}.png`) });
    });
    console.log(`agents connected after ${Date.now() - started} ms`);
    const handled: Handled[] = [];
    let shot = false;

    /** The call put through to the agent, if one is on their toolbar now. */
    async function callOn(a: Agent): Promise<Locator | undefined> {
      const card = a.toolbar
        .getByRole('article')
        .filter({ has: a.toolbar.getByRole('button', { name: 'Hang Up', exact: true }) });
      return (await card.count()) > 0 ? card.first() : undefined;
    }

    /**
     * The agent works the call on their toolbar: the lead on it (name, fields, number, script, Call
     * Type), the beep heard, then Hang Up, an Outcome and Wrap Lead.
     */
    async function work(a: Agent, found: Locator): Promise<void> {
      const name = ((await found.getByRole('heading').first().textContent()) ?? '').trim();
      const card = a.toolbar.getByRole('article', { name });
      const lead = leadNamed.get(name);
      assert.ok(lead, `${a.name}'s card names one of the leads (it says "${name}")`);
      const number = lead.numbers[0]?.number ?? '';
      const { toolbar } = a;
      await infoShows(toolbar, 'Call Type', 'Outbound Predictive');
      await infoShows(toolbar, 'Customer phone', number);
      await infoShows(toolbar, 'Lead ID', lead.id);
      await infoShows(toolbar, 'Plan', lead.fields.Plan ?? '');
      assert.equal(await infoField(toolbar, 'Campaign'), CAMPAIGN);
      await expect(
        toolbar
          .getByRole('region', { name: 'Script' })
          .getByText(
            `Hello ${lead.fields['First name']}, this is ${a.name} from ACME about the ${lead.fields.Plan} plan.`,
          ),
      ).toBeVisible();
      await expect(phoneNumbers(toolbar).getByText(number, { exact: true })).toBeVisible();
      assert.equal(
        await phoneNumbers(toolbar)
          .getByRole('button', { name: /^Call \+/ })
          .count(),
        0,
        'no number to call on a call already connected',
      );
      await hearUntil(
        a.webConnect,
        (samples) => samples.some((s) => shareOf(s, BEEP_HZ) > 0.3),
        `${a.name} hearing the beep for ${name}`,
        5000,
      );
      if (!shot) {
        shot = true;
        await toolbar.screenshot({ path: path.join(screenshots, 'predictive-call.png') });
      }
      handled.push({ agent: a.name, number });
      console.log(`${Date.now() - started} ms: ${a.name} has ${name} (${number})`);
      await card.getByRole('button', { name: 'Hang Up', exact: true }).click();
      await expect(card.getByText('Wrapping', { exact: true })).toBeVisible();
      await chooseOutcome(toolbar, OUTCOMES[handled.length % OUTCOMES.length] as string);
      // What the ear hears from here on belongs to the agent's next call.
      await earSamples(a.webConnect);
      await card.getByRole('button', { name: 'Wrap Lead', exact: true }).click();
      await expect(card).toBeHidden();
    }

    /** No agent has a call on their toolbar. */
    const noCalls = async () => (await Promise.all(agents.map(callOn))).every((c) => c === undefined);

    /** Works every call that reaches an agent until `done` holds. */
    async function serveUntil(done: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      while (!(await done())) {
        let worked = false;
        for (const a of agents) {
          const card = await callOn(a);
          if (card) {
            await work(a, card);
            worked = true;
          }
        }
        if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
        if (!worked) await new Promise((r) => setTimeout(r, 100));
      }
    }

    for (const a of agents) await setStatus(a.toolbar, 'Available');

    // Calls are placed, answered after their rings and put through: each agent works at least one.
    await serveUntil(
      async () => agents.every((a) => handled.some((h) => h.agent === a.name)),
      'a call for each of the three agents',
    );
    console.log(`each agent had a call after ${Date.now() - started} ms; ${handled.length} calls worked`);

    // While calls ring, every agent takes a Break: an answered call finds nobody free. Tried again
    // if the calls ringing then all turn out busy.
    const pausedFrom: number[] = [];
    let abandoned: Record<string, string>[] = [];
    for (let attempt = 1; abandoned.length === 0; attempt++) {
      assert.ok(attempt <= 3, 'an answered call while every agent was on a break, within three tries');
      await until(live, (s) => s.inFlight > 0, 'a call ringing');
      pausedFrom.push(Date.now());
      await Promise.all(agents.map((a) => setStatus(a.toolbar, 'Break')));
      // Calls put through before the Breaks took effect are worked; the others end.
      await serveUntil(
        async () =>
          (await live()).inFlight === 0 &&
          (await csv('calls')).every((c) => c.outcome !== 'ringing') &&
          (await noCalls()),
        'the calls ringing at the Break ended',
      );
      abandoned = (await csv('calls')).filter((c) => c.outcome === 'abandoned');
      if (abandoned.length === 0) for (const a of agents) await setStatus(a.toolbar, 'Available');
    }
    console.log(`abandoned after ${Date.now() - started} ms: ${abandoned.map((c) => c.number).join(', ')}`);

    // Back to Available: the dialler calls the rest of the list, and never the abandoned number.
    for (const a of agents) await setStatus(a.toolbar, 'Available');
    const lastDialled = () =>
      csv('calls').then((rows) => Math.max(...rows.map((r) => Date.parse(r['dialled at'] ?? ''))));
    await serveUntil(async () => {
      const calls = await csv('calls');
      if (calls.length < PEOPLE.length || calls.some((c) => c.outcome === 'ringing')) return false;
      // Every call put through has been worked (the toolbar may show one a moment after the export has it).
      const worked = new Set(handled.map((h) => h.number));
      if (calls.some((c) => c.outcome === 'connected' && !worked.has(c.number ?? ''))) return false;
      // The dialler wanted calls for its free agents and had no lead it may call.
      const since = await lastDialled();
      return (await csv('audit')).some(
        (r) =>
          r.kind === 'decision' && Number(r.dial) > 0 && r.placed === '0' && Date.parse(r.time ?? '') > since,
      );
    }, 'every lead dialled and the dialler out of leads');
    console.log(`every lead dialled after ${Date.now() - started} ms`);
    for (const a of agents) await setStatus(a.toolbar, 'Break');

    const run = await within(30_000, 'the carrier’s end', carrier.result).catch(async (err: Error) => {
      throw new Error(
        `${err.message}\ncalls: ${JSON.stringify(await csv('calls'))}\ncarrier: ${readFileSync(log, 'utf8')}`,
      );
    });
    assert.equal(
      run.status,
      0,
      `the carrier took one call per lead, each to its end:\n${run.output.slice(-3000)}`,
    );
    const events = carrierLog(log);
    const of = (event: CarrierEvent['event']) => events.filter((e) => e.event === event);
    const invited = of('invite').map((e) => e.number);
    const answered = new Set(of('answered').map((e) => e.number));
    const busy = new Set(of('busy').map((e) => e.number));
    console.log(
      `carrier: ${invited.length} calls, ${answered.size} answered, ${busy.size} busy; ${handled.length} worked by agents; ${Date.now() - started} ms`,
    );

    // Every lead was dialled once: the abandoned number too (the lockout held for the rest of the run).
    assert.deepEqual([...invited].sort(), [...leads.keys()].sort(), 'each lead’s number dialled once');
    assert.equal(answered.size + busy.size, PEOPLE.length, 'each call answered or busy');

    // Every call the carrier answered was either put through to an agent (and seen on their toolbar) or abandoned.
    const worked = new Set(handled.map((h) => h.number));
    assert.equal(worked.size, handled.length, 'no call worked twice');
    for (const n of worked) assert.ok(answered.has(n), `${n} was answered by the carrier`);
    const lost = [...answered].filter((n) => !worked.has(n)).sort();
    assert.deepEqual(
      lost,
      abandoned.map((c) => c.number).sort(),
      'the answered calls no agent worked are the abandoned ones',
    );

    // The abandoned call: answered while every agent was on a break, the message played, then the BYE.
    const firstPause = pausedFrom[0] ?? 0;
    for (const c of abandoned) {
      const n = c.number ?? '';
      const answeredAt = of('answered').find((e) => e.number === n)?.atMs ?? 0;
      const byeAt = of('bye').find((e) => e.number === n)?.atMs ?? 0;
      assert.ok(answeredAt >= firstPause, `${n} was answered after the agents began their breaks`);
      const heldMs = byeAt - answeredAt;
      console.log(
        `${n}: answered, BYE ${Math.round(heldMs)} ms later; waited ${c['waited ms']} ms for an agent`,
      );
      assert.ok(
        heldMs >= GRACE_MS + MESSAGE_MS - 100 && heldMs < GRACE_MS + MESSAGE_MS + 2000,
        `the carrier got the BYE after 2 s and the one-second message (${Math.round(heldMs)} ms)`,
      );
      assert.equal(c['message played'], 'true', 'the information message played');
      const waited = Number(c['waited ms']);
      assert.ok(waited >= GRACE_MS && waited < GRACE_MS + 500, `abandoned ${waited} ms after the answer`);
      assert.equal(c.agent, '', 'no agent had it');
    }

    // The calls export: one row per call, as the carrier and the toolbars saw them.
    const calls = await csv('calls');
    assert.equal(calls.length, PEOPLE.length);
    for (const c of calls) {
      const n = c.number ?? '';
      const h = handled.find((x) => x.number === n);
      if (h) assert.deepEqual([c.outcome, c.agent], ['connected', h.agent], `${n} put through to ${h.agent}`);
      else if (busy.has(n)) assert.equal(c.outcome, 'busy', `${n} busy`);
      else assert.equal(c.outcome, 'abandoned', `${n} abandoned`);
    }

    // The report's day row and the audit log agree with what the test counted.
    const report = await admin.diallerReport(ws, campaign.id, yesterday, tomorrow);
    const sum = (k: 'dialled' | 'answered' | 'connected' | 'abandoned' | 'messagesPlayed') =>
      report.days.reduce((a, d) => a + d[k], 0);
    assert.deepEqual(
      {
        dialled: sum('dialled'),
        answered: sum('answered'),
        connected: sum('connected'),
        abandoned: sum('abandoned'),
        messagesPlayed: sum('messagesPlayed'),
      },
      {
        dialled: invited.length,
        answered: answered.size,
        connected: handled.length,
        abandoned: lost.length,
        messagesPlayed: lost.length,
      },
      `the report: ${JSON.stringify(report.days)}`,
    );
    const audit = await csv('audit');
    const placed = audit.filter((r) => r.kind === 'decision').reduce((a, r) => a + Number(r.placed || 0), 0);
    assert.equal(placed, invited.length, 'every call placed by a decision in the audit log');
    const abandons = audit.filter((r) => r.kind === 'abandon');
    assert.deepEqual(abandons.map((r) => r.number).sort(), lost, 'each abandon in the audit log');
    for (const r of abandons) {
      assert.equal(r['message played'], 'true');
      const lockedMs = Date.parse(r['locked until'] ?? '') - Date.parse(r['answered at'] ?? '');
      assert.ok(
        Math.abs(lockedMs - LOCKOUT_HOURS * 3_600_000) < 60_000,
        `the number locked out for ${LOCKOUT_HOURS} hours`,
      );
    }
    assert.ok(
      audit.some((r) => r.kind === 'settings' && (r.after ?? '').includes(info.id)),
      'the choice of the information message is in the audit log',
    );
    const figures = (await live()).today;
    assert.deepEqual(figures, {
      dialled: invited.length,
      answered: answered.size,
      connected: handled.length,
      abandoned: lost.length,
    });
    console.log(`done in ${Date.now() - started} ms`);
    passed = true;
  });
});
