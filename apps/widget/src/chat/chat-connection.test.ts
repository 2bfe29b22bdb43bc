import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatConnection, CLOSE_SILENT, PING_INTERVAL_MS, SILENCE_LIMIT_MS } from './chat-connection';
import { FakeSocket, VirtualTimers } from './test-support';

function setup() {
  const timers = new VirtualTimers();
  const sockets: FakeSocket[] = [];
  const events: string[] = [];
  const connection = new ChatConnection(
    {
      socketUrl: 'wss://platform.example/api/public/chat',
      openSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      timers,
      random: () => 0.5,
    },
    {
      open: () => events.push('open'),
      frame: (f) => events.push(f.type),
      closed: (code) => events.push(`closed ${code}`),
    },
  );
  const last = () => {
    const s = sockets.at(-1);
    assert.ok(s);
    return s;
  };
  return { timers, sockets, events, connection, last };
}

test('one socket at a time; frames the widget cannot read are ignored', () => {
  const c = setup();
  c.connection.open();
  c.connection.open();
  assert.equal(c.sockets.length, 1);
  c.last().open();
  c.last().onmessage?.({ data: '{"type":"nonsense"}' });
  c.last().receive({ type: 'pong', t: 1 });
  assert.deepEqual(c.events, ['open', 'pong']);
  assert.equal(c.connection.send({ type: 'end' }), true);
});

test('a retry waits for the backoff, unless the network comes back first', () => {
  const c = setup();
  c.connection.open();
  c.last().drop();
  c.connection.retry();
  assert.equal(c.connection.retrying, true);
  c.timers.advance(999);
  assert.equal(c.sockets.length, 1);
  c.timers.advance(1);
  assert.equal(c.sockets.length, 2);
  c.last().drop();
  c.connection.retry(); // 2 s this time
  c.timers.advance(500);
  c.connection.retryNow();
  assert.equal(c.sockets.length, 3, 'online: at once');
  assert.equal(c.connection.retrying, false);
  c.timers.advance(5000);
  assert.equal(c.sockets.length, 3, 'and not again when the timer would have fired');
  c.connection.retryNow();
  assert.equal(c.sockets.length, 3, 'nothing to hurry when no retry is due');
});

test('a dropped socket is closed without a close event; close stops a due retry too', () => {
  const c = setup();
  c.connection.open();
  c.last().open();
  const first = c.last();
  c.connection.drop();
  assert.equal(first.closed, true);
  assert.equal(c.connection.send({ type: 'end' }), false);
  first.onclose?.({ code: 1000 });
  assert.deepEqual(c.events, ['open']);
  c.connection.retry();
  c.connection.close();
  c.timers.advance(60_000);
  assert.equal(c.sockets.length, 1);
});

test('pings every 20 s while frames come; silence for 50 s is a drop', () => {
  const c = setup();
  c.connection.open();
  c.last().open();
  for (let i = 1; i <= 3; i++) {
    c.timers.advance(PING_INTERVAL_MS);
    c.last().receive({ type: 'pong', t: i });
  }
  assert.equal(c.last().frames('ping').length, 3);
  c.timers.advance(SILENCE_LIMIT_MS + PING_INTERVAL_MS);
  assert.equal(c.last().closed, true);
  assert.equal(c.events.at(-1), `closed ${CLOSE_SILENT}`);
  assert.equal(c.timers.pending, 0, 'no ping left running for a dead socket');
});
