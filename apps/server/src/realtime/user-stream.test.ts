import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserStream } from './user-stream.js';

const event = (text: string) => ({
  name: 'notification.created' as const,
  data: { notification: { id: text, level: 'info' as const, text, createdAt: '2026-01-01T00:00:00Z' } },
});

test('since() returns exactly the deltas after a sequence number', () => {
  const s = new UserStream('u', 'w');
  for (const t of ['a', 'b', 'c']) s.append(event(t));
  assert.deepEqual(
    s.since(1)?.map((x) => x.seq),
    [2, 3],
  );
  assert.deepEqual(s.since(3), []);
  assert.equal(s.since(4), undefined, 'a sequence from the future is not ours: snapshot');
});

test('a resume older than what is kept falls back to a snapshot', () => {
  const s = new UserStream('u', 'w', 2);
  for (const t of ['a', 'b', 'c', 'd']) s.append(event(t));
  assert.equal(s.since(1), undefined);
  assert.deepEqual(
    s.since(2)?.map((x) => x.seq),
    [3, 4],
  );
});

test('appendIfChanged pushes only real changes', () => {
  const s = new UserStream('u', 'w');
  const e = { name: 'notifications.cleared' as const, data: {} };
  assert.ok(s.appendIfChanged('k', { a: 1 }, e));
  assert.equal(s.appendIfChanged('k', { a: 1 }, e), undefined);
  assert.ok(s.appendIfChanged('k', { a: 2 }, e));
  assert.equal(s.seq, 2);
});

test('enqueued work runs one at a time in order, even when a piece fails', async () => {
  const s = new UserStream('u', 'w');
  const order: number[] = [];
  let finishFirst: () => void = () => {};
  const firstHeld = new Promise<void>((r) => {
    finishFirst = r;
  });
  const first = s.enqueue(async () => {
    await firstHeld;
    order.push(1);
  });
  const failing = s.enqueue(async () => {
    order.push(2);
    throw new Error('boom');
  });
  const last = s.enqueue(async () => order.push(3));
  // Let every ready task run: while the first is held, nothing after it may start.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, []);
  finishFirst();
  await first;
  await assert.rejects(failing);
  await last;
  assert.deepEqual(order, [1, 2, 3]);
});
