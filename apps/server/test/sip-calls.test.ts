import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HttpClient } from '@parley/client';
import { sipp } from '../src/sip/uas/sipp-runner.js';
import { startTestServer, type TestServer } from './helpers.js';

describe('SIP callers to an inbound number join its queue (P4, D2)', () => {
  let server: TestServer;
  let manager: HttpClient;

  before(async () => {
    server = await startTestServer({ media: true });
    manager = await server.signIn('manager');
  });
  after(async () => server.close());

  test('a caller who hangs up in the queue is recorded as abandoned, with their number and the line', async () => {
    const port = server.app.sipPort;
    assert.ok(port, 'the SIP port is open');
    const r = await sipp('uac-queue-hangup.xml', port, 'u1', 1, '+61290001000');
    assert.equal(r.status, 0, r.output.slice(-3000));
    let calls = await manager.interactions(server.workspaceId);
    for (let i = 0; i < 100 && calls[0]?.state !== 'abandoned'; i++) {
      await new Promise((res) => setTimeout(res, 20));
      calls = await manager.interactions(server.workspaceId);
    }
    const [call] = calls;
    assert.ok(call);
    assert.equal(call.state, 'abandoned');
    assert.equal(call.endedBy, 'customer');
    assert.equal(call.kind, 'voice');
    assert.equal(call.campaignName, 'Customer Care');
    assert.equal(call.customerPhone, '+61400111222');
    assert.equal(call.platformPhone, '+61290001000');
    assert.equal(call.channelName, 'Customer Care');
    const record = await manager.interaction(server.workspaceId, call.id);
    assert.deepEqual(
      record.timeline.map((t) => t.kind),
      ['interaction.queued', 'interaction.abandoned'],
    );
  });

  test('a number the platform does not have gets 404, and nothing is queued', async () => {
    const port = server.app.sipPort ?? 0;
    const before = (await manager.interactions(server.workspaceId)).length;
    const r = await sipp('uac-queue-hangup.xml', port, 'u1', 1, '+61299999999');
    assert.notEqual(r.status, 0, 'SIPp expected a 200 and got something else');
    assert.match(r.output, /404|Unexpected/);
    assert.equal((await manager.interactions(server.workspaceId)).length, before);
  });
});
