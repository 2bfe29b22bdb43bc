import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError, type HttpClient } from '@parley/client';
import { startTestServer, type TestServer } from './helpers.js';
import { buildTeam, openToolbar, until } from './toolbar.js';

const failsWith = (code: string, status: number) => (e: unknown) =>
  e instanceof ApiError && e.code === code && e.status === status;

describe('the Outcome chosen during the interaction (issue #13)', () => {
  let server: TestServer;
  let admin: HttpClient;
  let manager: HttpClient;
  let ws: string;

  before(async () => {
    server = await startTestServer();
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    manager = await server.signIn('manager');
  });
  after(async () => server.close());

  test('the agent chooses it while talking, it is kept, and a wrap without a code uses it', async () => {
    const { campaign, wrapCode, agents } = await buildTeam(server, admin, { agents: 2 });
    const [me, other] = agents;
    assert.ok(me && other);
    const callback = await admin.wrapCodes(ws, campaign.id).create({ name: 'Call back' });
    const elsewhere = await buildTeam(server, admin, { agents: 0 });
    const entry = await admin.enqueueContact(ws, { campaignId: campaign.id, label: 'Chat with Lee' });
    const toolbar = openToolbar(server, me.client);
    try {
      await until(() => toolbar.rt.state?.agent.status.kind === 'paused', 'toolbar connected');
      await me.client.setStatus({ kind: 'available' });
      await until(() => toolbar.state().agent.interactions.some((x) => x.id === entry.id), 'offered');
      await assert.rejects(
        me.client.chooseInteractionOutcome(entry.id, { wrapCodeId: wrapCode.id }),
        failsWith('INTERACTION_STATE', 409),
        'not while it is only offered',
      );
      await me.client.acceptInteraction(entry.id);
      assert.equal((await me.client.interactionPanel(entry.id)).wrapCodeId, null, 'none chosen yet');

      await me.client.chooseInteractionOutcome(entry.id, { wrapCodeId: wrapCode.id });
      assert.equal((await me.client.interactionPanel(entry.id)).wrapCodeId, wrapCode.id);
      // Chosen again: the last choice is the one kept.
      await me.client.chooseInteractionOutcome(entry.id, { wrapCodeId: callback.id });
      assert.equal((await me.client.interactionPanel(entry.id)).wrapCodeId, callback.id);

      await assert.rejects(
        me.client.chooseInteractionOutcome(entry.id, { wrapCodeId: elsewhere.wrapCode.id }),
        failsWith('VALIDATION_FAILED', 400),
        'another campaign’s wrap code',
      );
      await assert.rejects(
        other.client.chooseInteractionOutcome(entry.id, { wrapCodeId: wrapCode.id }),
        failsWith('NOT_FOUND', 404),
        'another agent',
      );
      await assert.rejects(
        manager.chooseInteractionOutcome(entry.id, { wrapCodeId: wrapCode.id }),
        failsWith('FORBIDDEN_ROLE', 403),
        'a manager who can see it but is not handling it',
      );
      assert.equal(
        (await me.client.interactionPanel(entry.id)).wrapCodeId,
        callback.id,
        'refused choices change nothing',
      );

      await me.client.endInteraction(entry.id);
      assert.equal((await me.client.interactionPanel(entry.id)).wrapCodeId, callback.id, 'kept into wrap-up');
      await me.client.wrapInteraction(entry.id);
      await assert.rejects(
        me.client.chooseInteractionOutcome(entry.id, { wrapCodeId: wrapCode.id }),
        failsWith('INTERACTION_STATE', 409),
        'not once wrapped',
      );
    } finally {
      toolbar.rt.stop();
    }
    const record = await admin.interaction(ws, entry.id);
    assert.equal(record.state, 'done');
    assert.equal(record.outcome, callback.name, 'wrapped with the Outcome chosen beforehand');
  });

  test('a cleared choice is no outcome: wrapping asks for one, and a code in the wrap wins', async () => {
    const { campaign, wrapCode, agents } = await buildTeam(server, admin);
    const [me] = agents;
    assert.ok(me);
    const callback = await admin.wrapCodes(ws, campaign.id).create({ name: 'Call back' });
    const entry = await admin.enqueueContact(ws, { campaignId: campaign.id, label: 'Chat with Sam' });
    const toolbar = openToolbar(server, me.client);
    try {
      await until(() => toolbar.rt.state?.agent.status.kind === 'paused', 'toolbar connected');
      await me.client.setStatus({ kind: 'available' });
      await until(() => toolbar.state().agent.interactions.some((x) => x.id === entry.id), 'offered');
      await me.client.acceptInteraction(entry.id);
      await me.client.endInteraction(entry.id);
      await me.client.chooseInteractionOutcome(entry.id, { wrapCodeId: wrapCode.id });
      await me.client.chooseInteractionOutcome(entry.id, { wrapCodeId: null });
      assert.equal((await me.client.interactionPanel(entry.id)).wrapCodeId, null);
      await assert.rejects(me.client.wrapInteraction(entry.id), failsWith('OUTCOME_REQUIRED', 400));

      await me.client.chooseInteractionOutcome(entry.id, { wrapCodeId: wrapCode.id });
      await me.client.wrapInteraction(entry.id, { wrapCodeId: callback.id });
    } finally {
      toolbar.rt.stop();
    }
    assert.equal((await admin.interaction(ws, entry.id)).outcome, callback.name);
  });
});
