import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import type { InteractionDetail, PhoneServerFrame, ServerFrame } from '@parley/contract';
import { WebSocket } from 'ws';
import { addCareQueueNumber, startTestServer, type TestServer } from './helpers.js';
import { until } from './toolbar.js';
import { WebPeer } from './web-peer.js';

/** A number that takes web calls straight into the Customer Care queue (no menu). */
const QUEUE_NUMBER = '+61290001112';

describe('a call whose recording cannot be written goes on unrecorded, and its record says so', () => {
  let server: TestServer;
  let admin: HttpClient;
  let agent: HttpClient;
  let agentPeer: WebPeer;
  let toolbar: WebSocket;
  let recordings: string;

  before(async () => {
    server = await startTestServer({ media: true });
    recordings = path.join(server.store.dataDir, 'recordings', server.workspaceId);
    admin = await server.signIn('admin');
    agent = await server.signIn('agent1');
    await addCareQueueNumber(server, QUEUE_NUMBER);
    // The agent's Web Connect tab: a persistent voice path that talks (a 500 Hz tone).
    agentPeer = new WebPeer(500);
    const frames: ServerFrame[] = [];
    toolbar = new WebSocket(`${server.url.replace('http', 'ws')}/api/realtime`, {
      headers: { cookie: agent.sessionCookie ?? '', origin: server.url },
    });
    toolbar.on('message', (d) => frames.push(JSON.parse(String(d)) as ServerFrame));
    await new Promise((r) => toolbar.once('open', r));
    toolbar.send(JSON.stringify({ type: 'hello' }));
    toolbar.send(
      JSON.stringify({
        type: 'voice.offer',
        requestId: 'tab',
        sdp: await agentPeer.offer(),
        persistent: true,
      }),
    );
    await until(() => frames.some((f) => f.type === 'voice.answer'), 'the tab answered', 10_000);
    const answer = frames.find((f) => f.type === 'voice.answer');
    assert.ok(answer?.type === 'voice.answer');
    await agentPeer.answer(answer.sdp);
    await until(() => frames.some((f) => f.type === 'snapshot'), 'the toolbar snapshot');
  });
  after(async () => {
    toolbar?.close();
    await agentPeer?.close();
    await server?.close();
  });

  /** A customer on the web phone calls the queue; the agent takes it. */
  async function call(beforeAnswering?: (entryId: string) => void) {
    const customer = new WebPeer(900);
    const phone = new WebSocket(`${server.url.replace('http', 'ws')}/api/public/phone`);
    const frames: PhoneServerFrame[] = [];
    phone.on('message', (d) => frames.push(JSON.parse(String(d)) as PhoneServerFrame));
    await new Promise((r) => phone.once('open', r));
    phone.send(JSON.stringify({ type: 'call', number: QUEUE_NUMBER, sdp: await customer.offer() }));
    await until(() => frames.some((f) => f.type === 'answer'), 'the call answered', 10_000);
    const answer = frames.find((f) => f.type === 'answer');
    assert.ok(answer?.type === 'answer');
    await customer.answer(answer.sdp);
    await until(() => frames.some((f) => f.type === 'state' && f.state === 'queued'), 'queued');
    const entry = (await admin.interactions(server.workspaceId, { state: 'waiting' })).find(
      (i) => i.platformPhone === QUEUE_NUMBER,
    );
    assert.ok(entry, 'the call is in the queue');
    beforeAnswering?.(entry.id);
    await agent.setStatus({ kind: 'available' });
    const state = (s: string) => frames.some((f) => f.type === 'state' && f.state === s);
    return { id: entry.id, customer, phone, frames, state };
  }

  /** Both hear each other: each peer gets a second of sound from the other after the bridge. */
  async function bothTalking(customer: WebPeer) {
    const [c, a] = [customer.heard, agentPeer.heard];
    await until(() => customer.heard > c + 50 && agentPeer.heard > a + 50, 'both sides heard', 10_000);
  }

  async function record(id: string, until: (r: InteractionDetail) => boolean) {
    let r = await admin.interaction(server.workspaceId, id);
    for (let i = 0; i < 200 && !until(r); i++) {
      await new Promise((res) => setTimeout(res, 25));
      r = await admin.interaction(server.workspaceId, id);
    }
    return r;
  }

  async function hangUpAndWrap(id: string) {
    await agent.endInteraction(id);
    const care = (await admin.interaction(server.workspaceId, id)).campaignId;
    const [code] = await admin.wrapCodes(server.workspaceId, care).list();
    assert.ok(code);
    await agent.wrapInteraction(id, { wrapCodeId: code.id });
    const done = await record(
      id,
      (r) => r.state === 'done' && r.timeline.some((t) => t.kind === 'interaction.wrapped'),
    );
    assert.equal(done.state, 'done');
    assert.equal(done.endedBy, 'agent');
    assert.equal(done.outcome, code.name);
    // A break, so the next call waits in the queue until the agent is available again.
    const [pause] = await admin.pauseReasons(server.workspaceId).list();
    assert.ok(pause);
    await agent.setStatus({ kind: 'paused', reasonId: pause.id });
  }

  test('the recordings folder cannot be made: the customer and agent talk, unrecorded, and the timeline says why', async () => {
    // A file where the workspace's recordings folder should be: mkdir fails as on a full disk.
    mkdirSync(path.dirname(recordings), { recursive: true });
    writeFileSync(recordings, 'not a folder');
    const c = await call();
    try {
      await until(() => c.state('connected'), 'the customer connected', 10_000);
      await bothTalking(c.customer);
      const r = await record(c.id, (x) => x.timeline.some((t) => t.kind === 'call.recordingFailed'));
      assert.equal(r.state, 'busy', 'the agent is still on the call');
      const failed = r.timeline.find((t) => t.kind === 'call.recordingFailed');
      assert.ok(failed, 'the timeline shows the failed recording');
      assert.match(String(failed.detail?.reason), /ENOTDIR|EEXIST/);
      assert.deepEqual(r.recordingList, [], 'no recording is offered that does not exist');
      assert.ok(!c.state('ended'));
      await hangUpAndWrap(c.id);
      await until(() => c.state('ended'), 'the customer hears the call end');
    } finally {
      c.phone.close();
      await c.customer.close();
      rmSync(recordings, { force: true });
    }
  });

  test('the disk fills during the call: the recording stops there, the call goes on', async () => {
    mkdirSync(recordings, { recursive: true });
    // The call's file is /dev/full, which takes no byte: every write fails with ENOSPC.
    const c = await call((id) => symlinkSync('/dev/full', path.join(recordings, `${id}.wav`)));
    try {
      await until(() => c.state('connected'), 'the customer connected', 10_000);
      const r = await record(c.id, (x) => x.timeline.some((t) => t.kind === 'call.recordingFailed'));
      const kinds = r.timeline.map((t) => t.kind);
      assert.ok(kinds.includes('call.recordingFailed'), 'the timeline shows the recording broke off');
      assert.ok(kinds.indexOf('call.recordingStarted') < kinds.indexOf('call.recordingFailed'));
      assert.match(
        String(r.timeline.find((t) => t.kind === 'call.recordingFailed')?.detail?.reason),
        /ENOSPC/,
      );
      await bothTalking(c.customer);
      assert.equal((await admin.interaction(server.workspaceId, c.id)).state, 'busy');
      await hangUpAndWrap(c.id);
      await until(() => c.state('ended'), 'the customer hears the call end');
    } finally {
      c.phone.close();
      await c.customer.close();
    }
  });
});
