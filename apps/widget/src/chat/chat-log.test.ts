import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage } from '@parley/contract';
import { ChatLog } from './chat-log';

function msg(seq: number, from: ChatMessage['from'] = 'agent', clientId: string | null = null): ChatMessage {
  return {
    seq,
    from,
    name: from === 'agent' ? 'Alex' : null,
    text: `m${seq}`,
    at: '2026-12-07T10:00:00.000Z',
    clientId,
    attachment: null,
  };
}

test('messages are held once each, in seq order, whatever order they come in', () => {
  const log = new ChatLog();
  for (const seq of [1, 2, 4, 3, 2, 4, 5]) log.merge(msg(seq));
  assert.deepEqual(
    log.messages.map((m) => m.seq),
    [1, 2, 3, 4, 5],
  );
  assert.equal(log.lastSeq, 5);
  assert.equal(log.merge(msg(3)), false, 'a seq already held changes nothing');
});

test('a message carrying an outbox entry’s clientId acknowledges it, even when its seq is already held', () => {
  const log = new ChatLog([
    { clientId: 'a', text: 'first', at: '2026-12-07T10:00:00.000Z' },
    { clientId: 'b', text: 'second', at: '2026-12-07T10:00:01.000Z' },
  ]);
  log.merge(msg(1, 'customer', 'a'));
  assert.deepEqual(
    log.outbox.map((e) => e.clientId),
    ['b'],
  );
  // After a resume the platform replays seq 2, and the resent 'b' comes back as the same seq 2.
  const log2 = new ChatLog([{ clientId: 'b', text: 'second', at: '2026-12-07T10:00:01.000Z' }]);
  log2.merge(msg(2, 'customer', 'x'));
  log2.merge(msg(3, 'customer', 'b'));
  assert.equal(log2.merge(msg(3, 'customer', 'b')), false);
  assert.equal(log2.outbox.length, 0);
  assert.equal(log2.messages.length, 2);
});

test('an agent’s message with the same clientId does not acknowledge the customer’s', () => {
  const log = new ChatLog([{ clientId: 'a', text: 'hi', at: '2026-12-07T10:00:00.000Z' }]);
  log.merge(msg(1, 'agent', 'a'));
  assert.equal(log.outbox.length, 1);
});

test('the customer’s messages show Sending, Sent, then Read as the agent reads them', () => {
  const log = new ChatLog();
  log.enqueue({ clientId: 'a', text: 'one', at: '2026-12-07T10:00:00.000Z' });
  log.enqueue({ clientId: 'a', text: 'one', at: '2026-12-07T10:00:00.000Z' });
  log.enqueue({ clientId: 'b', text: 'two', at: '2026-12-07T10:00:00.000Z' });
  assert.deepEqual(
    log.entries(false).map((e) => [e.key, e.delivery]),
    [
      ['ca', 'sending'],
      ['cb', 'sending'],
    ],
  );
  log.merge(msg(1, 'customer', 'a'));
  log.merge(msg(2, 'agent'));
  log.merge(msg(3, 'customer', 'b'));
  assert.equal(log.markReadByAgent(1), true);
  assert.equal(log.markReadByAgent(1), false);
  assert.deepEqual(
    log.entries(false).map((e) => [e.key, e.delivery]),
    [
      ['ca', 'read'],
      ['m2', null],
      ['cb', 'sent'],
    ],
  );
  assert.equal(log.lastAgentSeq, 2);
});

test('messages still in the outbox when the chat ends show as not sent', () => {
  const log = new ChatLog([{ clientId: 'a', text: 'late', at: '2026-12-07T10:00:00.000Z' }]);
  assert.deepEqual(
    log.entries(true).map((e) => e.delivery),
    ['failed'],
  );
});
