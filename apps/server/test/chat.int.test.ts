import assert from 'node:assert/strict';
import { after, before, describe, type TestContext, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import { CHAT_ATTACHMENTS_PATH, type SurveyField } from '@parley/contract';
import { WebSocket } from 'ws';
import { ManualClock } from '../src/clock.js';
import { openCustomer } from './chat-customer.js';
import { rejection, startTestServer, type TestServer } from './helpers.js';
import { buildTeam, openToolbar, until } from './toolbar.js';

const SHOP = 'http://shop.example';
const SURVEY: SurveyField[] = [
  { key: 'name', label: 'Your name', type: 'text', required: true },
  { key: 'email', label: 'Email', type: 'email', required: true },
  { key: 'topic', label: 'Topic', type: 'choice', required: false, options: ['Billing', 'Sales'] },
];
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('web chat: widget socket, routing, the agent, Chat History (N1-N4)', () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 7, 10));
  let server: TestServer;
  let admin: HttpClient;
  let ws: string;

  before(async () => {
    server = await startTestServer({
      clock,
      gateway: { heartbeatTimeoutMs: 24 * 3_600_000 },
      // Every customer here is 127.0.0.1: the per-address limits are for the open internet.
      env: { CHAT_STARTS_PER_MINUTE: '1000', CHAT_SOCKETS_PER_SOURCE: '1000' },
    });
    ws = server.workspaceId;
    admin = await server.signIn('admin');
  });
  after(async () => server.close());

  /** A chat campaign with its own team of agents, a channel on it, and the agents' toolbars. */
  const desk = async (t: TestContext, agents = 1) => {
    const built = await buildTeam(server, admin, { kind: 'chat', agents });
    const channel = await admin.chatChannels(ws).create({
      name: 'Shop help',
      campaignId: built.campaign.id,
      survey: SURVEY,
      allowedOrigins: [SHOP],
    });
    const toolbars = built.agents.map((a) => openToolbar(server, a.client));
    t.after(() => {
      for (const tb of toolbars) tb.rt.stop();
    });
    await until(() => toolbars.every((tb) => tb.rt.state !== undefined), 'toolbars');
    return { ...built, channel, toolbars };
  };
  const customer = async (t: TestContext, origin = SHOP) => {
    const c = await openCustomer(server.url, origin);
    t.after(() => c.close());
    return c;
  };
  const started = async (t: TestContext, channelId: string, name = 'Sam Shopper') => {
    const c = await customer(t);
    c.send({ type: 'hello', channelId });
    await c.next('channel');
    c.send({ type: 'start', survey: { name, email: 'sam@example.com', topic: 'Billing' } });
    return { c, chat: await c.next('chat') };
  };

  /** One Available agent with a customer's chat offered to them. */
  const offered = async (t: TestContext) => {
    const built = await desk(t);
    const [agent] = built.agents;
    const [toolbar] = built.toolbars;
    assert.ok(agent && toolbar);
    await agent.client.setStatus({ kind: 'available' });
    const { c, chat } = await started(t, built.channel.id);
    await until(() => toolbar.state().agent.interactions.length === 1, 'the chat offered');
    const offer = toolbar.state().agent.interactions[0];
    assert.ok(offer);
    return { ...built, agent, toolbar, c, chat, offer, id: offer.id };
  };

  test('survey to agent and back: offered, accepted, messages both ways in order, ended, wrapped, in Chat History', async (t) => {
    const { agent, toolbar, c, chat, offer, wrapCode } = await offered(t);
    assert.equal(chat.state, 'queued');
    assert.equal(offer.kind, 'chat');
    assert.equal(offer.label, 'Sam Shopper', 'the card names the contact');
    await agent.client.acceptInteraction(offer.id);
    const active = await c.next('state', (f) => f.state === 'active');
    assert.equal(active.agentName, agent.user.displayName, 'the customer sees the agent’s name');

    // The information panel has the survey answers.
    const panel = await agent.client.interactionPanel(offer.id);
    assert.deepEqual(
      panel.chat?.survey.map((a) => `${a.label}: ${a.value}`),
      ['Your name: Sam Shopper', 'Email: sam@example.com', 'Topic: Billing'],
    );
    assert.equal(panel.callType, 'Chat');

    c.send({ type: 'message', clientId: 'c-1', text: 'Hello, my bill is wrong' });
    const ack = await c.next('message', (f) => f.message.clientId === 'c-1');
    await until(() => toolbar.applied.includes('chat.message'), 'the message pushed to the toolbar');
    const sent = await agent.client.sendChatMessage(offer.id, 'a-1', 'Sorry to hear that. Let me look.');
    assert.equal(sent.seq, ack.message.seq + 1, 'one sequence per chat, no gap');
    await c.next('message', (f) => f.message.seq === sent.seq);
    // A resend after a drop stores nothing twice, on either side.
    const again = await agent.client.sendChatMessage(offer.id, 'a-1', 'Sorry to hear that. Let me look.');
    assert.equal(again.seq, sent.seq);
    c.send({ type: 'message', clientId: 'c-1', text: 'Hello, my bill is wrong' });
    await until(
      () => c.of('message').filter((f) => f.message.clientId === 'c-1').length === 2,
      'the repeat acked',
    );
    const view = await agent.client.chat(offer.id);
    assert.deepEqual(
      view.messages.map((m) => [m.from, m.text]),
      [
        ['system', `${agent.user.displayName} joined the chat`],
        ['customer', 'Hello, my bill is wrong'],
        ['agent', 'Sorry to hear that. Let me look.'],
      ],
    );
    assert.deepEqual(
      view.messages.map((m) => m.seq),
      [1, 2, 3],
    );

    // Typing and reading reach the other side.
    c.send({ type: 'typing', typing: true });
    await until(() => toolbar.applied.includes('chat.typing'), 'customer typing shown to the agent');
    await agent.client.chatTyping(offer.id, true);
    await c.next('typing', (f) => f.typing && f.name === agent.user.displayName);
    c.send({ type: 'read', seq: 3 });
    await until(() => toolbar.applied.includes('chat.read'), 'read receipt to the agent');
    assert.equal((await agent.client.chat(offer.id)).customerReadSeq, 3);

    await agent.client.endInteraction(offer.id);
    await c.next('state', (f) => f.state === 'ended');
    const late = await rejection(agent.client.sendChatMessage(offer.id, 'a-2', 'Anything else?'));
    assert.equal(late.code, 'CHAT_ENDED');
    await agent.client.wrapInteraction(offer.id, { wrapCodeId: wrapCode.id });
    await until(() => toolbar.state().agent.interactions.length === 0, 'wrapped');

    const found = await agent.client.chatHistory({ text: 'bill' });
    const item = found.chats.find((h) => h.chatId === chat.chatId);
    assert.ok(item, 'Chat History finds it by a word of the conversation');
    assert.equal(item.outcome, wrapCode.name);
    assert.deepEqual(item.agentNames, [agent.user.displayName]);
    const byContact = await agent.client.chatHistory({ contact: 'Sam Shopper', limit: 1, offset: 0 });
    assert.equal(byContact.chats[0]?.chatId, chat.chatId, 'found by contact, one to a page');
    assert.equal(
      (await agent.client.chatHistory({ text: 'zebra' })).chats.some((h) => h.chatId === chat.chatId),
      false,
    );
    const transcript = await agent.client.chatTranscript(chat.chatId);
    assert.equal(transcript.messages.at(-1)?.text, `${agent.user.displayName} ended the chat`);
    assert.equal(transcript.survey.find((a) => a.key === 'email')?.value, 'sam@example.com');
  });

  test('a reload resumes the chat by its token with exactly the messages missed', async (t) => {
    const { agent, channel, c, chat, id } = await offered(t);
    await agent.client.acceptInteraction(id);
    await c.next('message', (f) => f.message.text.endsWith('joined the chat'));
    c.send({ type: 'message', clientId: 'm1', text: 'first' });
    await c.next('message', (f) => f.message.clientId === 'm1');
    const seen = c.lastSeq();
    c.close();
    // Said while the customer's page reloads.
    await agent.client.sendChatMessage(id, 'x1', 'while you were away');
    await agent.client.sendChatMessage(id, 'x2', 'and this');
    clock.advance(1000);
    const back = await customer(t);
    back.send({ type: 'hello', channelId: channel.id, resume: { token: chat.token, seq: seen } });
    const resumed = await back.next('chat');
    assert.equal(resumed.chatId, chat.chatId);
    assert.equal(resumed.state, 'active');
    assert.notEqual(resumed.token, chat.token, 'a fresh token');
    await until(() => back.messages().length === 2, 'the two missed messages');
    assert.deepEqual(
      back.messages().map((m) => m.text),
      ['while you were away', 'and this'],
    );
    // The outbox resent with its clientId: acknowledged with the stored seq, not stored again.
    back.send({ type: 'message', clientId: 'm1', text: 'first' });
    const ack = await back.next('message', (f) => f.message.clientId === 'm1');
    assert.ok(ack.message.seq <= seen);
    assert.equal((await agent.client.chat(id)).messages.filter((m) => m.text === 'first').length, 1);
    // Sent five times at once (retries racing each other): one message, one seq, no gap after it.
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => agent.client.sendChatMessage(id, 'race', 'only once')),
    );
    assert.equal(new Set(racing.map((m) => m.seq)).size, 1);
    const next = await agent.client.sendChatMessage(id, 'after', 'and then');
    assert.equal(next.seq, (racing[0]?.seq ?? 0) + 1);
  });

  test('five chats at most: the sixth waits in the Chat Panel; a paused agent may take one there', async (t) => {
    const { agents, toolbars, channel } = await desk(t, 2);
    const [a, b] = agents;
    const [ta, tb] = toolbars;
    assert.ok(a && b && ta && tb);
    await a.client.setStatus({ kind: 'available' });
    for (let i = 1; i <= 6; i++) await started(t, channel.id, `Customer ${i}`);
    await until(() => ta.state().agent.interactions.length === 5, 'five offers');
    for (const i of ta.state().agent.interactions) await a.client.acceptInteraction(i.id);
    const waiting = await b.client.waitingChats();
    assert.deepEqual(
      waiting.chats.map((w) => w.contactName),
      ['Customer 6'],
    );
    await until(() => tb.applied.includes('chats.waiting'), 'the waiting list pushed');
    const over = await rejection(a.client.takeChat(waiting.chats[0]?.interactionId ?? ''));
    assert.ok(['CHAT_LIMIT_REACHED', 'NOT_FOUND'].includes(over.code), over.code);
    // B is paused (signed in as Unavailable): the guide lets a paused agent answer chats.
    const state = await b.client.takeChat(waiting.chats[0]?.interactionId ?? '');
    assert.equal(state.status.kind, 'paused');
    assert.equal(state.interactions[0]?.state, 'busy');
    assert.deepEqual((await b.client.waitingChats()).chats, []);
    const again = await rejection(a.client.takeChat(waiting.chats[0]?.interactionId ?? ''));
    assert.notEqual(again.code, undefined);
  });

  test('an agent who signs out hands the chat back to the queue’s head with its transcript', async (t) => {
    const { agents, toolbars, channel } = await desk(t, 2);
    const [a, b] = agents;
    const [ta] = toolbars;
    assert.ok(a && b && ta);
    // Someone already waiting: the handed-back chat goes before them.
    await a.client.setStatus({ kind: 'available' });
    const { c, chat } = await started(t, channel.id, 'Handed Back');
    await until(() => ta.state().agent.interactions.length === 1, 'offered');
    const id = ta.state().agent.interactions[0]?.id ?? '';
    await a.client.acceptInteraction(id);
    await a.client.sendChatMessage(id, 'h1', 'I will check that for you');
    await a.client.setStatus({
      kind: 'paused',
      reasonId: (await admin.pauseReasons(ws).list())[0]?.id ?? '',
    });
    await started(t, channel.id, 'Came Later');
    await a.client.logout();
    await c.next('state', (f) => f.state === 'queued');
    await until(() => c.messages().some((m) => m.text.includes('left the chat')), 'the customer is told');
    const waiting = await b.client.waitingChats();
    assert.deepEqual(
      waiting.chats.map((w) => w.contactName),
      ['Handed Back', 'Came Later'],
      'the handed-back chat is at the head',
    );
    const taken = await b.client.takeChat(waiting.chats[0]?.interactionId ?? '');
    const mine = taken.interactions[0]?.id ?? '';
    const view = await b.client.chat(mine);
    assert.equal(view.chatId, chat.chatId);
    assert.ok(
      view.messages.some((m) => m.text === 'I will check that for you'),
      'the transcript came with it',
    );
    await c.next('state', (f) => f.state === 'active' && f.agentName === b.user.displayName);

    // A manager of other teams may not read it; an administrator may.
    const manager = await server.signIn('manager');
    assert.equal((await rejection(manager.chat(mine))).code, 'NOT_FOUND');
    assert.equal((await admin.chat(mine)).chatId, chat.chatId);

    // B's toolbar goes away: past the 30 s grace, the chat is handed back again.
    const tb = openToolbar(server, b.client);
    t.after(() => tb.rt.stop());
    await until(() => tb.rt.state !== undefined, 'B’s toolbar');
    tb.rt.stop();
    for (const tbs of toolbars) tbs.rt.stop();
    const end = Date.now() + 5000;
    let back: string[] = [];
    let waited = 0;
    while (Date.now() < end) {
      clock.advance(10_000);
      waited += 10_000;
      await new Promise((r) => setTimeout(r, 20));
      back = (await admin.interactions(ws, { campaignId: taken.interactions[0]?.campaignId ?? '' }))
        .filter((e) => e.label === 'Handed Back' && e.state === 'waiting')
        .map((e) => e.id);
      if (back.length > 0) break;
    }
    assert.equal(back.length, 1, 'waiting again after B’s toolbar was gone past the grace');
    assert.ok(waited >= 30_000, `handed back after ${waited} ms: the toolbar has 30 s to come back`);
    await c.next(
      'state',
      (f) => f.state === 'queued' && c.of('state').filter((x) => x.state === 'queued').length >= 2,
    );

    // B comes back (still "Unavailable: Toolbar disconnected" until they choose) and takes it: it stays.
    const again = openToolbar(server, b.client);
    t.after(() => again.rt.stop());
    await until(() => again.rt.state !== undefined, 'B back');
    clock.advance(1000); // the take changes what B is doing, and when, but not that B is back
    const retaken = await b.client.takeChat(back[0] ?? '');
    assert.equal(retaken.status.kind === 'paused' && retaken.status.detail, 'Toolbar disconnected');
    await until(() => c.of('state').filter((x) => x.state === 'active').length >= 3, 'active again');
    const still = (await b.client.waitingChats()).chats.map((w) => w.contactName);
    assert.deepEqual(still, ['Came Later'], 'kept by B, not handed back again');
    assert.equal((await b.client.chat(back[0] ?? '')).state, 'active');
  });

  test('a customer who leaves: abandoned while queued; gone past the grace ends the chat', async (t) => {
    const { channel, campaign } = await desk(t);
    const first = await started(t, channel.id, 'Leaves');
    first.c.send({ type: 'end' });
    await first.c.closed();
    const entries = await admin.interactions(ws, { campaignId: campaign.id });
    assert.equal(entries.find((e) => e.label === 'Leaves')?.state, 'abandoned');
    const second = await started(t, channel.id, 'Drops');
    second.c.close();
    // The server hears of the close in its own time: virtual minutes pass until the chat ends.
    const stateOf = async () =>
      (
        await server.database.db
          .selectFrom('chats')
          .select('state')
          .where('id', '=', second.chat.chatId)
          .executeTakeFirstOrThrow()
      ).state;
    const end = Date.now() + 5000;
    let minutes = 0;
    while ((await stateOf()) !== 'ended' && Date.now() < end) {
      clock.advance(60 * 1000);
      minutes++;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(minutes >= 5, `ended after ${minutes} virtual minutes: the customer has 5 to come back`);
    const back = await customer(t);
    back.send({ type: 'hello', channelId: channel.id, resume: { token: second.chat.token, seq: 0 } });
    const resumed = await back.next('chat');
    assert.equal(resumed.state, 'ended', 'the chat ended when its customer stayed away');
  });

  test('bad input: wrong origin, unknown channel, forged token, bad survey, oversized and unknown frames, HTML as text', async (t) => {
    const { agents, toolbars, channel } = await desk(t);
    const elsewhere = await customer(t, 'http://evil.example');
    elsewhere.send({ type: 'hello', channelId: channel.id });
    assert.equal((await elsewhere.next('error')).code, 'CHAT_ORIGIN_REFUSED');
    await elsewhere.closed();
    const unknown = await customer(t);
    unknown.send({ type: 'hello', channelId: '00000000-0000-4000-8000-000000000000' });
    assert.equal((await unknown.next('error')).code, 'NOT_FOUND');
    const forged = await customer(t);
    forged.send({ type: 'hello', channelId: channel.id, resume: { token: 'abc.123.def', seq: 0 } });
    assert.equal((await forged.next('error')).code, 'CHAT_TOKEN_INVALID');
    forged.send({ type: 'start', survey: { email: 'not-an-email', colour: 'red' } });
    const bad = await forged.next('error', (f) => f.code !== 'CHAT_TOKEN_INVALID');
    assert.equal(bad.code, 'CHAT_SURVEY_INVALID');
    const early = await customer(t);
    early.send({ type: 'message', clientId: 'x', text: 'hi' });
    assert.equal((await early.next('error')).code, 'WS_INVALID_FRAME');
    await early.closed();

    const [agent] = agents;
    const [toolbar] = toolbars;
    assert.ok(agent && toolbar);
    await agent.client.setStatus({ kind: 'available' });
    const { c } = await started(t, channel.id);
    await until(() => toolbar.state().agent.interactions.length === 1, 'offered');
    const id = toolbar.state().agent.interactions[0]?.id ?? '';
    await agent.client.acceptInteraction(id);
    const html = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    c.send({ type: 'message', clientId: 'h', text: html });
    await c.next('message', (f) => f.message.clientId === 'h');
    const said = (await agent.client.chat(id)).messages.filter((m) => m.from === 'customer');
    assert.equal(said.at(-1)?.text, html, 'kept as the text it is');
    c.send({ type: 'message', clientId: 'big', text: 'x'.repeat(2001) });
    assert.equal((await c.next('error')).code, 'WS_INVALID_FRAME');
    await c.closed();
    const other = await agents[0]?.client.chat(id);
    assert.equal(other?.messages.filter((m) => m.from === 'customer').length, 1, 'nothing else stored');
  });

  test('the demo page carries the widget for a channel that allows its origin', async (t) => {
    const { channel } = await desk(t);
    const page = await fetch(`${server.url}/chat-demo.html?channel=${channel.id}`);
    assert.equal(page.status, 200);
    assert.match(
      await page.text(),
      new RegExp(`<script src="/chat.js" data-channel="${channel.id}"></script>`),
    );
    await admin.chatChannels(ws).update(channel.id, { allowedOrigins: [server.url] });
    const found = await (await fetch(`${server.url}/chat-demo.html`)).text();
    assert.match(found, /data-channel="[0-9a-f-]{36}"/, 'a channel allowing this origin is found');
  });

  test('behind a trusted proxy, the limits count each customer’s forwarded address, not the proxy’s', async () => {
    const proxied = await startTestServer({
      env: { TRUST_PROXY: '127.0.0.1', CHAT_SOCKETS_PER_SOURCE: '1' },
    });
    try {
      const url = `${proxied.url.replace('http', 'ws')}/api/public/chat`;
      const open = (forwardedFor: string) =>
        new Promise<{ code: number | undefined; ws: WebSocket }>((resolve) => {
          const ws = new WebSocket(url, { headers: { origin: SHOP, 'x-forwarded-for': forwardedFor } });
          // Refused at once with an error frame; accepted, it answers a ping.
          ws.on('message', (d) => {
            const f = JSON.parse(String(d)) as { type: string; code?: string };
            if (f.type === 'error') resolve({ code: f.code === 'RATE_LIMITED' ? 429 : 0, ws });
            if (f.type === 'pong') resolve({ code: undefined, ws });
          });
          ws.once('open', () => ws.send(JSON.stringify({ type: 'ping', t: 1 })));
        });
      const first = await open('203.0.113.1');
      const second = await open('203.0.113.2');
      const again = await open('203.0.113.1');
      assert.equal(first.code, undefined, 'one customer');
      assert.equal(second.code, undefined, 'another customer behind the same proxy');
      assert.equal(again.code, 429, 'the first customer’s second socket is over their limit');
      for (const c of [first, second, again]) c.ws.close();
    } finally {
      await proxied.close();
    }
  });

  test('attachments: an image is stored and served as a download; other types and origins refused', async (t) => {
    const { agent, c, chat, id } = await offered(t);
    const upload = (bytes: Buffer, origin = SHOP, token = chat.token) =>
      fetch(`${server.url}${CHAT_ATTACHMENTS_PATH}`, {
        method: 'POST',
        headers: {
          origin,
          'content-type': 'image/png',
          'x-chat-token': token,
          'x-file-name': 'receipt%20scan.png',
        },
        body: bytes,
      });
    const ok = await upload(PNG);
    assert.equal(ok.status, 201, await ok.clone().text());
    assert.equal(ok.headers.get('access-control-allow-origin'), SHOP);
    const message = (await ok.json()) as { attachment: { id: string; name: string; contentType: string } };
    assert.equal(message.attachment.name, 'receipt scan.png');
    assert.equal(message.attachment.contentType, 'image/png');
    await c.next('message', (f) => f.message.attachment?.id === message.attachment.id);
    const exe = await upload(Buffer.from('MZ\x90\x00 this is a program'));
    assert.equal(exe.status, 415);
    assert.equal(((await exe.json()) as { error: { code: string } }).error.code, 'ATTACHMENT_TYPE_REFUSED');
    assert.equal((await upload(PNG, 'http://evil.example')).status, 403);
    assert.equal((await upload(PNG, SHOP, `${chat.token}x`)).status, 401);
    await agent.client.acceptInteraction(id);
    const file = await fetch(
      `${server.url}/api/interactions/${id}/chat/attachments/${message.attachment.id}`,
      {
        headers: { cookie: agent.client.sessionCookie ?? '' },
      },
    );
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-disposition') ?? '', /^attachment;/);
    assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
    const customerCopy = await fetch(
      `${server.url}${CHAT_ATTACHMENTS_PATH}/${message.attachment.id}?token=${encodeURIComponent(chat.token)}`,
    );
    assert.equal(customerCopy.status, 200);
  });
});
