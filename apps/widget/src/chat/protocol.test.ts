import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as contract from '@parley/contract';
import * as local from './protocol';

test('the widget’s copies of the contract’s values equal the contract’s', () => {
  const pairs: [string, unknown, unknown][] = [
    ['CHAT_SCRIPT_PATH', local.CHAT_SCRIPT_PATH, contract.CHAT_SCRIPT_PATH],
    ['CHAT_SOCKET_PATH', local.CHAT_SOCKET_PATH, contract.CHAT_SOCKET_PATH],
    ['CHAT_ATTACHMENTS_PATH', local.CHAT_ATTACHMENTS_PATH, contract.CHAT_ATTACHMENTS_PATH],
    ['CHAT_TOKEN_HEADER', local.CHAT_TOKEN_HEADER, contract.CHAT_TOKEN_HEADER],
    ['CHAT_FILE_NAME_HEADER', local.CHAT_FILE_NAME_HEADER, contract.CHAT_FILE_NAME_HEADER],
    ['CHAT_ATTACHMENT_TYPES', local.CHAT_ATTACHMENT_TYPES, contract.CHAT_ATTACHMENT_TYPES],
    ['CHAT_MESSAGE_MAX', local.CHAT_MESSAGE_MAX, contract.CHAT_MESSAGE_MAX],
    ['CHAT_ATTACHMENT_MAX_BYTES', local.CHAT_ATTACHMENT_MAX_BYTES, contract.CHAT_ATTACHMENT_MAX_BYTES],
    ['CHAT_CLOSE_REFUSED', local.CHAT_CLOSE_REFUSED, contract.CHAT_CLOSE_REFUSED],
    ['CHAT_CLOSE_ENDED', local.CHAT_CLOSE_ENDED, contract.CHAT_CLOSE_ENDED],
  ];
  for (const [name, mine, theirs] of pairs) assert.deepEqual(mine, theirs, name);
});

const message = {
  seq: 3,
  from: 'agent',
  name: 'Alex',
  text: 'Hello',
  at: '2026-12-07T10:00:00.000Z',
  clientId: null,
  attachment: null,
};

test('server frames are read with the fields the widget uses', () => {
  const frames = [
    {
      type: 'channel',
      channel: {
        name: 'Support',
        survey: [{ key: 'topic', label: 'Topic', type: 'choice', required: true, options: ['A', 'B'] }],
        open: true,
        offlineMessage: '',
      },
    },
    { type: 'chat', chatId: 'c1', token: 't1', state: 'queued', agentName: null },
    { type: 'message', message },
    { type: 'state', state: 'active', agentName: 'Alex' },
    { type: 'typing', typing: true, name: 'Alex' },
    { type: 'read', seq: 4 },
    { type: 'pong', t: 5 },
    { type: 'error', code: 'RATE_LIMITED', message: 'Slow down' },
  ];
  for (const frame of frames) assert.deepEqual(local.parseServerFrame(JSON.stringify(frame)), frame);
});

test('frames the widget cannot use are dropped, not half-read', () => {
  for (const data of [
    'not json',
    '[]',
    'null',
    JSON.stringify({ type: 'unknown' }),
    JSON.stringify({ type: 'chat', chatId: 'c1', token: 't1', state: 'lost' }),
    JSON.stringify({ type: 'message', message: { ...message, seq: 0 } }),
    JSON.stringify({ type: 'message', message: { ...message, from: 'robot' } }),
    JSON.stringify({ type: 'channel', channel: { survey: [] } }),
  ]) {
    assert.equal(local.parseServerFrame(data), undefined, data);
  }
  assert.equal(local.parseServerFrame(new ArrayBuffer(2)), undefined);
});

test('a survey field of an unknown type is left out of the channel', () => {
  const frame = local.parseServerFrame(
    JSON.stringify({
      type: 'channel',
      channel: {
        name: 'Support',
        survey: [
          { key: 'name', label: 'Name', type: 'text', required: true },
          { key: 'dob', label: 'Born', type: 'date', required: false },
        ],
        open: false,
        offlineMessage: 'Back at 9',
      },
    }),
  );
  assert.equal(frame?.type, 'channel');
  if (frame?.type === 'channel')
    assert.deepEqual(
      frame.channel.survey.map((f) => f.key),
      ['name'],
    );
});
