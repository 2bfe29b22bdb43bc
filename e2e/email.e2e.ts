import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, type TestContext, test } from 'node:test';
import { HttpClient } from '@parley/client';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import {
  CENTRE_DOMAIN,
  CUSTOMER_DOMAIN,
  type MailMessage,
  type MailServers,
  startMailServers,
} from '../apps/server/test/mail-servers.js';
import { expect } from './expect.js';
import {
  cspViolations,
  DEMO_PASSWORD,
  type PlatformProcess,
  resultsDir,
  signIn,
  usePlatform,
} from './support.js';

/** Mail moves through Postfix, Dovecot and the platform's IMAP reader on a shared, busy machine. */
const MAIL_MS = 60_000;

/** Each test's own mailbox and customer, hosted by the file's mail servers. */
const desks = ['reply', 'thread', 'send', 'hostile', 'images', 'reload', 'history'] as const;
type DeskName = (typeof desks)[number];
const supportOf = (desk: DeskName) => `${desk}-support@${CENTRE_DOMAIN}`;
const customerOf = (desk: DeskName) => `${desk}-casey@${CUSTOMER_DOMAIN}`;

interface Agent {
  username: string;
  password: string;
  displayName: string;
}

/** Polls until `locator` matches exactly `n` elements. */
async function toHaveCount(locator: Locator, n: number, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  let seen = await locator.count();
  while (seen !== n) {
    if (Date.now() > end) throw new Error(`expected ${n} of ${locator}, saw ${seen}`);
    await new Promise((r) => setTimeout(r, 50));
    seen = await locator.count();
  }
}

/** Polls `read` until it gives something other than undefined. */
async function eventually<T>(what: string, read: () => Promise<T | undefined>, ms = MAIL_MS): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await read();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The value an information list shows for a field: the definition right after its term. */
const field = (scope: Locator, label: string) =>
  scope
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]');

/** A customer's email as their mail client writes it: plain text, or text and HTML. */
function customerEmail(o: {
  from: string;
  fromName?: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  html?: string;
  headers?: string[];
}): string {
  const head = [
    `From: ${o.fromName ?? 'Casey Customer'} <${o.from}>`,
    `To: ${o.to}`,
    `Subject: ${o.subject}`,
    `Message-ID: ${o.messageId}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    ...(o.headers ?? []),
  ];
  if (o.html === undefined)
    return [...head, 'Content-Type: text/plain; charset=utf-8', '', o.text, ''].join('\r\n');
  return [
    ...head,
    'Content-Type: multipart/alternative; boundary="=_part"',
    '',
    '--=_part',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.text,
    '--=_part',
    'Content-Type: text/html; charset=utf-8',
    '',
    o.html,
    '--=_part--',
    '',
  ].join('\r\n');
}

/** A message's source with quoted-printable soft line breaks joined, for looking for words in it. */
const sourceText = (m: MailMessage) => m.source.toString('utf8').replace(/=\r?\n/g, '');

/** The toolbar asks for a voice path each time it comes up; emails need none. */
async function dismissConnectVoice(page: Page): Promise<void> {
  const connectVoice = page.getByRole('dialog', { name: 'Connect Voice' });
  await expect(connectVoice).toBeVisible(30_000);
  await connectVoice.press('Escape');
  await expect(connectVoice).toBeHidden();
}

/** The agent signed in in a browser context of their own, without voice: paused (Unavailable). */
async function pausedAgent(browser: Browser, platform: PlatformProcess, agent: Agent): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(page, platform.url, agent.username, agent.password);
  await dismissConnectVoice(page);
  await expect(page.getByRole('button', { name: 'Status: Unavailable' })).toBeVisible(30_000);
  return page;
}

/** The Email Queue icon once `n` emails wait (its badge's words say how many). */
function emailQueue(toolbar: Page, n: number): Locator {
  const description =
    n === 0
      ? 'No emails waiting'
      : n === 1
        ? '1 email waiting, opens it'
        : `${n} emails waiting, opens the next`;
  return toolbar.getByRole('button', { name: 'Email Queue', exact: true, description });
}

/** The reply or new email being written: the composer in the centre. */
const composer = (toolbar: Page) => toolbar.getByRole('region', { name: /^Your (reply|email)$/ });

/** The Outcome picked at the bottom of the information panel. */
async function chooseOutcome(toolbar: Page, outcome: string): Promise<void> {
  const info = toolbar.getByRole('region', { name: 'Interaction information' });
  await info.getByRole('combobox', { name: 'Outcome' }).click();
  await toolbar.getByRole('option', { name: outcome, exact: true }).click();
}

/** The Email thread ID the information panel shows, once it shows one. */
async function threadIdShown(toolbar: Page): Promise<string> {
  const info = toolbar.getByRole('region', { name: 'Interaction information' });
  const value = field(info, 'Email thread ID');
  return eventually(
    'the Email thread ID',
    async () => {
      const text = ((await value.textContent().catch(() => '')) ?? '').trim();
      return /^[0-9a-f-]{36}$/.test(text) ? text : undefined;
    },
    20_000,
  );
}

/** The Body editor (tiptap): the agent's words typed on its first line. */
async function typeAtStartOfBody(toolbar: Page, words: string): Promise<void> {
  const body = composer(toolbar).getByRole('textbox', { name: 'Body' });
  await expect(body).toBeVisible(30_000);
  await body.locator('p').first().click();
  await body.pressSequentially(words);
}

/** The whole page from its top, the sticky top bar where it belongs. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(resultsDir, name), fullPage: true });
}

/**
 * The email's own folder of the platform: a team, an email campaign with the Outcome "Resolved",
 * an agent allowed to send new emails, and a mailbox read over IMAP from Dovecot and sending
 * through Postfix's submission port; returns once the platform reads the mailbox.
 */
async function emailDesk(platform: PlatformProcess, mail: MailServers, desk: DeskName, agent: Agent) {
  const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
  const ws = (await admin.login({ username: 'admin', password: DEMO_PASSWORD })).workspace.id;
  const name = `Email ${desk}`;
  const team = await admin.teams(ws).create({ name: `${name} team` });
  const campaign = await admin.campaigns(ws).create({
    name,
    kind: 'email',
    script: 'Answer the customer within a day.',
    teamIds: [team.id],
  });
  await admin.wrapCodes(ws, campaign.id).create({ name: 'Resolved' });
  const profile = await admin.agentProfiles(ws).create({ name: `${name} senders`, sendEmail: true });
  await admin.users(ws).create({ ...agent, role: 'agent', teamIds: [team.id], agentProfileId: profile.id });
  const login = mail.user(supportOf(desk));
  const server = (s: { host: string; port: number }) => ({
    host: s.host,
    port: s.port,
    security: 'none' as const,
    verifyCertificate: true,
    user: login.user,
    password: login.password,
  });
  const mailbox = await admin.emailMailboxes(ws).create({
    name: `${name} mailbox`,
    campaignId: campaign.id,
    address: supportOf(desk),
    displayName: 'ACME Support',
    inbound: 'imap',
    imap: server(mail.imap),
    smtp: server(mail.submission),
  });
  await eventually('the mailbox read over IMAP', async () => {
    const m = await admin.emailMailboxes(ws).get(mailbox.id);
    return m.health.state === 'ok' ? m : undefined;
  });
  return { admin, ws, campaign };
}

describe('email in the toolbar: a real mailbox, replies, Send Email, hostile mail, Email History (issue #19)', () => {
  // Emails carry no media: one worker starts sooner.
  const { platform, browser } = usePlatform({ MEDIA_WORKERS: '1' });
  let mail: MailServers;
  let sent = 0;
  before(async () => {
    mail = await startMailServers({
      users: desks.flatMap((desk) => [supportOf(desk), customerOf(desk)]),
    });
  });
  after(async () => {
    await mail?.stop();
  });

  /** The desk's customer writes to its support address through Postfix; resolves with the Message-ID. */
  async function customerWrites(
    desk: DeskName,
    email: { subject: string; text: string; html?: string; fromName?: string; headers?: string[] },
  ): Promise<string> {
    const messageId = `<e2e.${desk}.${++sent}.${Date.now()}@${CUSTOMER_DOMAIN}>`;
    const raw = customerEmail({ from: customerOf(desk), to: supportOf(desk), messageId, ...email });
    await mail.deliver(raw, { from: customerOf(desk), to: [supportOf(desk)] });
    return messageId;
  }

  /** Email Queue pressed once an email waits: the email opened in the centre, its card returned. */
  async function openFromQueue(toolbar: Page, sender: string, subject: string): Promise<Locator> {
    await expect(emailQueue(toolbar, 1)).toBeVisible(MAIL_MS);
    await emailQueue(toolbar, 1).click();
    const card = toolbar.getByRole('article', { name: sender });
    await expect(card).toBeVisible(20_000);
    await expect(toolbar.getByRole('heading', { name: subject, level: 2 })).toBeVisible(20_000);
    await expect(emailQueue(toolbar, 0)).toBeVisible(20_000);
    return card;
  }

  /** The reply typed, the Outcome picked, "Send & wrap email": the card goes; resolves with the reply received. */
  async function replyAndWrap(
    toolbar: Page,
    desk: DeskName,
    card: Locator,
    words: string,
    answered: string,
  ): Promise<MailMessage> {
    await typeAtStartOfBody(toolbar, words);
    await chooseOutcome(toolbar, 'Resolved');
    await toolbar.getByRole('button', { name: 'Send & wrap email' }).click();
    await expect(card).toBeHidden(20_000);
    return mail.waitForMessage(customerOf(desk), (m) => m.inReplyTo === answered, MAIL_MS);
  }

  test("a customer's email through Postfix queues; the agent replies and wraps; the reply reaches the customer threaded", async () => {
    const agent = { username: 'erin', password: 'erin-password-1', displayName: 'Erin Agent' };
    await emailDesk(platform, mail, 'reply', agent);
    const toolbar = await pausedAgent(browser(), platform, agent);
    await expect(emailQueue(toolbar, 0)).toBeVisible(20_000);

    const asked = await customerWrites('reply', {
      subject: 'Where is my order?',
      text: 'Order 1234 has not come yet.\nIt was due on Friday.',
    });
    const card = await openFromQueue(toolbar, 'Casey Customer', 'Where is my order?');

    // The email in the centre: who sent it, its subject, its words.
    const email = toolbar.getByRole('region', { name: 'Where is my order?' });
    await expect(
      field(email, 'From').filter({ hasText: `Casey Customer <${customerOf('reply')}>` }),
    ).toBeVisible();
    await expect(field(email, 'Subject').filter({ hasText: 'Where is my order?' })).toBeVisible();
    await expect(email.getByText('Order 1234 has not come yet.')).toBeVisible();
    await expect(composer(toolbar).getByRole('textbox', { name: 'To' })).toHaveValue(customerOf('reply'));
    await expect(composer(toolbar).getByRole('textbox', { name: 'Subject' })).toHaveValue(
      'Re: Where is my order?',
    );
    await threadIdShown(toolbar);

    await typeAtStartOfBody(toolbar, 'It ships today from Sydney.');
    await chooseOutcome(toolbar, 'Resolved');
    await screenshot(toolbar, 'toolbar-email-reply.png');
    await toolbar.getByRole('button', { name: 'Send & wrap email' }).click();
    await expect(card).toBeHidden(20_000);
    await expect(toolbar.getByText('No active interactions')).toBeVisible();

    const reply = await mail.waitForMessage(customerOf('reply'), (m) => m.inReplyTo === asked, MAIL_MS);
    assert.equal(reply.from, supportOf('reply'));
    assert.ok(reply.references.includes(asked), 'References carry the message answered');
    assert.match(reply.subject, /^Re: Where is my order\? \[#[A-Z2-9]{8}\]$/);
    assert.match(sourceText(reply), /It ships today from Sydney\./, 'the reply carries the words typed');
  });

  test("the customer's answer to the reply opens with the earlier thread under Previous emails", async () => {
    const agent = { username: 'finn', password: 'finn-password-1', displayName: 'Finn Agent' };
    await emailDesk(platform, mail, 'thread', agent);
    const toolbar = await pausedAgent(browser(), platform, agent);

    const asked = await customerWrites('thread', {
      subject: 'Invoice please',
      text: 'Can I have the invoice?',
    });
    const first = await openFromQueue(toolbar, 'Casey Customer', 'Invoice please');
    const firstThread = await threadIdShown(toolbar);
    const reply = await replyAndWrap(toolbar, 'thread', first, 'The invoice is on its way.', asked);
    assert.ok(reply.messageId);

    // A new subject without the thread's token: only In-Reply-To and References join it.
    const answer = await customerWrites('thread', {
      subject: 'Thanks, one more thing',
      text: 'Could you also send the receipt?',
      html: '<p>Could you also send the <b>receipt</b>?</p>',
      headers: [`In-Reply-To: ${reply.messageId}`, `References: ${asked} ${reply.messageId}`],
    });
    const second = await openFromQueue(toolbar, 'Casey Customer', 'Thanks, one more thing');
    assert.equal(await threadIdShown(toolbar), firstThread, 'the same Email thread ID');
    const frame = toolbar.frameLocator('iframe[title="Message from Casey Customer"]').first();
    await expect(frame.getByText('Could you also send the')).toBeVisible(20_000);

    // The earlier thread, newest first: the agent's reply, then the customer's first email.
    const previous = toolbar.getByRole('region', { name: 'Previous emails' });
    await expect(previous).toBeVisible();
    const folded = previous.getByRole('button');
    await toHaveCount(folded, 2);
    assert.match((await folded.nth(0).textContent()) ?? '', /^Finn Agent: Re: Invoice please/);
    assert.match((await folded.nth(1).textContent()) ?? '', /^Casey Customer: Invoice please/);
    await folded.nth(1).click();
    await expect(previous.getByText('Can I have the invoice?')).toBeVisible();
    await folded.nth(0).click();
    const ours = previous.frameLocator('iframe[title="Message from Finn Agent"]');
    await expect(ours.getByText('The invoice is on its way.')).toBeVisible(20_000);
    await screenshot(toolbar, 'toolbar-email-thread.png');
    // Frames below the fold are not drawn in a full-page capture: the earlier thread on its own.
    await previous.screenshot({ path: path.join(resultsDir, 'toolbar-email-previous.png') });

    await replyAndWrap(toolbar, 'thread', second, 'The receipt is attached to the invoice.', answer);
  });

  test('Send Email from a template; a new email deleted and wrapped sends nothing', async () => {
    const agent = { username: 'gita', password: 'gita-password-1', displayName: 'Gita Agent' };
    const { admin, ws, campaign } = await emailDesk(platform, mail, 'send', agent);
    await admin.emailTemplates(ws, campaign.id).create({
      name: 'Welcome',
      subject: 'Welcome to {campaign.name}',
      html: '<p>Hello, this is {agent.name} from ACME.</p>',
    });
    const toolbar = await pausedAgent(browser(), platform, agent);
    const customer = customerOf('send');

    /** Send Email, the campaign and a template, New Email: the composer, in the centre. */
    const newEmail = async (template: string) => {
      await toolbar.getByRole('button', { name: 'Send Email', exact: true }).click();
      const dialog = toolbar.getByRole('dialog', { name: 'Send Email' });
      await dialog.getByRole('combobox', { name: 'Campaign' }).click();
      await toolbar.getByRole('option', { name: 'Email send', exact: true }).click();
      await dialog.getByRole('combobox', { name: 'Email Template' }).click();
      await toolbar.getByRole('option', { name: template, exact: true }).click();
      await dialog.getByRole('button', { name: 'New Email' }).click();
      await expect(dialog).toBeHidden();
      const card = toolbar.getByRole('article', { name: 'New email' });
      await expect(card).toBeVisible(20_000);
      await expect(toolbar.getByRole('heading', { name: 'New Email', level: 2 })).toBeVisible(20_000);
      return card;
    };

    // First a draft that is thrown away: Delete, the Outcome, Discard and Wrap Email.
    const dropped = await newEmail('Blank email');
    await composer(toolbar).getByRole('textbox', { name: 'To' }).fill(customer);
    await composer(toolbar).getByRole('textbox', { name: 'Subject' }).fill('Never to be sent');
    await typeAtStartOfBody(toolbar, 'This draft is deleted.');
    await toolbar.getByRole('button', { name: 'Delete', exact: true }).click();
    const discard = toolbar.getByRole('dialog', { name: 'Discard this email?' });
    await discard.getByRole('combobox', { name: 'Outcome' }).click();
    await toolbar.getByRole('option', { name: 'Resolved', exact: true }).click();
    await discard.getByRole('button', { name: 'Discard and Wrap Email' }).click();
    await expect(discard).toBeHidden(20_000);
    await expect(dropped).toBeHidden(20_000);

    // Then one from the template, filled in for this agent and campaign.
    const card = await newEmail('Welcome');
    const body = composer(toolbar).getByRole('textbox', { name: 'Body' });
    await expect(body.getByText('Hello, this is Gita Agent from ACME.')).toBeVisible(20_000);
    await expect(composer(toolbar).getByRole('textbox', { name: 'Subject' })).toHaveValue(
      'Welcome to Email send',
    );
    await composer(toolbar).getByRole('textbox', { name: 'To' }).fill(customer);
    await chooseOutcome(toolbar, 'Resolved');
    await toolbar.getByRole('button', { name: 'Send and wrap email' }).click();
    await expect(card).toBeHidden(20_000);
    const welcome = await mail.waitForMessage(
      customer,
      (m) => m.subject.startsWith('Welcome to Email send'),
      MAIL_MS,
    );
    assert.match(sourceText(welcome), /Hello, this is Gita Agent from ACME\./);

    // The outbox sends in order: the deleted draft, older, would have come first.
    const inbox = await mail.messages(customer);
    assert.deepEqual(
      inbox.map((m) => m.subject.replace(/ \[#[A-Z2-9]{8}\]$/, '')),
      ['Welcome to Email send'],
      'only the email sent arrived',
    );
    await expect(toolbar.getByText('No active interactions')).toBeVisible();
  });

  test('hostile HTML is inert: no script runs, links go nowhere, the remote image is not fetched', async (t) => {
    const tracker = await startTracker(t);
    const agent = { username: 'hana', password: 'hana-password-1', displayName: 'Hana Agent' };
    await emailDesk(platform, mail, 'hostile', agent);
    const toolbar = await pausedAgent(browser(), platform, agent);
    const dialogs: string[] = [];
    toolbar.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const popups: string[] = [];
    toolbar.context().on('page', (p) => popups.push(p.url()));

    const trap = "window.__xss='ran';try{top.__xss='ran'}catch(e){}";
    await customerWrites('hostile', {
      fromName: 'Mallory Sender',
      subject: 'Your invoice',
      text: 'See the HTML part.',
      html: [
        `<body onload="${trap}">`,
        '<p>Hello from Mallory</p>',
        `<script>${trap};alert('script')</script>`,
        `<img src="x" onerror="${trap}">`,
        `<svg onload="${trap}"><circle r="4"/></svg>`,
        `<a href="javascript:${trap}">Click me</a>`,
        `<iframe src="javascript:${trap}"></iframe>`,
        `<iframe srcdoc="<script>${trap}</script>"></iframe>`,
        `<div onmouseover="${trap}" style="padding:8px">Hover here</div>`,
        `<p><img src="${tracker.url}" alt="tracker" width="1" height="1"></p>`,
        '</body>',
      ].join('\n'),
    });
    await openFromQueue(toolbar, 'Mallory Sender', 'Your invoice');

    const frameElement = toolbar.locator('iframe[title="Message from Mallory Sender"]');
    await expect(frameElement).toBeVisible(20_000);
    assert.equal(
      await frameElement.getAttribute('sandbox'),
      'allow-popups allow-popups-to-escape-sandbox',
      'the frame may run nothing; only a link may open a tab',
    );
    const body = toolbar.frameLocator('iframe[title="Message from Mallory Sender"]');
    await expect(body.getByText('Hello from Mallory')).toBeVisible(20_000);
    // Nothing that runs or loads reached the frame.
    await toHaveCount(body.locator('script, iframe, svg, [onerror], [onload], [onmouseover]'), 0);
    await toHaveCount(body.locator('a[href^="javascript"], img[src^="http"]'), 0);
    await body.getByText('Hover here').hover();
    await body.getByText('Click me').click();

    // No script ran: not in the toolbar, not in the frame (which has no script at all).
    assert.deepEqual(dialogs, [], 'no dialog opened');
    assert.deepEqual(popups, [], 'no window opened');
    assert.equal(await toolbar.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);
    const frame = await (await frameElement.elementHandle())?.contentFrame();
    assert.ok(frame, 'the message frame');
    const inFrame = await frameScript(frame);
    assert.ok(
      inFrame === 'no script' || inFrame === undefined,
      `nothing ran in the frame (its __xss: ${String(inFrame)})`,
    );

    // The tracking image waits for the agent: it is announced, not fetched.
    await expect(toolbar.getByText('1 remote image is blocked.')).toBeVisible();
    await expect(toolbar.getByRole('button', { name: 'Show remote images' })).toBeVisible();
    assert.deepEqual(tracker.hits, [], 'the remote image is not loaded before the agent asks');
    await screenshot(toolbar, 'toolbar-email-hostile.png');
  });

  test('Show remote images fetches the image held back; a link opens in a tab of its own', async (t) => {
    const tracker = await startTracker(t);
    const agent = { username: 'kai', password: 'kai-password-1', displayName: 'Kai Agent' };
    const linkUrl = `${new URL(tracker.url).origin}/order?id=42`;
    await emailDesk(platform, mail, 'images', agent);
    const toolbar = await pausedAgent(browser(), platform, agent);
    await customerWrites('images', {
      subject: 'Our newsletter',
      text: 'Pictures inside.',
      html: `<p>Pictures inside.</p><p><img src="${tracker.url}" alt="tracker" width="1" height="1"></p><p><a href="${linkUrl}">Track my order</a></p>`,
    });
    await openFromQueue(toolbar, 'Casey Customer', 'Our newsletter');
    const body = toolbar.frameLocator('iframe[title="Message from Casey Customer"]');
    await expect(body.getByText('Pictures inside.')).toBeVisible(20_000);
    const notice = toolbar.getByText('1 remote image is blocked.');
    await expect(notice).toBeVisible();
    assert.deepEqual(tracker.hits, [], 'not loaded before the agent asks');

    await toolbar.getByRole('button', { name: 'Show remote images' }).click();
    await expect(notice).toBeHidden();
    // Either the tracker is asked, or the browser says which policy refused the image.
    const refused: string[] = [];
    const others: string[] = [];
    await eventually(
      'the remote image requested or refused',
      async () => {
        for (const v of cspViolations.take()) (v.includes(tracker.url) ? refused : others).push(v);
        return tracker.hits.length > 0 || refused.length > 0 ? true : undefined;
      },
      20_000,
    );
    assert.deepEqual(others, [], 'no other Content Security Policy violation');
    assert.deepEqual(refused, [], 'the image is not refused by a Content Security Policy');
    assert.deepEqual(tracker.hits, [new URL(tracker.url).pathname + new URL(tracker.url).search]);

    // A customer's link opens in a tab of its own, with no way back to the toolbar.
    const opened = toolbar.context().waitForEvent('page');
    await body.getByRole('link', { name: 'Track my order' }).click();
    const tab = await opened;
    await tab.waitForLoadState();
    assert.equal(tab.url(), linkUrl);
    assert.equal(await tab.evaluate(() => window.opener), null, 'the tab cannot reach the toolbar');
    await tab.close();
  });

  test('a reload mid-draft keeps what the agent typed', async () => {
    const agent = { username: 'ivo', password: 'ivo-password-1', displayName: 'Ivo Agent' };
    await emailDesk(platform, mail, 'reload', agent);
    const toolbar = await pausedAgent(browser(), platform, agent);
    await customerWrites('reload', { subject: 'Refund', text: 'I would like a refund.' });
    const card = await openFromQueue(toolbar, 'Casey Customer', 'Refund');
    const body = composer(toolbar).getByRole('textbox', { name: 'Body' });
    const subject = composer(toolbar).getByRole('textbox', { name: 'Subject' });
    await expect(subject).toHaveValue('Re: Refund');

    // The draft is saved a moment after typing stops: the save that carries the words is awaited.
    const words = 'Your refund is approved, draft kept';
    const saved = toolbar.waitForResponse(
      (r) =>
        r.request().method() === 'PUT' &&
        /\/email\/draft$/.test(new URL(r.url()).pathname) &&
        (r.request().postData() ?? '').includes(words),
      { timeout: 30_000 },
    );
    await subject.fill('Re: Refund approved');
    await typeAtStartOfBody(toolbar, words);
    assert.equal((await saved).status(), 200);
    await expect(composer(toolbar).getByRole('status').filter({ hasText: 'Draft saved' })).toBeVisible();

    await toolbar.reload();
    await dismissConnectVoice(toolbar);
    await expect(card).toBeVisible(20_000);
    await expect(toolbar.getByRole('heading', { name: 'Refund', level: 2 })).toBeVisible(20_000);
    await expect(body.getByText(words)).toBeVisible(30_000);
    await expect(subject).toHaveValue('Re: Refund approved');
  });

  test('Email History finds the thread by the customer’s address and shows it oldest first with the Outcome', async () => {
    const agent = { username: 'jo', password: 'jo-password-1', displayName: 'Jo Agent' };
    await emailDesk(platform, mail, 'history', agent);
    const toolbar = await pausedAgent(browser(), platform, agent);
    const asked = await customerWrites('history', {
      subject: 'Broken kettle',
      text: 'My kettle stopped working after a week.',
    });
    const card = await openFromQueue(toolbar, 'Casey Customer', 'Broken kettle');
    const threadId = await threadIdShown(toolbar);
    await replyAndWrap(toolbar, 'history', card, 'A new kettle is on its way.', asked);

    const search = toolbar.getByRole('search', { name: 'Search email history' });
    await search.getByRole('searchbox', { name: 'Contact' }).fill(customerOf('history'));
    await search.getByRole('button', { name: 'Search' }).click();
    const threads = toolbar.getByRole('list', { name: 'Email threads' }).getByRole('listitem');
    await toHaveCount(threads, 1, 20_000);
    await expect(threads.getByText('Broken kettle')).toBeVisible();
    await expect(threads.getByText('Resolved', { exact: true })).toBeVisible();
    await expect(threads.getByText('Email history · Jo Agent')).toBeVisible();
    await expect(threads.getByText(/2 messages$/)).toBeVisible();
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-email-history.png') });

    await threads.getByRole('button').click();
    const thread = toolbar.getByRole('dialog', { name: 'Broken kettle' });
    await expect(field(thread, 'Email thread ID').filter({ hasText: threadId })).toBeVisible();
    const emails = thread.getByRole('list', { name: 'Emails' }).getByRole('listitem');
    await toHaveCount(emails, 2, 20_000);
    // Oldest first: the customer's email, then the reply; each with the interaction's Outcome.
    await expect(emails.nth(0).getByText('My kettle stopped working after a week.')).toBeVisible();
    await expect(field(emails.nth(0), 'From').filter({ hasText: customerOf('history') })).toBeVisible();
    await expect(
      emails
        .nth(1)
        .frameLocator('iframe[title="Message from Jo Agent"]')
        .getByText('A new kettle is on its way.'),
    ).toBeVisible(20_000);
    await expect(field(emails.nth(1), 'From').filter({ hasText: supportOf('history') })).toBeVisible();
    for (const i of [0, 1])
      await expect(field(emails.nth(i), 'Outcome').filter({ hasText: 'Resolved' })).toBeVisible();
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-email-history-thread.png') });
  });
});

/** A web server for a tracking image that notes each request for it. */
async function startTracker(t: TestContext): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
    res.end(Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/pixel.gif?reader=agent`, hits };
}

/**
 * What a script in the frame sees of `__xss`: 'no script' when the frame has no script world to
 * ask (a sandbox without allow-scripts), which is what the toolbar wants.
 */
async function frameScript(frame: Frame): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('no script'), 5_000);
  });
  try {
    return await Promise.race([
      frame.evaluate(() => (window as { __xss?: unknown }).__xss).catch(() => 'no script'),
      gaveUp,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
