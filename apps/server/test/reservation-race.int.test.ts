import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { AcdService } from '../src/agents/acd.service.js';
import { AgentsRepository } from '../src/agents/agents.repository.js';
import { systemClock } from '../src/clock.js';
import { type OpenDatabase, openDatabase } from '../src/db/database.js';
import { seedDemoWorkspace } from '../src/demo/demo-seed.js';
import { InProcessEventBus } from '../src/events.js';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { QueueRepository } from '../src/routing/queue.repository.js';
import { createStore, DEMO_PASSWORD, TEST_DB, type TestStore } from './helpers.js';

/**
 * Two ACD instances (as in two server processes) over one database, each with its own router
 * and connection pool: the database, not timing, decides who gets what.
 */
const first = <T>(xs: T[]): T => {
  const x = xs[0];
  assert.ok(x);
  return x;
};

describe(`reservation race between two routers (${TEST_DB})`, () => {
  let store: TestStore;
  let dbs: OpenDatabase[];
  let ws: string;
  let users: Record<string, string>;
  let chatCampaign: string;
  let voiceCampaign: string;

  before(async () => {
    store = await createStore();
    const first = await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl });
    await seedDemoWorkspace(first.db, store.dataDir, DEMO_PASSWORD);
    // PGlite is one in-process database: both instances share it. A server gets two pools.
    const second = store.databaseUrl
      ? await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl })
      : first;
    dbs = [first, second];
    const db = first.db;
    ws = (await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
    users = Object.fromEntries(
      (await db.selectFrom('users').select(['id', 'username']).execute()).map((u) => [u.username, u.id]),
    );
    const campaigns = await db.selectFrom('campaigns').select(['id', 'name']).execute();
    chatCampaign = campaigns.find((c) => c.name === 'Web Chat')?.id ?? '';
    voiceCampaign = campaigns.find((c) => c.name === 'Customer Care')?.id ?? '';
  });
  after(async () => {
    for (const d of new Set(dbs)) await d.close();
    await store.drop();
  });

  /** Puts an agent's stored state straight to Available, as a router elsewhere would have. */
  async function storedAvailable(username: string, voice: 'none' | 'connected') {
    const now = new Date();
    const values = {
      workspace_id: ws,
      status_kind: 'available' as const,
      since: now,
      voice,
      idle_since: now,
    };
    await dbs[0]?.db
      .insertInto('agent_states')
      .values({ user_id: users[username] ?? '', ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  }

  function acd(d: OpenDatabase, queue = new QueueRepository(d.db)) {
    const bus = new InProcessEventBus();
    const log = pino({ level: 'silent' });
    const service = new AcdService(
      d.db,
      new AgentsRepository(d.db),
      queue,
      bus,
      systemClock,
      new NotificationsService(d.db, bus, systemClock),
      log,
    );
    const signIn = (username: string) =>
      bus.publish({ type: 'toolbar.connected', userId: users[username] ?? '', workspaceId: ws });
    return { service, signIn };
  }

  test('one contact, one agent in each router: offered exactly once', async () => {
    const [ra, rb] = dbs.map((d) => acd(d));
    assert.ok(ra && rb);
    const [a, b] = [ra.service, rb.service];
    const entry = await new QueueRepository(first(dbs).db).insert({
      workspaceId: ws,
      campaignId: chatCampaign,
      kind: 'chat',
      label: 'Contested chat',
      priority: 0,
      at: new Date(),
    });
    await Promise.all([a.start(), b.start()]);
    ra.signIn('agent1');
    rb.signIn('agent2');
    // agent1 signs in on router A, agent2 on router B; both become Available at once.
    await Promise.all([
      a.setStatus(users.agent1 ?? '', ws, { kind: 'available' }),
      b.setStatus(users.agent2 ?? '', ws, { kind: 'available' }),
    ]);
    await Promise.all([a.settled(), b.settled()]);
    const offers = [a.stateOf(users.agent1 ?? ''), b.stateOf(users.agent2 ?? '')].flatMap((s) =>
      s.interactions.filter((i) => i.id === entry.id),
    );
    assert.equal(offers.length, 1, 'the contact is on exactly one toolbar');
    const row = await dbs[0]?.db
      .selectFrom('queue_entries')
      .selectAll()
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow();
    assert.equal(row?.state, 'offered');
    assert.ok(row?.agent_id === users.agent1 || row?.agent_id === users.agent2);
    await Promise.all([a.stop(), b.stop()]);
  });

  test('many reservations at once for one contact: exactly one succeeds', async () => {
    const repos = dbs.map((d) => new QueueRepository(d.db));
    const entry = await repos[0]?.insert({
      workspaceId: ws,
      campaignId: chatCampaign,
      kind: 'chat',
      label: 'Raced chat',
      priority: 0,
      at: new Date(),
    });
    assert.ok(entry);
    await storedAvailable('agent1', 'none');
    await storedAvailable('agent2', 'none');
    const at = new Date();
    const tries = await Promise.all(
      ['agent1', 'agent2', 'agent1', 'agent2', 'agent1', 'agent2'].map((u, i) =>
        repos[i % 2]?.reserve(
          entry.id,
          users[u] ?? '',
          { maxChats: 5, maxEmails: 1 },
          at,
          new Date(at.getTime() + 20_000),
        ),
      ),
    );
    assert.equal(tries.filter(Boolean).length, 1);
  });

  test('one agent, two voice calls in two routers: the agent gets only one (voice is exclusive)', async () => {
    const db = dbs[0]?.db;
    assert.ok(db);
    await storedAvailable('agent3', 'connected');
    const repos = dbs.map((d) => new QueueRepository(d.db));
    const calls = await Promise.all(
      ['Call one', 'Call two'].map((label) =>
        repos[0]?.insert({
          workspaceId: ws,
          campaignId: voiceCampaign,
          kind: 'voice',
          label,
          priority: 0,
          at: new Date(),
        }),
      ),
    );
    const at = new Date();
    const results = await Promise.all(
      calls.map((c, i) =>
        repos[i % 2]?.reserve(
          c?.id ?? '',
          users.agent3 ?? '',
          { maxChats: 5, maxEmails: 1 },
          at,
          new Date(at.getTime() + 20_000),
        ),
      ),
    );
    assert.deepEqual(results.filter(Boolean).length, 1);
    const held = await db
      .selectFrom('queue_entries')
      .select('id')
      .where('agent_id', '=', users.agent3 ?? '')
      .where('state', '=', 'offered')
      .execute();
    assert.equal(held.length, 1);
  });

  test('a call waiting while its agent wraps is offered once the wrap is stored, whichever write lands first', async () => {
    const db = first(dbs).db;
    // The wrap's own write (the finished call leaves the agent's load) is held back until the
    // router has tried the waiting call and been refused: on a server with a pool of
    // connections the agent's Available can be stored before it.
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let refused = () => {};
    const triedAndRefused = new Promise<void>((r) => {
      refused = r;
    });
    class SlowWrapQueue extends QueueRepository {
      override async advance(...args: Parameters<QueueRepository['advance']>) {
        if (args[3] === 'done') await gate;
        return super.advance(...args);
      }
      override async reserve(...args: Parameters<QueueRepository['reserve']>) {
        const ok = await super.reserve(...args);
        if (!ok) refused();
        return ok;
      }
    }
    // The earlier tests' contacts leave the queue: this one counts its own.
    await db
      .updateTable('queue_entries')
      .set({ state: 'abandoned' })
      .where('state', 'in', ['waiting', 'offered', 'busy', 'wrapping'])
      .execute();
    await db.deleteFrom('agent_states').execute();
    const r = acd(first(dbs), new SlowWrapQueue(db));
    const acdService = r.service;
    await acdService.start();
    const agent = users.agent1 ?? '';
    r.signIn('agent1');
    await acdService.setVoice(agent, ws, 'connected');
    await acdService.setStatus(agent, ws, { kind: 'available' });
    const one = await acdService.enqueue(ws, { campaignId: voiceCampaign, label: 'First caller' });
    await acdService.settled();
    assert.deepEqual(
      acdService.stateOf(agent).interactions.map((i) => [i.id, i.state]),
      [[one.id, 'offered']],
    );
    await acdService.accept(agent, one.id);
    await acdService.end(agent, one.id);
    const two = await acdService.enqueue(ws, { campaignId: voiceCampaign, label: 'Second caller' });
    await acdService.settled();
    assert.equal(acdService.stateOf(agent).interactions.length, 1, 'still wrapping the first call');
    const outcome = (
      await db.selectFrom('wrap_codes').select('id').where('campaign_id', '=', voiceCampaign).execute()
    )[0]?.id;
    const wrapped = acdService.wrap(agent, one.id, outcome);
    await triedAndRefused;
    release();
    await wrapped;
    await acdService.settled();
    assert.deepEqual(
      acdService.stateOf(agent).interactions.map((i) => [i.id, i.state]),
      [[two.id, 'offered']],
      'the second caller rings the agent',
    );
    await acdService.stop();
  });
});
