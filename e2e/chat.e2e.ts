import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { HttpClient } from '@parley/client';
import type { SurveyField } from '@parley/contract';
import type { Browser, Locator, Page } from 'playwright-core';
import { type Customer, openCustomer } from '../apps/server/test/chat-customer.js';
import { expect } from './expect.js';
import {
  DEMO_PASSWORD,
  type PlatformProcess,
  resultsDir,
  signIn,
  usePlatform,
  wrapWithOutcome,
} from './support.js';

const SURVEY: SurveyField[] = [
  { key: 'name', label: 'Your name', type: 'text', required: true },
  { key: 'email', label: 'Email', type: 'email', required: true },
  { key: 'topic', label: 'Topic', type: 'choice', required: false, options: ['Billing', 'Sales'] },
];
const ACME = 'The ACME Corporation Pty Limited ACN 22 555 903 134';
const XSS = '<img src=x onerror="window.__xss=1">';

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

/** The value the information panel shows for a field: the definition right after its term. */
const field = (info: Locator, label: string) =>
  info
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]');

interface Agent {
  username: string;
  password: string;
  displayName: string;
}

/**
 * A chat desk of its own on the platform, so each test shares no queue and no agent: a team, a
 * chat campaign with the Outcome "Resolved" and the ACME canned response, the agent, and a
 * channel whose widget the given origins may show.
 */
async function chatDesk(platform: PlatformProcess, name: string, agent: Agent, allowedOrigins: string[]) {
  const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
  const ws = (await admin.login({ username: 'admin', password: DEMO_PASSWORD })).workspace.id;
  const team = await admin.teams(ws).create({ name: `${name} team` });
  const campaign = await admin.campaigns(ws).create({
    name,
    kind: 'chat',
    script: 'Greet the customer by name.',
    teamIds: [team.id],
  });
  await admin.wrapCodes(ws, campaign.id).create({ name: 'Resolved' });
  await admin.cannedResponses(ws, campaign.id).create({ snippet: 'ACME', text: ACME });
  await admin.users(ws).create({ ...agent, role: 'agent', teamIds: [team.id] });
  const channel = await admin
    .chatChannels(ws)
    .create({ name: `${name} help`, campaignId: campaign.id, survey: SURVEY, allowedOrigins });
  return { admin, ws, campaign, channel };
}

/** A website on an origin of its own (another port of 127.0.0.1) whose page pastes the widget's tag. */
async function startWebsite(t: TestContext): Promise<{ origin: string; serve(page: string): void }> {
  let html = '<!doctype html><title>Not yet</title>';
  const server: Server = createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve: (page) => {
      html = page;
    },
  };
}

const shopPage = (platformUrl: string, channelId: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ACME Shop</title></head>
<body><h1>ACME Shop</h1><p>Everything for the coyote.</p>
<script src="${platformUrl}/chat.js" data-channel="${channelId}"></script>
</body></html>`;

/** The agent signed in in a context of their own, without voice, Available. */
async function availableAgent(browser: Browser, platform: PlatformProcess, agent: Agent): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(page, platform.url, agent.username, agent.password);
  await dismissConnectVoice(page);
  await page.getByRole('button', { name: /^Status: / }).click();
  await page.getByRole('menuitem', { name: 'Available' }).click();
  await expect(page.getByRole('button', { name: 'Status: Available' })).toBeVisible();
  return page;
}

/** The toolbar asks for a voice path each time it comes up; these chats need none. */
async function dismissConnectVoice(page: Page): Promise<void> {
  const connectVoice = page.getByRole('dialog', { name: 'Connect Voice' });
  await expect(connectVoice).toBeVisible();
  await connectVoice.press('Escape');
  await expect(connectVoice).toBeHidden();
}

describe('web chat: a website’s customer and an agent in the toolbar (issue #18)', () => {
  // One platform for the file (it takes a while to start); each test has a desk of its own on it.
  const { platform, browser } = usePlatform({
    // Every customer here is 127.0.0.1: the per-address limits are for the open internet.
    CHAT_STARTS_PER_MINUTE: '1000',
    CHAT_SOCKETS_PER_SOURCE: '1000',
    // Chats carry no media: one worker starts sooner.
    MEDIA_WORKERS: '1',
  });

  test('survey, accept, messages both ways, markup as text, canned response, reloads, end, wrap, Chat History', async (t) => {
    const site = await startWebsite(t);
    const agent = { username: 'alex', password: 'alex-password-1', displayName: 'Alex Agent' };
    const { channel } = await chatDesk(platform, 'Shop', agent, [site.origin]);
    site.serve(shopPage(platform.url, channel.id));

    const toolbar = await availableAgent(browser(), platform, agent);

    // The customer, on the shop's own origin, opens the widget and answers the survey.
    const shop = await (await browser().newContext()).newPage();
    await shop.goto(site.origin);
    await shop.getByRole('button', { name: /^Chat with us/ }).click();
    const widget = shop.getByRole('dialog', { name: 'Shop help' });
    await expect(widget.getByText('We are online')).toBeVisible();
    await widget.getByLabel('Your name').fill('Sam Shopper');
    await widget.getByLabel('Email').fill('sam@example.com');
    await widget.getByLabel('Topic').selectOption('Billing');
    await widget.getByRole('button', { name: 'Start chat' }).click();
    await expect(widget.getByText('Waiting for an agent…')).toBeVisible();

    // The agent is offered the chat, accepts it, and the Chat Panel opens on its tab.
    const card = toolbar.getByRole('article', { name: 'Sam Shopper' });
    await card.getByRole('button', { name: 'Accept' }).click();
    await expect(card.getByRole('button', { name: 'End Chat' })).toBeVisible();
    const panel = toolbar.getByRole('region', { name: 'Chat Panel' });
    await expect(panel.getByRole('tab', { name: 'Sam Shopper', selected: true })).toBeVisible();
    const agentLog = panel.getByRole('log', { name: 'Messages' });
    const agentBox = panel.getByRole('textbox', { name: 'Type a message' });
    await expect(agentLog.getByText('Alex Agent joined the chat')).toBeVisible();

    // The survey's answers are in the information panel.
    const info = toolbar.getByRole('region', { name: 'Interaction information' });
    await expect(field(info, 'Your name').filter({ hasText: 'Sam Shopper' })).toBeVisible();
    await expect(field(info, 'Email').filter({ hasText: 'sam@example.com' })).toBeVisible();
    await expect(field(info, 'Topic').filter({ hasText: 'Billing' })).toBeVisible();
    await expect(field(info, 'Call Type').filter({ hasText: 'Chat' })).toBeVisible();

    // The customer sees who they are talking to.
    await expect(widget.getByText('Chatting with Alex Agent')).toBeVisible();
    const shopLog = widget.getByRole('log', { name: 'Messages' });
    const shopBox = widget.getByRole('textbox', { name: 'Your message' });

    // Customer to agent, with typing shown on the way.
    await shopBox.fill('Hello, my bill is wrong');
    await expect(panel.getByText('Sam Shopper is typing…')).toBeVisible();
    await shopBox.press('Enter');
    await expect(agentLog.getByText('Hello, my bill is wrong', { exact: true })).toBeVisible();
    await expect(widget.getByRole('img', { name: /^(Sent|Read)$/ })).toBeVisible();

    // Agent to customer, under the agent's name, typing shown first.
    await agentBox.fill('Sorry to hear that');
    await expect(widget.getByText('Alex Agent is typing…')).toBeVisible();
    await agentBox.press('Control+End');
    await agentBox.pressSequentially('. Let me look.');
    await agentBox.press('Enter');
    await expect(shopLog.getByText('Sorry to hear that. Let me look.', { exact: true })).toBeVisible();
    await expect(shopLog.getByText('Alex Agent', { exact: true })).toBeVisible();
    await expect(widget.getByText('Alex Agent is typing…')).toBeHidden();

    // Markup from the customer is text on both sides, and nothing of it runs.
    await shopBox.fill(XSS);
    await shopBox.press('Enter');
    await expect(agentLog.getByText(XSS, { exact: true })).toBeVisible();
    await expect(shopLog.getByText(XSS, { exact: true })).toBeVisible();
    await toHaveCount(agentLog.locator('img'), 0);
    await toHaveCount(shopLog.locator('img'), 0);
    assert.equal(await toolbar.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);
    assert.equal(await shop.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);

    // "/ACME " becomes the canned response where it was typed; the customer gets the full text.
    await agentBox.click();
    await agentBox.pressSequentially('/ACME ');
    await expect(agentBox).toHaveValue(`${ACME} `);
    await panel.getByRole('button', { name: 'Send' }).click();
    await expect(agentBox).toHaveValue('');
    await expect(shopLog.getByText(ACME, { exact: true })).toBeVisible();
    await shop.screenshot({ path: path.join(resultsDir, 'chat-widget-conversation.png') });
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-chat-panel.png') });

    const said = [
      'Alex Agent joined the chat',
      'Hello, my bill is wrong',
      'Sorry to hear that. Let me look.',
      XSS,
      ACME,
    ];
    /** Each message shows exactly once, in the order said. */
    const onceEach = async (log: Locator, texts: string[]) => {
      for (const text of texts) await toHaveCount(log.getByText(text, { exact: true }), 1);
      const shown = (await log.textContent()) ?? '';
      const at = texts.map((text) => shown.indexOf(text));
      assert.ok(
        at.every((p, i) => p > (i === 0 ? -1 : (at[i - 1] ?? Number.POSITIVE_INFINITY))),
        `in the order said: ${shown}`,
      );
    };

    // The customer's page reloads mid-chat: the same conversation, each message once; it goes on.
    await shop.reload();
    await expect(widget.getByText('Chatting with Alex Agent')).toBeVisible();
    await expect(shopLog.getByText(ACME, { exact: true })).toBeVisible();
    await agentBox.fill('Are you still there?');
    await agentBox.press('Enter');
    await expect(shopLog.getByText('Are you still there?', { exact: true })).toBeVisible();
    await shopBox.fill('Yes, I reloaded the page');
    await shopBox.press('Enter');
    await expect(agentLog.getByText('Yes, I reloaded the page', { exact: true })).toBeVisible();
    said.push('Are you still there?', 'Yes, I reloaded the page');
    await onceEach(shopLog, said);
    await onceEach(agentLog, said);

    // The agent's toolbar reloads mid-chat: the chat and its tab come back, each message once.
    await toolbar.reload();
    await dismissConnectVoice(toolbar);
    await expect(card.getByRole('button', { name: 'End Chat' })).toBeVisible();
    await expect(panel.getByRole('tab', { name: 'Sam Shopper', selected: true })).toBeVisible();
    await expect(agentLog.getByText('Yes, I reloaded the page', { exact: true })).toBeVisible();
    await shopBox.fill('Thanks for checking');
    await shopBox.press('Enter');
    await expect(agentLog.getByText('Thanks for checking', { exact: true })).toBeVisible();
    await agentBox.fill('It is fixed now');
    await agentBox.press('Enter');
    await expect(shopLog.getByText('It is fixed now', { exact: true })).toBeVisible();
    said.push('Thanks for checking', 'It is fixed now');
    await onceEach(agentLog, said);
    await onceEach(shopLog, said);

    // The agent ends the chat: the customer is told; the agent wraps it with an Outcome.
    await card.getByRole('button', { name: 'End Chat' }).click();
    await expect(widget.getByText('Chat ended')).toBeVisible();
    await expect(widget.getByText('This chat has ended.')).toBeVisible();
    await expect(widget.getByRole('button', { name: 'Start a new chat' })).toBeVisible();
    await expect(shopBox).toBeHidden();
    await expect(card.getByRole('button', { name: 'Wrap Chat' })).toBeVisible();
    await expect(panel.getByRole('textbox', { name: 'Type a message', disabled: true })).toBeVisible();
    await wrapWithOutcome(toolbar, card, 'Resolved', 'Wrap Chat');
    await expect(card).toBeHidden();
    await expect(toolbar.getByText('No active interactions')).toBeVisible();

    // The chat is in the side panel's Chat History with its Outcome and agent.
    const history = toolbar.getByRole('search', { name: 'Search chat history' });
    await history.getByLabel('Contact').fill('Sam Shopper');
    await history.getByRole('button', { name: 'Search' }).click();
    const past = toolbar.getByRole('list', { name: 'Past chats' }).getByRole('listitem');
    await toHaveCount(past, 1, 20_000).catch(async (e) => {
      await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-chat-history-failed.png') });
      const section = toolbar.getByRole('region', { name: 'Side panel' }).last();
      throw new Error(`${e}; the side panel shows: ${await section.textContent()}`);
    });
    await expect(past.getByText('Resolved', { exact: true })).toBeVisible();
    await expect(past.getByText('Sam Shopper', { exact: true })).toBeVisible();
    await expect(past.getByText('Shop · Alex Agent')).toBeVisible();
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-chat-history.png') });

    assert.equal(await toolbar.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);
    assert.equal(await shop.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);
  });

  test('five chats at once, taken from the Chat Panel’s waiting list; the sixth waits there', async (t) => {
    const SHOP = 'http://shop.example';
    const agent = { username: 'bo', password: 'bo-password-1', displayName: 'Bo Agent' };
    const { channel } = await chatDesk(platform, 'Busy shop', agent, [SHOP]);
    // Signed in, the agent is Unavailable: nothing is offered, and chats wait for them to take one.
    const toolbar = await (await browser().newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(toolbar, platform.url, agent.username, agent.password);
    await dismissConnectVoice(toolbar);
    await expect(toolbar.getByRole('button', { name: 'Status: Unavailable' })).toBeVisible();

    // Six customers, straight over the widget's socket from the shop's pages.
    const customers: Customer[] = [];
    t.after(() => {
      for (const c of customers) c.close();
    });
    for (let i = 1; i <= 6; i++) {
      const c = await openCustomer(platform.url, SHOP);
      customers.push(c);
      c.send({ type: 'hello', channelId: channel.id });
      await c.next('channel', () => true, 10_000);
      c.send({ type: 'start', survey: { name: `Customer ${i}`, email: `c${i}@example.com` } });
      await c.next('chat', () => true, 10_000);
    }
    const customer = (i: number) => {
      const c = customers[i - 1];
      assert.ok(c);
      return c;
    };

    // The Chat icon opens the Chat Panel: the six wait there, and the agent starts five.
    await toolbar.getByRole('button', { name: 'Chat', exact: true }).click();
    const panel = toolbar.getByRole('region', { name: 'Chat Panel' });
    const tabs = panel.getByRole('tablist', { name: 'Active chats' });
    const start = (i: number) => panel.getByRole('button', { name: `Start chat with Customer ${i}` });
    for (let i = 1; i <= 6; i++) await expect(start(i)).toBeVisible();
    for (let i = 1; i <= 5; i++) {
      await start(i).click();
      await expect(tabs.getByRole('tab', { name: `Customer ${i}`, selected: true })).toBeVisible();
      await expect(toolbar.getByRole('article', { name: `Customer ${i}` })).toBeVisible();
      await customer(i).next('state', (f) => f.state === 'active' && f.agentName === 'Bo Agent', 10_000);
    }
    await toHaveCount(tabs.getByRole('tab'), 5);
    await toHaveCount(toolbar.getByRole('article'), 5);

    // The sixth stays waiting: the agent has as many chats as they may.
    await start(6).click();
    await expect(panel.getByRole('alert').filter({ hasText: 'You already have 5 chats' })).toBeVisible();
    await expect(start(6)).toBeVisible();
    assert.ok(
      customer(6)
        .of('state')
        .every((f) => f.state === 'queued'),
      'the sixth customer is still queued',
    );

    // Each tab talks to its own customer.
    const box = panel.getByRole('textbox', { name: 'Type a message' });
    for (const i of [2, 4]) {
      await tabs.getByRole('tab', { name: `Customer ${i}` }).click();
      await expect(tabs.getByRole('tab', { name: `Customer ${i}`, selected: true })).toBeVisible();
      await box.fill(`Hello customer ${i}`);
      await box.press('Enter');
      await customer(i).next('message', (f) => f.message.text === `Hello customer ${i}`, 10_000);
    }
    customer(3).send({ type: 'message', clientId: 'c3-1', text: 'Customer 3 here' });
    await expect(tabs.getByRole('tab', { name: 'Customer 3', description: 'New messages' })).toBeVisible();
    await tabs.getByRole('tab', { name: 'Customer 3' }).click();
    await expect(panel.getByRole('log', { name: 'Messages' }).getByText('Customer 3 here')).toBeVisible();
    for (let i = 1; i <= 6; i++) {
      const got = customer(i)
        .messages()
        .filter((m) => m.from === 'agent')
        .map((m) => m.text);
      assert.deepEqual(got, i === 2 || i === 4 ? [`Hello customer ${i}`] : [], `customer ${i}`);
    }
    await toolbar.screenshot({ path: path.join(resultsDir, 'toolbar-five-chats.png') });

    // One ends and is wrapped: now the sixth can be started.
    const first = toolbar.getByRole('article', { name: 'Customer 1' });
    await first.getByRole('button', { name: 'End Chat' }).click();
    await customer(1).next('state', (f) => f.state === 'ended', 10_000);
    await wrapWithOutcome(toolbar, first, 'Resolved', 'Wrap Chat');
    await expect(first).toBeHidden();
    await start(6).click();
    await expect(tabs.getByRole('tab', { name: 'Customer 6', selected: true })).toBeVisible();
    await customer(6).next('state', (f) => f.state === 'active' && f.agentName === 'Bo Agent', 10_000);
    await toHaveCount(tabs.getByRole('tab'), 5);
    await expect(panel.getByText('No chats are waiting.')).toBeVisible();
  });
});
