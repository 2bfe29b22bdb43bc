import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage } from '@parley/contract';
import { PING_INTERVAL_MS, SILENCE_LIMIT_MS } from './chat-connection';
import { ChatSession } from './chat-session';
import { CHAT_CLOSE_REFUSED } from './protocol';
import { ChatStorage, MemoryStore } from './saved-chat';
import { FakeSocket, VirtualTimers } from './test-support';

const CHANNEL = '6f1c1c5e-1111-4222-8333-944444444444';
const channel = {
  name: 'Support',
  survey: [{ key: 'name', label: 'Name', type: 'text', required: true }],
  open: true,
  offlineMessage: 'Closed',
};

function setup(store = new MemoryStore()) {
  const timers = new VirtualTimers();
  const sockets: FakeSocket[] = [];
  let ids = 0;
  const session = new ChatSession({
    channelId: CHANNEL,
    socketUrl: 'wss://platform.example/api/public/chat',
    storage: new ChatStorage(CHANNEL, store),
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    timers,
    newId: () => `id${++ids}`,
    random: () => 0.5,
  });
  const last = () => {
    const socket = sockets.at(-1);
    assert.ok(socket, 'a socket was opened');
    return socket;
  };
  return { session, timers, sockets, last, store };
}

function message(seq: number, from: ChatMessage['from'], text: string, clientId: string | null = null) {
  return {
    type: 'message',
    message: {
      seq,
      from,
      name: from === 'agent' ? 'Alex' : null,
      text,
      at: '2026-12-07T10:00:00.000Z',
      clientId,
      attachment: null,
    },
  };
}

/** Connects, answers hello with the channel and start with a chat. */
function startChat(ctx: ReturnType<typeof setup>) {
  ctx.session.connect();
  ctx.last().open();
  ctx.last().receive({ type: 'channel', channel });
  ctx.session.start({ name: 'Ana' });
  ctx.last().receive({ type: 'chat', chatId: 'chat-1', token: 'tok-1', state: 'queued', agentName: null });
}

test('hello, channel, start and chat: the chat is kept for a reload', () => {
  const ctx = setup();
  ctx.session.connect();
  assert.equal(ctx.session.phase, 'connecting');
  ctx.last().open();
  assert.deepEqual(ctx.last().sent, [{ type: 'hello', channelId: CHANNEL }]);
  ctx.last().receive({ type: 'channel', channel });
  assert.equal(ctx.session.phase, 'ready');
  assert.equal(ctx.session.channel?.name, 'Support');
  ctx.session.start({ name: 'Ana' });
  assert.equal(ctx.session.starting, true);
  assert.deepEqual(ctx.last().frames('start'), [{ type: 'start', survey: { name: 'Ana' } }]);
  ctx.last().receive({ type: 'chat', chatId: 'chat-1', token: 'tok-1', state: 'queued', agentName: null });
  assert.equal(ctx.session.starting, false);
  assert.deepEqual(new ChatStorage(CHANNEL, ctx.store).load(), {
    chatId: 'chat-1',
    token: 'tok-1',
    outbox: [],
    agentReadSeq: 0,
    seenSeq: 0,
  });
});

test('a message is sent once, shown as sending, and acknowledged by its clientId', () => {
  const ctx = setup();
  startChat(ctx);
  assert.equal(ctx.session.send('Hello <b>there</b>'), true);
  assert.deepEqual(ctx.last().frames('message'), [
    { type: 'message', clientId: 'id1', text: 'Hello <b>there</b>' },
  ]);
  assert.deepEqual(
    ctx.session.log.entries(false).map((e) => e.delivery),
    ['sending'],
  );
  ctx.last().receive(message(1, 'customer', 'Hello <b>there</b>', 'id1'));
  assert.deepEqual(ctx.session.log.outbox, []);
  assert.deepEqual(
    ctx.session.log.entries(false).map((e) => e.delivery),
    ['sent'],
  );
  ctx.last().receive({ type: 'read', seq: 1 });
  assert.deepEqual(
    ctx.session.log.entries(false).map((e) => e.delivery),
    ['read'],
  );
  assert.equal(ctx.session.send('   '), false, 'blank text is not sent');
  assert.equal(ctx.session.send('x'.repeat(2001)), false, 'too long is not sent');
});

test('a drop: messages wait in the outbox, the resume asks after the last seq, and nothing is lost or doubled', () => {
  const ctx = setup();
  startChat(ctx);
  ctx.last().receive({ type: 'state', state: 'active', agentName: 'Alex' });
  ctx.last().receive(message(1, 'agent', 'How can I help?'));
  ctx.session.send('sent before the drop');
  const first = ctx.last();
  first.drop();
  assert.equal(ctx.session.reconnecting, true);
  ctx.session.send('written while offline');
  assert.equal(first.frames('message').length, 1);
  assert.equal(ctx.sockets.length, 1);

  ctx.timers.advance(1000); // First backoff step (jitter 0.5: exactly 1 s).
  assert.equal(ctx.sockets.length, 2);
  const second = ctx.last();
  second.open();
  assert.deepEqual(second.sent, [{ type: 'hello', channelId: CHANNEL, resume: { token: 'tok-1', seq: 1 } }]);
  second.receive({ type: 'channel', channel });
  second.receive({ type: 'chat', chatId: 'chat-1', token: 'tok-1', state: 'active', agentName: 'Alex' });
  assert.deepEqual(
    second.frames('message').map((f) => f.clientId),
    ['id1', 'id2'],
    'the whole outbox is sent again after chat',
  );
  // The platform had stored id1 before the drop: the replay and the resend's ack both carry seq 2.
  second.receive(message(2, 'customer', 'sent before the drop', 'id1'));
  second.receive(message(3, 'agent', 'Still there?'));
  second.receive(message(2, 'customer', 'sent before the drop', 'id1'));
  second.receive(message(4, 'customer', 'written while offline', 'id2'));
  assert.deepEqual(
    ctx.session.log.messages.map((m) => [m.seq, m.text]),
    [
      [1, 'How can I help?'],
      [2, 'sent before the drop'],
      [3, 'Still there?'],
      [4, 'written while offline'],
    ],
  );
  assert.deepEqual(ctx.session.log.outbox, []);
  assert.equal(ctx.session.reconnecting, false);
  assert.equal(ctx.session.chat?.agentName, 'Alex');
});

test('a reload resumes the saved chat from seq 0 with its outbox', () => {
  const store = new MemoryStore();
  const before = setup(store);
  startChat(before);
  before.last().receive(message(1, 'agent', 'Hi'));
  before.session.send('unacknowledged');
  before.session.close();

  const after = setup(store);
  assert.equal(after.session.chat?.chatId, 'chat-1');
  assert.deepEqual(
    after.session.log.entries(false).map((e) => e.delivery),
    ['sending'],
  );
  after.session.connect();
  after.last().open();
  assert.deepEqual(after.last().sent, [
    { type: 'hello', channelId: CHANNEL, resume: { token: 'tok-1', seq: 0 } },
  ]);
  after.last().receive({ type: 'channel', channel });
  after
    .last()
    .receive({ type: 'chat', chatId: 'chat-1', token: 'tok-1', state: 'active', agentName: 'Alex' });
  assert.deepEqual(after.last().frames('message'), [
    { type: 'message', clientId: 'id1', text: 'unacknowledged' },
  ]);
  after.last().receive(message(1, 'agent', 'Hi'));
  after.last().receive(message(2, 'customer', 'unacknowledged', 'id1'));
  assert.equal(after.session.log.messages.length, 2);
  assert.deepEqual(after.session.log.outbox, []);
});

test('reconnect attempts back off, doubling up to 30 s, and start again from 1 s after a success', () => {
  const ctx = setup();
  ctx.session.connect();
  const delays: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = ctx.timers.now();
    const count = ctx.sockets.length;
    ctx.last().drop();
    while (ctx.sockets.length === count) ctx.timers.advance(100);
    delays.push(ctx.timers.now() - start);
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  ctx.last().open();
  ctx.last().receive({ type: 'channel', channel });
  const start = ctx.timers.now();
  ctx.last().drop();
  while (ctx.sockets.length === 8) ctx.timers.advance(100);
  assert.equal(ctx.timers.now() - start, 1000);
});

test('refused (wrong origin, unknown channel): told once, no retry', () => {
  const ctx = setup();
  ctx.session.connect();
  ctx.last().open();
  ctx.last().receive({ type: 'error', code: 'CHAT_ORIGIN_REFUSED', message: 'Origin refused' });
  ctx.last().drop(CHAT_CLOSE_REFUSED);
  assert.equal(ctx.session.phase, 'refused');
  assert.equal(ctx.session.notice, 'Chat is not available on this website.');
  ctx.timers.advance(120_000);
  assert.equal(ctx.sockets.length, 1);

  const other = setup();
  other.session.connect();
  other.last().open();
  other.last().receive({ type: 'error', code: 'NOT_FOUND', message: 'No such channel' });
  other.last().drop(CHAT_CLOSE_REFUSED);
  assert.equal(other.session.phase, 'refused');
  assert.equal(other.session.notice, 'No such channel');
});

test('refused for too many sockets from the address: tried again later, not given up', () => {
  const ctx = setup();
  ctx.session.connect();
  ctx.last().open();
  ctx
    .last()
    .receive({ type: 'error', code: 'RATE_LIMITED', message: 'Too many chats open from your address' });
  ctx.last().drop(CHAT_CLOSE_REFUSED);
  assert.notEqual(ctx.session.phase, 'refused');
  ctx.timers.advance(1000);
  assert.equal(ctx.sockets.length, 2);
});

test('a saved chat whose token is refused is forgotten and the survey comes back', () => {
  const store = new MemoryStore();
  new ChatStorage(CHANNEL, store).save({
    chatId: 'old',
    token: 'expired',
    outbox: [],
    agentReadSeq: 0,
    seenSeq: 0,
  });
  const ctx = setup(store);
  ctx.session.connect();
  ctx.last().open();
  ctx.last().receive({ type: 'channel', channel });
  ctx.last().receive({ type: 'error', code: 'CHAT_TOKEN_INVALID', message: 'Expired' });
  assert.equal(ctx.session.chat, null);
  assert.equal(new ChatStorage(CHANNEL, store).load(), null);
  ctx.last().drop(CHAT_CLOSE_REFUSED);
  assert.equal(ctx.session.phase, 'ready', 'not refused: only the old chat was');
  ctx.timers.advance(0);
  assert.equal(ctx.sockets.length, 2);
  ctx.last().open();
  assert.deepEqual(ctx.last().sent, [{ type: 'hello', channelId: CHANNEL }]);
});

test('a ping every 20 s; a socket silent for 50 s is dropped and replaced', () => {
  const ctx = setup();
  startChat(ctx);
  ctx.timers.advance(PING_INTERVAL_MS);
  assert.equal(ctx.last().frames('ping').length, 1);
  ctx.last().receive({ type: 'pong', t: 1 });
  ctx.timers.advance(PING_INTERVAL_MS);
  assert.equal(ctx.last().frames('ping').length, 2);
  const silent = ctx.last();
  ctx.timers.advance(SILENCE_LIMIT_MS);
  assert.equal(silent.closed, true);
  assert.equal(ctx.session.reconnecting, true);
  ctx.timers.advance(1000);
  assert.equal(ctx.sockets.length, 2);
});

test('read is reported once per new agent message, only on a socket with its chat', () => {
  const ctx = setup();
  startChat(ctx);
  ctx.last().receive(message(1, 'agent', 'one'));
  ctx.last().receive(message(2, 'system', 'note'));
  ctx.session.markRead();
  ctx.session.markRead();
  assert.deepEqual(ctx.last().frames('read'), [{ type: 'read', seq: 1 }]);
  assert.equal(ctx.session.seenSeq, 1);
  ctx.last().receive(message(3, 'agent', 'two'));
  ctx.session.markRead();
  assert.deepEqual(
    ctx
      .last()
      .frames('read')
      .map((f) => f.seq),
    [1, 3],
  );
});

test('typing goes both ways: the agent’s shows and clears, the customer’s is sent', () => {
  const ctx = setup();
  startChat(ctx);
  ctx.last().receive({ type: 'typing', typing: true, name: 'Alex' });
  assert.equal(ctx.session.agentTyping, 'Alex');
  ctx.last().receive(message(1, 'agent', 'Done'));
  assert.equal(ctx.session.agentTyping, null, 'their message ends their typing');
  ctx.last().receive({ type: 'typing', typing: true, name: 'Alex' });
  ctx.timers.advance(15_000);
  assert.equal(ctx.session.agentTyping, null, 'a lost typing-stop does not leave it on');
  ctx.session.typing('h');
  ctx.session.typing('hi');
  ctx.session.send('hi');
  assert.deepEqual(
    ctx
      .last()
      .sent.filter((f) => f.type === 'typing' || f.type === 'message')
      .map((f) => (f.type === 'typing' ? f.typing : 'message')),
    [true, false, 'message'],
  );
});

test('ending: end is sent, the ended chat keeps its transcript, and a new chat starts afresh', () => {
  const ctx = setup();
  startChat(ctx);
  ctx.last().receive(message(1, 'agent', 'Bye'));
  ctx.session.end();
  assert.deepEqual(ctx.last().frames('end'), [{ type: 'end' }]);
  ctx.last().receive({ type: 'state', state: 'ended', agentName: 'Alex' });
  assert.equal(ctx.session.ended, true);
  assert.equal(ctx.session.send('too late'), false);
  ctx.last().drop(1000);
  ctx.timers.advance(60_000);
  assert.equal(ctx.sockets.length, 1, 'an ended chat does not reconnect');
  assert.equal(ctx.session.log.messages.length, 1);

  ctx.session.newChat();
  assert.equal(ctx.session.chat, null);
  assert.equal(ctx.session.log.messages.length, 0);
  assert.equal(new ChatStorage(CHANNEL, ctx.store).load(), null);
  assert.equal(ctx.sockets.length, 2);
  ctx.last().open();
  assert.deepEqual(ctx.last().sent, [{ type: 'hello', channelId: CHANNEL }]);
});

test('end pressed while offline is sent after the resume', () => {
  const ctx = setup();
  startChat(ctx);
  ctx.last().drop();
  ctx.session.end();
  ctx.timers.advance(1000);
  ctx.last().open();
  ctx.last().receive({ type: 'channel', channel });
  ctx.last().receive({ type: 'chat', chatId: 'chat-1', token: 'tok-1', state: 'queued', agentName: null });
  assert.deepEqual(ctx.last().frames('end'), [{ type: 'end' }]);
});

test('rate limited: the outbox is tried again a little later', () => {
  const ctx = setup();
  startChat(ctx);
  ctx.session.send('one');
  ctx.last().receive({ type: 'error', code: 'RATE_LIMITED', message: 'Too many' });
  assert.match(ctx.session.notice ?? '', /too quickly/);
  ctx.timers.advance(5000);
  assert.deepEqual(
    ctx
      .last()
      .frames('message')
      .map((f) => f.clientId),
    ['id1', 'id1'],
  );
  assert.equal(ctx.session.notice, null);
});

test('outside hours the platform refuses start: the offline message shows instead', () => {
  const ctx = setup();
  ctx.session.connect();
  ctx.last().open();
  ctx.last().receive({ type: 'channel', channel });
  ctx.session.start({ name: 'Ana' });
  ctx.last().receive({ type: 'error', code: 'CHAT_CHANNEL_CLOSED', message: 'Closed now' });
  assert.equal(ctx.session.channel?.open, false);
  assert.equal(ctx.session.starting, false);
});
