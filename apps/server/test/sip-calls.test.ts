import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError, type HttpClient } from '@parley/client';
import type { InteractionSummary } from '@parley/contract';
import { sipp } from '../src/sip/uas/sipp-runner.js';
import { startTestServer, type TestServer } from './helpers.js';

describe('SIP callers to inbound numbers: straight to a queue, or through an IVR menu (P4, D1, D2)', () => {
  let server: TestServer;
  let admin: HttpClient;
  let manager: HttpClient;
  let ws: string;
  let port: number;

  /** What the records hold now: a call is new if it is not among these. */
  async function known(): Promise<Set<string>> {
    return new Set((await manager.interactions(ws)).map((i) => i.id));
  }

  /** The one interaction made since `before`, once it is in `state`. */
  async function newCall(
    before: Set<string>,
    state: InteractionSummary['state'],
  ): Promise<InteractionSummary> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const made = (await manager.interactions(ws)).filter((i) => !before.has(i.id));
      assert.ok(made.length <= 1, `one new interaction, not ${made.length}`);
      if (made[0]?.state === state) return made[0];
      if (Date.now() > deadline) throw new Error(`no new interaction reached ${state}`);
      await new Promise((res) => setTimeout(res, 25));
    }
  }

  before(async () => {
    server = await startTestServer({ media: true });
    ws = server.workspaceId;
    admin = await server.signIn('admin');
    manager = await server.signIn('manager');
    port = server.app.sipPort ?? 0;
    assert.ok(port, 'the SIP port is open');
    const care = (await admin.campaigns(ws).list()).find((c) => c.name === 'Customer Care');
    assert.ok(care);
    await admin.numbers(ws).create({ number: '+61290002000', name: 'Care direct', campaignId: care.id });
    const menu = (await admin.workflows(ws).list()).find((w) => w.name === 'ACME main menu');
    assert.ok(menu, 'the demo workspace has its menu');
    await admin.numbers(ws).create({
      number: '+61290004000',
      name: 'Care menu',
      campaignId: care.id,
      workflowId: menu.id,
    });
  });
  after(async () => server.close());

  test('a caller who hangs up in the queue is recorded as abandoned, with their number and the line', async () => {
    const before = await known();
    const r = await sipp('uac-queue-hangup.xml', port, 'u1', 1, '+61290002000');
    assert.equal(r.status, 0, r.output.slice(-3000));
    const call = await newCall(before, 'abandoned');
    assert.equal(call.endedBy, 'customer');
    assert.equal(call.kind, 'voice');
    assert.equal(call.campaignName, 'Customer Care');
    assert.equal(call.customerPhone, '+61400111222');
    assert.equal(call.platformPhone, '+61290002000');
    assert.equal(call.channelName, 'Care direct');
    assert.equal(call.ivrData, null);
    const record = await manager.interaction(ws, call.id);
    assert.deepEqual(
      record.timeline.map((t) => t.kind),
      ['interaction.queued', 'interaction.abandoned'],
    );
  });

  test('the demo menu: 1 by RFC 4733 DTMF puts the caller in the Sales queue with "Sales" as IVR Data', async () => {
    const before = await known();
    const r = await sipp('uac-menu-choice.xml', port, 'u1', 1, '+61290004000');
    assert.equal(r.status, 0, r.output.slice(-3000));
    const call = await newCall(before, 'abandoned');
    assert.equal(call.campaignName, 'Sales Enquiries');
    assert.equal(call.ivrData, 'Sales');
    assert.equal(call.channelName, 'Care menu');
  });

  test('a re-INVITE in the dialog (the caller holds) is answered 200 with recvonly from the same dialog', async () => {
    const before = await known();
    const r = await sipp('uac-reinvite-hold.xml', port, 'u1', 1, '+61290002000');
    assert.equal(r.status, 0, r.output.slice(-3000));
    assert.equal((await newCall(before, 'abandoned')).platformPhone, '+61290002000');
  });

  test('a number the platform does not have gets 404, and nothing is queued', async () => {
    const before = await known();
    const r = await sipp('uac-invite-expect-404-ack.xml', port, 'u1', 1, '+61299999999');
    assert.equal(r.status, 0, `SIPp expected 404 and nothing else:\n${r.output.slice(-3000)}`);
    // The barrier: a call to a number it has, after; once that one is recorded, the first would be too.
    const queued = await sipp('uac-queue-hangup.xml', port, 'u1', 1, '+61290002000');
    assert.equal(queued.status, 0, queued.output.slice(-3000));
    const call = await newCall(before, 'abandoned');
    assert.equal(call.platformPhone, '+61290002000', 'only the call to a number it has was queued');
  });

  test('workflows are checked on save: dangling nodes and loops without input are refused with their paths', async () => {
    const care = (await admin.campaigns(ws).list()).find((c) => c.name === 'Customer Care');
    assert.ok(care);
    await assert.rejects(
      admin.workflows(ws).create({
        name: 'Broken',
        definition: {
          start: 'a',
          nodes: { a: { type: 'play', prompt: 'welcome-menu', next: 'b' }, c: { type: 'hangup' } },
        },
      }),
      (e: unknown) =>
        e instanceof ApiError &&
        e.code === 'VALIDATION_FAILED' &&
        JSON.stringify(e.body).includes('/definition/nodes/a/next'),
    );
    await assert.rejects(
      admin.workflows(ws).create({
        name: 'Spin',
        definition: {
          start: 'a',
          nodes: {
            a: { type: 'setData', value: 'x', next: 'b' },
            b: { type: 'play', prompt: 'please-hold', next: 'a' },
          },
        },
      }),
      (e: unknown) => e instanceof ApiError && JSON.stringify(e.body).includes('loops without input'),
    );
    const ok = await admin.workflows(ws).create({
      name: 'Straight through',
      definition: {
        start: 'hold',
        nodes: {
          hold: { type: 'play', prompt: 'please-hold', next: 'q' },
          q: { type: 'queue', campaignId: care.id },
        },
      },
    });
    const n = await admin.numbers(ws).create({
      number: '+61290003000',
      name: 'Straight',
      campaignId: care.id,
      workflowId: ok.id,
    });
    assert.equal(n.workflowId, ok.id);
    await assert.rejects(admin.workflows(ws).remove(ok.id), { code: 'IN_USE' });
    await assert.rejects(manager.workflows(ws).create({ name: 'x', definition: ok.definition }), {
      code: 'FORBIDDEN_ROLE',
    });
  });
});
