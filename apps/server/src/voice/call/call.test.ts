import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PhoneServerFrame } from '@parley/contract';
import { MediaWorker } from '../../media/worker/media-worker-client.js';
import type { PlaySource } from '../../media/worker/rpc.js';
import { Call, type Caller, startHoldMusic } from './call.js';

const MUSIC: PlaySource = { kind: 'tone', frequencies: [440] };

/** The caller's side as the call talks to it: the states it is sent, and whether it was closed. */
class HeardCaller implements Caller {
  readonly states: string[] = [];
  closed = 0;
  send(frame: PhoneServerFrame): void {
    if (frame.type === 'state') this.states.push(frame.state);
  }
  close(): void {
    this.closed += 1;
  }
}

describe('a Call owns its legs, bridge and music, and moves only as its diagram allows', () => {
  // Two real workers: the customer's leg on one, the agent's on the other (joined by a link).
  const customerSide = new MediaWorker(0);
  const agentSide = new MediaWorker(1);
  after(async () => {
    await customerSide.stop();
    await agentSide.stop();
  });
  before(async () => {
    await customerSide.call('ping', {});
    await agentSide.call('ping', {});
  });
  const held = async (w: MediaWorker) => {
    const { endpoints, mixers } = await w.call('ping', {});
    return { endpoints, mixers };
  };

  test('queued, bridged across workers, held, resumed, ended: every leg and mixer goes, the caller is told once', async () => {
    await customerSide.call('createRtpEndpoint', { endpointId: 'cust' });
    await agentSide.call('createRtpEndpoint', { endpointId: 'agent' });
    const caller = new HeardCaller();
    const music = startHoldMusic(customerSide, 'cust', MUSIC);
    await music.started;
    const call = new Call(
      'c1',
      'w1',
      { caller, worker: customerSide, endpointId: 'cust', web: true },
      MUSIC,
      music.playbackId,
    );
    assert.equal(call.state, 'queued');
    await assert.rejects(call.hold(), /cannot go from queued to held/);

    let beeped = false;
    const bridged = await call.bridge('agent-1', { worker: agentSide, endpointId: 'agent' }, async () => {
      beeped = true;
    });
    assert.ok(bridged && beeped);
    assert.equal(call.state, 'connecting');
    assert.ok(call.connected());
    // The customer's worker holds their leg, the bridge and the link's near end; the agent's,
    // the agent's leg, the link's far end and its mixer.
    assert.deepEqual(await held(customerSide), { endpoints: 2, mixers: 1 });
    assert.deepEqual(await held(agentSide), { endpoints: 2, mixers: 1 });

    await call.hold();
    assert.equal(call.state, 'held');
    assert.ok(call.inConversation);
    await assert.rejects(call.hold(), /cannot go from held to held/);
    await call.resume();

    await call.end('the agent ended the call');
    await call.end('again');
    assert.equal(call.state, 'ended');
    assert.deepEqual(caller.states, ['connected', 'held', 'connected', 'ended']);
    assert.equal(caller.closed, 1, 'the caller is hung up once');
    assert.deepEqual(await held(customerSide), { endpoints: 0, mixers: 0 });
    // The agent's voice path is not the call's: it stays for the next call; the link's end goes.
    assert.deepEqual(await held(agentSide), { endpoints: 1, mixers: 0 });
    await agentSide.call('destroy', { id: 'agent' });
    await assert.rejects(call.resume(), /cannot go from ended to connected/);
  });

  test('a call that ends while it is being bridged says so, and is not connected', async () => {
    await customerSide.call('createRtpEndpoint', { endpointId: 'cust2' });
    await customerSide.call('createRtpEndpoint', { endpointId: 'agent2' });
    const caller = new HeardCaller();
    const music = startHoldMusic(customerSide, 'cust2', MUSIC);
    const call = new Call(
      'c2',
      'w1',
      { caller, worker: customerSide, endpointId: 'cust2', web: false },
      MUSIC,
      music.playbackId,
    );
    // The caller hangs up during the agent's beep.
    const bridged = await call.bridge('agent-2', { worker: customerSide, endpointId: 'agent2' }, () =>
      call.end('you hung up'),
    );
    assert.equal(bridged, false);
    assert.equal(call.connected(), false);
    assert.deepEqual(caller.states, ['ended']);
    assert.equal((await held(customerSide)).mixers, 0, 'no bridge is built for an ended call');
    await customerSide.call('destroy', { id: 'agent2' });
  });
});
