import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { useScratchDatabase } from '../../db/testing.js';
import { DialogStore } from './dialog-store.js';

const dialog = (n: number) => ({
  callId: `call-${n}@host`,
  localUri: `<sip:+61290001000@127.0.0.1>;tag=ours${n}`,
  remoteUri: `"Pat" <sip:+61400111222@127.0.0.1>;tag=theirs${n}`,
  remoteTarget: `sip:pat@127.0.0.1:${5070 + n}`,
  peer: { transport: 'tcp' as const, address: '127.0.0.1', port: 5070 + n, connectionId: 'tabc-1' },
  localCseq: n,
});

describe('DialogStore: the dialogs a SIP process holds, for the next start after a crash', () => {
  const database = useScratchDatabase();
  const log = pino({ level: 'silent' });

  test('a dialog that ends at once leaves no row, whatever order the writes finish in', async () => {
    const store = new DialogStore(database.db, 'node-a', log);
    for (let n = 0; n < 20; n++) {
      store.save(`k${n}`, dialog(n));
      if (n % 2 === 0) store.remove(`k${n}`);
    }
    await store.flush();
    const left = await store.left();
    assert.deepEqual(left.map((d) => d.key).sort(), [
      'k1',
      'k11',
      'k13',
      'k15',
      'k17',
      'k19',
      'k3',
      'k5',
      'k7',
      'k9',
    ]);
    const one = left.find((d) => d.key === 'k3');
    assert.deepEqual(one, {
      key: 'k3',
      ...dialog(3),
      // A TCP connection does not outlive its process: the BYE opens a new one.
      peer: { transport: 'tcp', address: '127.0.0.1', port: 5073 },
    });
  });

  test('each node sees only its own dialogs', async () => {
    const a = new DialogStore(database.db, 'node-x', log);
    const b = new DialogStore(database.db, 'node-y', log);
    a.save('x1', dialog(1));
    b.save('y1', dialog(2));
    await Promise.all([a.flush(), b.flush()]);
    assert.deepEqual(
      (await a.left()).map((d) => d.key),
      ['x1'],
    );
    assert.deepEqual(
      (await b.left()).map((d) => d.key),
      ['y1'],
    );
  });
});
