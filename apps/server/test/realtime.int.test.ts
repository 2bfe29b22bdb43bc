import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import type { ServerFrame } from '@parley/contract';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from './helpers.js';
import { buildTeam, openToolbar, until } from './toolbar.js';

function wsUrl(server: TestServer) {
  return `${server.url.replace('http', 'ws')}/api/realtime`;
}

/** Raw frames from one socket, for protocol-level checks. */
function rawSocket(server: TestServer, headers: Record<string, string>) {
  const frames: ServerFrame[] = [];
  const socket = new WebSocket(wsUrl(server), { headers });
  socket.on('message', (d) => frames.push(JSON.parse(String(d)) as ServerFrame));
  return { socket, frames };
}

describe('realtime channel', () => {
  let server: TestServer;
  let admin: HttpClient;
  let agent1: HttpClient;
  let ws: string;
  before(async () => {
    server = await startTestServer();
    admin = await server.signIn('admin');
    agent1 = await server.signIn('agent1');
    ws = server.workspaceId;
  });
  after(async () => server.close());

  test('a toolbar gets a snapshot of what its agent may see', async () => {
    const t = openToolbar(server, agent1);
    await until(() => t.rt.connectionStatus === 'open', 'open');
    const s = t.state();
    assert.equal(s.me.displayName, 'Ava Agent');
    assert.deepEqual(
      s.pauseReasons.map((r) => r.name),
      ['Break', 'Lunch', 'Training', 'After Call Work'],
    );
    assert.deepEqual(
      s.assignments.teams.map((x) => x.name),
      ['Customer Care', 'Sales'],
    );
    assert.equal(s.assignments.campaigns.length, 6);
    assert.equal(s.settings.name, 'ACME Demo');
    t.rt.stop();
  });

  test('changes reach every open toolbar of the agent, in sequence, and only real changes', async () => {
    const a = openToolbar(server, agent1);
    const b = openToolbar(server, await server.signIn('agent1'));
    await until(() => a.rt.connectionStatus === 'open' && b.rt.connectionStatus === 'open', 'both open');
    const before = a.rt.lastSeq;
    const appliedBefore = a.applied.length;
    await admin.settings(ws).update({ agentRingTimeoutSeconds: 33 });
    await until(() => a.state().settings.agentRingTimeoutSeconds === 33, 'settings on a');
    await until(() => b.state().settings.agentRingTimeoutSeconds === 33, 'settings on b');
    // Saving the same value again changes nothing a toolbar shows: no event.
    await admin.settings(ws).update({ agentRingTimeoutSeconds: 33 });
    await admin.pauseReasons(ws).create({ name: 'Coaching', position: 9 });
    await until(() => a.state().pauseReasons.some((r) => r.name === 'Coaching'), 'new reason');
    assert.deepEqual(
      a.applied.filter((n) => n.startsWith('workspace') || n.startsWith('pauseReasons')),
      ['workspace.settingsChanged', 'pauseReasons.changed'],
    );
    assert.equal(
      a.rt.lastSeq - before,
      a.applied.length - appliedBefore,
      'one applied event per sequence number',
    );
    a.rt.stop();
    b.rt.stop();
  });

  test('a toolbar that reconnects resumes: nothing missed, nothing applied twice', async () => {
    const t = openToolbar(server, agent1);
    await until(() => t.rt.connectionStatus === 'open', 'open');
    const sales = (await admin.teams(ws).list()).find((x) => x.name === 'Sales');
    assert.ok(sales);
    const seqBefore = t.rt.lastSeq;
    const appliedBefore = t.applied.length;
    t.rt.stop();
    // While the toolbar is away: two changes it must learn about.
    await admin.pauseReasons(ws).create({ name: 'Meeting' });
    const me = (await admin.users(ws).list()).find((u) => u.username === 'agent1');
    assert.ok(me);
    await admin.users(ws).update(me.id, { teamIds: me.teamIds.filter((id) => id !== sales.id) });
    t.rt.start();
    await until(() => t.state().assignments.teams.length === 1, 'assignments after resume');
    await until(() => t.state().notifications.length > 0, 'notification after resume');
    assert.equal(t.snapshots(), 1, 'resumed without a new snapshot');
    // Losing a team may also change the queues the agent sees: that delta may come too.
    const resumed = t.applied.slice(appliedBefore);
    assert.deepEqual(
      resumed.filter((n) => n !== 'queues.changed' && n !== 'agent.stateChanged'),
      ['pauseReasons.changed', 'notification.created', 'assignments.changed'],
    );
    assert.equal(
      t.rt.lastSeq - seqBefore,
      resumed.length,
      'one applied event per sequence number, none missed',
    );
    assert.ok(t.state().pauseReasons.some((r) => r.name === 'Meeting'));
    assert.equal(t.state().notifications[0]?.text, 'An administrator updated your account.');
    await admin.users(ws).update(me.id, { teamIds: me.teamIds });
    t.rt.stop();
  });

  test("each event is authorised per subscriber: nobody sees another agent's notifications", async () => {
    const { agents } = await buildTeam(server, admin, { agents: 2 });
    const [a, b] = agents;
    assert.ok(a && b);
    const one = openToolbar(server, a.client);
    const two = openToolbar(server, b.client);
    try {
      await until(
        () => one.rt.connectionStatus === 'open' && two.rt.connectionStatus === 'open',
        'both open',
      );
      await admin.users(ws).update(b.user.id, { displayName: 'Benjamin Agent' });
      await until(() => two.state().me.displayName === 'Benjamin Agent', 'rename on the second');
      await until(() => two.state().notifications.length === 1, 'notification on the second');
      // The barrier: a change for the first agent, published after. Its socket delivers in order,
      // so once it is here, anything of the second's sent to it would be here too.
      await admin.users(ws).update(a.user.id, { displayName: 'Ada Agent' });
      await until(() => one.state().me.displayName === 'Ada Agent', 'rename on the first');
      await until(() => one.state().notifications.length > 0, 'notification on the first');
      assert.deepEqual(
        one.applied.filter((n) => n === 'me.updated' || n === 'notification.created').sort(),
        ['me.updated', 'notification.created'],
        'its own change only, once',
      );
      assert.equal(two.state().me.displayName, 'Benjamin Agent', 'and not the other way round');
      assert.equal(two.state().notifications.length, 1);
    } finally {
      one.rt.stop();
      two.rt.stop();
    }
  });

  test('signing out closes that session’s channel with a revocation', async () => {
    const c = await server.signIn('agent3');
    const t = openToolbar(server, c);
    let revokedWith = '';
    t.rt.subscribe({ revoked: (r) => (revokedWith = r) });
    await until(() => t.rt.connectionStatus === 'open', 'open');
    await c.logout();
    await until(() => t.rt.connectionStatus === 'revoked', 'revoked');
    assert.equal(revokedWith, 'signed_out');
  });

  test('without a session, or from another site, the upgrade is refused', async () => {
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const s = new WebSocket(wsUrl(server), { headers });
        s.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        s.on('open', () => resolve(101));
      });
    assert.equal(await status({}), 401);
    assert.equal(await status({ cookie: agent1.sessionCookie ?? '', origin: 'https://evil.example' }), 403);
  });

  test('a malformed frame gets an error frame with a stable code, and the channel stays up', async () => {
    const { socket, frames } = rawSocket(server, { cookie: agent1.sessionCookie ?? '', origin: server.url });
    await new Promise((r) => socket.on('open', r));
    socket.send('{not json');
    socket.send(JSON.stringify({ type: 'hello', extra: true }));
    socket.send(JSON.stringify({ type: 'ping', t: 5 }));
    await until(() => frames.length >= 3, 'three answers');
    assert.deepEqual(
      frames.slice(0, 3).map((f) => (f.type === 'error' ? f.code : f.type)),
      ['WS_INVALID_FRAME', 'WS_INVALID_FRAME', 'pong'],
    );
    socket.close();
  });
});

describe('realtime heartbeats', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ gateway: { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 300 } });
  });
  after(async () => server.close());

  test('the server pings, and closes a toolbar that has gone silent', async () => {
    const c = await server.signIn('agent1');
    const { socket, frames } = rawSocket(server, { cookie: c.sessionCookie ?? '', origin: server.url });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((r) => socket.on('open', r));
    socket.send(JSON.stringify({ type: 'hello' }));
    // Say nothing more: the server must ping, then give up on us.
    assert.equal(await closed, 4008);
    assert.ok(frames.some((f) => f.type === 'ping'));
    assert.ok(frames.some((f) => f.type === 'error' && f.code === 'WS_HEARTBEAT_TIMEOUT'));
  });
});
