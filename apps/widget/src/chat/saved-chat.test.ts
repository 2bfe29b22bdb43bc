import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatStorage, type KeyValueStore, MemoryStore, parseSavedChat } from './saved-chat';

const saved = {
  chatId: 'c1',
  token: 't1',
  outbox: [{ clientId: 'a', text: 'hi', at: '2026-12-07T10:00:00.000Z' }],
  agentReadSeq: 2,
  seenSeq: 3,
};

test('a saved chat is kept per channel and read back as it was', () => {
  const store = new MemoryStore();
  new ChatStorage('channel-1', store).save(saved);
  assert.deepEqual(new ChatStorage('channel-1', store).load(), saved);
  assert.equal(new ChatStorage('channel-2', store).load(), null);
  new ChatStorage('channel-1', store).clear();
  assert.equal(new ChatStorage('channel-1', store).load(), null);
});

test('what was kept badly counts as nothing; bad outbox entries are dropped', () => {
  assert.equal(parseSavedChat('{'), null);
  assert.equal(parseSavedChat('"x"'), null);
  assert.equal(parseSavedChat(JSON.stringify({ chatId: 'c1' })), null);
  assert.deepEqual(
    parseSavedChat(JSON.stringify({ chatId: 'c1', token: 't', outbox: [{ clientId: 1 }, saved.outbox[0]] })),
    {
      chatId: 'c1',
      token: 't',
      outbox: saved.outbox,
      agentReadSeq: 0,
      seenSeq: 0,
    },
  );
});

test('a store that throws (blocked, full) loses the save, not the chat', () => {
  const broken: KeyValueStore = {
    getItem: () => {
      throw new Error('SecurityError');
    },
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
    removeItem: () => {
      throw new Error('SecurityError');
    },
  };
  const storage = new ChatStorage('channel-1', broken);
  assert.doesNotThrow(() => storage.save(saved));
  assert.equal(storage.load(), null);
  assert.doesNotThrow(() => storage.clear());
});
