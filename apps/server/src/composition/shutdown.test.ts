import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { ShutdownSequence } from './shutdown.js';

test('roles close newest first, once however often asked; one failing does not keep the rest open', async () => {
  const logged: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });
  const sequence = new ShutdownSequence(log);
  const closed: string[] = [];
  sequence.add('acd', () => closed.push('acd'));
  sequence.add('voice', async () => {
    await new Promise((r) => setImmediate(r));
    closed.push('voice');
  });
  sequence.add('api', () => {
    throw new Error('upkeep stuck');
  });
  sequence.add('realtime', () => closed.push('realtime'));
  await Promise.all([sequence.run(), sequence.run()]);
  await sequence.run();
  assert.deepEqual(closed, ['realtime', 'voice', 'acd']);
  assert.equal(logged.length, 1);
  assert.match(logged[0] ?? '', /"role":"api".*role did not close cleanly/);
});
