import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { credentialsPath } from '../src/demo/demo-seed.js';
import { createStore, startTestServer } from './helpers.js';

describe('durability', () => {
  test('data survives a restart, and the demo workspace is not created twice', async () => {
    const store = await createStore();
    const first = await startTestServer({ store });
    const admin = await first.signIn('admin');
    const team = await admin.teams(first.workspaceId).create({ name: 'Weekend crew' });
    const creds = readFileSync(credentialsPath(store.dataDir), 'utf8');
    await first.close({ keepData: true });

    const second = await startTestServer({ store });
    try {
      const again = await second.signIn('admin');
      assert.equal(second.workspaceId, first.workspaceId);
      assert.equal((await again.teams(second.workspaceId).get(team.id)).name, 'Weekend crew');
      assert.equal((await again.users(second.workspaceId).list()).length, 5);
      assert.equal(readFileSync(credentialsPath(store.dataDir), 'utf8'), creds);
    } finally {
      await second.close();
    }
  });
});
