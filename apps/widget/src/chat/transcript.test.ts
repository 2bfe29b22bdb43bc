import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage } from '@parley/contract';
import { formatLocalTime, transcriptFileName, transcriptText } from './transcript';

const base = { clientId: null, attachment: null };
const messages: ChatMessage[] = [
  {
    ...base,
    seq: 1,
    from: 'system',
    name: null,
    text: 'Alex joined the chat',
    at: '2026-12-07T10:00:00.000Z',
  },
  { ...base, seq: 2, from: 'customer', name: null, text: 'Hi\nthere', at: '2026-12-07T10:00:05.000Z' },
  {
    ...base,
    seq: 3,
    from: 'agent',
    name: 'Alex',
    text: '<b>Hello</b>',
    at: '2026-12-07T10:01:00.000Z',
  },
  {
    ...base,
    seq: 4,
    from: 'customer',
    name: null,
    text: 'invoice.pdf',
    at: '2026-12-07T10:02:00.000Z',
    attachment: { id: 'f1', name: 'invoice.pdf', contentType: 'application/pdf', size: 10 },
  },
];

test('the transcript has a line per message: time, sender, text', () => {
  const text = transcriptText('Support', messages, [
    { clientId: 'z', text: 'still going', at: '2026-12-07T10:03:00.000Z' },
  ]);
  assert.equal(
    text,
    [
      'Chat transcript: Support',
      '',
      '[2026-12-07 10:00:00] Notice: Alex joined the chat',
      '[2026-12-07 10:00:05] You: Hi',
      '    there',
      '[2026-12-07 10:01:00] Alex: <b>Hello</b>',
      '[2026-12-07 10:02:00] You: [file: invoice.pdf]',
      '[2026-12-07 10:03:00] You (not delivered): still going',
      '',
    ].join('\n'),
  );
});

test('times are the customer’s local clock (UTC in tests); a bad time is kept as it is', () => {
  assert.equal(formatLocalTime('2026-01-02T03:04:05Z'), '2026-01-02 03:04:05');
  assert.equal(formatLocalTime('soon'), 'soon');
});

test('the file is named for the chat’s first day', () => {
  assert.equal(transcriptFileName(messages, new Date('2027-01-01')), 'chat-transcript-2026-12-07.txt');
  assert.equal(transcriptFileName([], new Date('2027-01-01T12:00:00Z')), 'chat-transcript-2027-01-01.txt');
});
