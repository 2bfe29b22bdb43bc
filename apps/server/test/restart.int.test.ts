import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { credentialsPath } from '../src/demo/demo-seed.js';
import { agent1DeskPhone } from './baresip.js';
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

  test('calls cut by a restart are closed: queued ones abandoned by the system, none offered again', async () => {
    const store = await createStore();
    const first = await startTestServer({ store });
    const care = (await (await first.signIn('admin')).campaigns(first.workspaceId).list()).find(
      (c) => c.name === 'Customer Care',
    );
    assert.ok(care);
    const now = new Date();
    const row = await first.database.db
      .insertInto('queue_entries')
      .values({
        workspace_id: first.workspaceId,
        campaign_id: care.id,
        kind: 'voice',
        label: '+61400111222',
        priority: 0,
        enqueued_at: now,
        state: 'waiting',
        state_since: now,
        customer_phone: '+61400111222',
        platform_phone: '+61290001000',
        channel_name: 'Customer Care',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await first.close({ keepData: true });

    const second = await startTestServer({ store, media: true });
    try {
      const entry = await second.database.db
        .selectFrom('queue_entries')
        .select(['state', 'ended_by'])
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(entry, { state: 'abandoned', ended_by: 'system' });
    } finally {
      await second.close();
    }
  });

  test('a desk phone registered before a restart is still reached by Call me to connect after it', async () => {
    const store = await createStore();
    const first = await startTestServer({ store, media: true });
    const ws = first.workspaceId;
    const admin = await first.signIn('admin');
    const phone = await agent1DeskPhone(admin, ws, first.app.sipPort ?? 0, { autoAnswer: true });
    try {
      const registered = async (s: typeof first) => {
        const list = await (await s.signIn('admin')).extensions(ws).list();
        return list[0]?.registeredContact ?? null;
      };
      for (let i = 0; i < 100 && (await registered(first)) === null; i++)
        await new Promise((r) => setTimeout(r, 100));
      const contact = await registered(first);
      assert.match(contact ?? '', /^sip:/, 'the phone registered');
      await first.close({ keepData: true });

      // The new process listens elsewhere; the phone has not registered with it.
      const second = await startTestServer({ store, media: true });
      try {
        assert.equal(await registered(second), contact, 'the registration outlived the restart');
        const agent1 = await second.signIn('agent1');
        await agent1.callMe({ destination: '1001', persistent: true });
        await phone.waitFor('CALL_ESTABLISHED');
      } finally {
        await second.close();
      }
    } finally {
      await phone.stop();
    }
  });
});
