import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import { raw, rejection, startTestServer, type TestServer } from './helpers.js';

describe('administration API (P1, P2, A4)', () => {
  let server: TestServer;
  let admin: HttpClient;
  let ws: string;
  before(async () => {
    server = await startTestServer();
    admin = await server.signIn('admin');
    ws = server.workspaceId;
  });
  after(async () => server.close());

  test('the demo workspace holds every campaign kind, the pause reasons and wrap codes', async () => {
    const campaigns = await admin.campaigns(ws).list();
    assert.deepEqual(campaigns.map((c) => c.kind).sort(), [
      'chat',
      'email',
      'inbound_voice',
      'inbound_voice',
      'outbound_predictive',
      'outbound_preview',
    ]);
    const reasons = await admin.pauseReasons(ws).list();
    assert.deepEqual(
      reasons.map((r) => r.name),
      ['Break', 'Lunch', 'Training', 'After Call Work'],
    );
    const first = campaigns[0];
    assert.ok(first);
    const wraps = await admin.wrapCodes(ws, first.id).list();
    assert.ok(wraps.some((w) => w.completesPhoneNumber));
    const users = await admin.users(ws).list();
    assert.deepEqual(
      users.filter((u) => u.role === 'agent').map((u) => [u.username, u.agentId, u.hasPin]),
      [
        ['agent1', 1001, true],
        ['agent2', 1002, true],
        ['agent3', 1003, true],
      ],
    );
  });

  test('an administrator creates, edits and deletes a team, a campaign with wrap codes, a user', async () => {
    const team = await admin.teams(ws).create({ name: 'Night shift' });
    const profile = await admin.agentProfiles(ws).create({ name: 'Chat heavy', maxConcurrentChats: 5 });
    // The guide: up to five concurrent chats.
    const six = admin.agentProfiles(ws).create({ name: 'Six', maxConcurrentChats: 6 });
    assert.equal((await rejection(six)).code, 'VALIDATION_FAILED');
    const defaults = await admin.agentProfiles(ws).create({ name: 'Defaults' });
    assert.equal(defaults.maxConcurrentChats, 5);
    const campaign = await admin.campaigns(ws).create({
      name: 'Night line',
      kind: 'inbound_voice',
      script: 'Good evening',
      teamIds: [team.id],
    });
    assert.deepEqual(campaign.teamIds, [team.id]);
    const wrap = await admin.wrapCodes(ws, campaign.id).create({ name: 'Sale', completesLead: true });
    assert.equal(wrap.completesLead, true);
    assert.equal(wrap.schedulesCallback, false);
    const user = await admin.users(ws).create({
      username: 'agent9',
      displayName: 'Nia Night',
      role: 'agent',
      password: 'a-long-password-9',
      agentId: 1009,
      pin: '4321',
      agentProfileId: profile.id,
      teamIds: [team.id],
    });
    assert.equal(user.hasPin, true);
    assert.deepEqual((await admin.teams(ws).get(team.id)).memberIds, [user.id]);
    const stored = await server.database.db
      .selectFrom('users')
      .select(['password_hash', 'pin_hash'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.match(stored.password_hash, /^\$argon2id\$/);
    assert.match(stored.pin_hash ?? '', /^\$argon2id\$/);
    const nia = await server.signIn('agent9', 'a-long-password-9');
    assert.equal((await nia.session()).user.agentId, 1009);

    const reassigned = await admin.campaigns(ws).update(campaign.id, { teamIds: [] });
    assert.deepEqual(reassigned.teamIds, [], 'a PATCH of the teams alone');
    assert.equal(reassigned.script, 'Good evening');
    const renamed = await admin
      .campaigns(ws)
      .update(campaign.id, { script: 'Good night', teamIds: [team.id] });
    assert.equal(renamed.script, 'Good night');
    assert.deepEqual(renamed.teamIds, [team.id]);
    await admin.wrapCodes(ws, campaign.id).remove(wrap.id);
    await admin.users(ws).remove(user.id);
    await admin.campaigns(ws).remove(campaign.id);
    assert.equal((await rejection(admin.campaigns(ws).get(campaign.id))).code, 'NOT_FOUND');
  });

  test('duplicates, reserved names and profiles still in use are refused and nothing changes', async () => {
    assert.equal((await rejection(admin.teams(ws).create({ name: 'Sales' }))).code, 'CONFLICT');
    assert.equal((await rejection(admin.pauseReasons(ws).create({ name: 'auto pause' }))).code, 'CONFLICT');
    const taken = await rejection(
      admin
        .users(ws)
        .create({ username: 'AGENT1', displayName: 'X', role: 'agent', password: 'another-password' }),
    );
    assert.equal(taken.code, 'CONFLICT');
    const profile = (await admin.agentProfiles(ws).list()).find((p) => p.name === 'Standard agent');
    assert.ok(profile);
    assert.equal((await rejection(admin.agentProfiles(ws).remove(profile.id))).code, 'IN_USE');
    assert.equal((await admin.agentProfiles(ws).get(profile.id)).name, profile.name);
  });

  test('malformed JSON, unknown fields, wrong types and oversized bodies get 400 with a code', async () => {
    const c = admin;
    const headers = {
      cookie: c.sessionCookie ?? '',
      'x-csrf-token': c.csrf ?? '',
      'content-type': 'application/json',
    };
    const url = `${server.url}/api/workspaces/${ws}/teams`;
    const cases: [string, string][] = [
      ['{"name": ', 'INVALID_JSON'],
      ['{"name": "Ops", "colour": "red"}', 'VALIDATION_FAILED'],
      ['{"name": 42}', 'VALIDATION_FAILED'],
      ['{"name": "   "}', 'VALIDATION_FAILED'],
      [JSON.stringify({ name: 'x'.repeat(300_000) }), 'BODY_TOO_LARGE'],
    ];
    for (const [body, code] of cases) {
      const res = await raw(url, { method: 'POST', headers, body });
      assert.equal(res.status, 400, body.slice(0, 40));
      assert.equal(res.body.error?.code, code, body.slice(0, 40));
    }
    const unknownField = await raw(url, {
      method: 'POST',
      headers,
      body: '{"name": "Ops", "colour": "red"}',
    });
    assert.deepEqual(unknownField.body.error, {
      code: 'VALIDATION_FAILED',
      message: 'The request is not valid',
      details: [{ path: 'body/colour', message: 'unknown field' }],
    });
    const text = await raw(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body: 'x',
    });
    assert.equal(text.body.error?.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(
      (await admin.teams(ws).list()).some((t) => t.name === 'Ops'),
      false,
    );
  });

  test('an agent or a manager cannot administer: 403 FORBIDDEN_ROLE', async () => {
    const agent = await server.signIn('agent1');
    assert.equal((await rejection(agent.users(ws).list())).code, 'FORBIDDEN_ROLE');
    assert.equal((await rejection(agent.teams(ws).create({ name: 'Mine' }))).code, 'FORBIDDEN_ROLE');
    const manager = await server.signIn('manager');
    assert.ok((await manager.users(ws).list()).length >= 5);
    const err = await rejection(manager.settings(ws).update({ agentRingTimeoutSeconds: 30 }));
    assert.equal(err.code, 'FORBIDDEN_ROLE');
    assert.equal(err.status, 403);
    // Everyone signed in may read the pause reasons their status control offers.
    assert.equal((await agent.pauseReasons(ws).list()).length, 4);
  });

  test("another workspace's data is out of reach: 403 FORBIDDEN_WORKSPACE", async () => {
    const other = await server.database.db
      .insertInto('workspaces')
      .values({ slug: 'other', name: 'Other Co' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const team = await server.database.db
      .insertInto('teams')
      .values({ workspace_id: other.id, name: 'Theirs' })
      .returning('id')
      .executeTakeFirstOrThrow();
    assert.equal((await rejection(admin.teams(other.id).list())).code, 'FORBIDDEN_WORKSPACE');
    assert.equal((await rejection(admin.teams(other.id).remove(team.id))).code, 'FORBIDDEN_WORKSPACE');
    // Their team's id used inside our workspace is simply not found, and cannot be referenced.
    assert.equal((await rejection(admin.teams(ws).get(team.id))).code, 'NOT_FOUND');
    const ref = await rejection(
      admin.campaigns(ws).create({ name: 'Sneaky', kind: 'chat', teamIds: [team.id] }),
    );
    assert.equal(ref.code, 'VALIDATION_FAILED');
  });

  test('workspace settings: Agent Ring Timeout, MFA policy, recording controls, Agent Assist', async () => {
    const updated = await admin.settings(ws).update({
      agentRingTimeoutSeconds: 25,
      mfaPolicy: 'totp',
      recordingControlsVisible: false,
      agentAssistEnabled: true,
    });
    assert.equal(updated.agentRingTimeoutSeconds, 25);
    assert.equal((await admin.settings(ws).get()).mfaPolicy, 'totp');
    const bad = await rejection(admin.settings(ws).update({ agentRingTimeoutSeconds: 1 }));
    assert.equal(bad.code, 'VALIDATION_FAILED');
    assert.equal((await admin.settings(ws).get()).agentRingTimeoutSeconds, 25);
  });

  test('a disabled user is signed out everywhere and cannot sign in', async () => {
    const agent2 = await server.signIn('agent2');
    const [user] = (await admin.users(ws).list()).filter((u) => u.username === 'agent2');
    assert.ok(user);
    await admin.users(ws).update(user.id, { disabled: true });
    assert.equal((await rejection(agent2.session())).code, 'UNAUTHENTICATED');
    assert.equal((await rejection(server.signIn('agent2'))).code, 'LOGIN_FAILED');
    await admin.users(ws).update(user.id, { disabled: false });
    await server.signIn('agent2');
  });

  test('the OpenAPI document describes the routes from their schemas', async () => {
    const doc = await raw(`${server.url}/api/openapi.json`);
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    assert.ok(paths['/api/auth/login']?.post);
    assert.ok(paths['/api/workspaces/{workspaceId}/users/{id}']?.patch);
    assert.ok(paths['/api/workspaces/{workspaceId}/campaigns/{campaignId}/wrap-codes']?.post);
    assert.equal(paths['/api/realtime'], undefined);
  });

  test('an unknown API route is 404 ROUTE_NOT_FOUND', async () => {
    const res = await raw(`${server.url}/api/nothing-here`);
    assert.equal(res.status, 404);
    assert.equal(res.body.error?.code, 'ROUTE_NOT_FOUND');
  });
});
