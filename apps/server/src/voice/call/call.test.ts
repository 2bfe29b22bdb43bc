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

  /** A caller on a new leg `cust`, queued with music as the queue makes them. */
  async function queued(id: string, cust: string, web: boolean) {
    await customerSide.call('createRtpEndpoint', { endpointId: cust });
    const caller = new HeardCaller();
    const music = startHoldMusic(customerSide, cust, MUSIC);
    await music.started;
    const call = new Call(
      id,
      'w1',
      { caller, worker: customerSide, endpointId: cust, web },
      MUSIC,
      music.playbackId,
    );
    return { call, caller };
  }

  /** The agent (user "a", their leg already made on `worker`) takes the call: connected. */
  async function connected(call: Call, worker: MediaWorker, endpointId: string) {
    await call.bridge(
      { id: `e-${call.id}`, label: '', userId: 'a', entryId: `e-${call.id}` },
      { worker, endpointId },
    );
    call.connected();
  }

  test('queued, bridged across workers, held, resumed, ended: every leg and mixer goes, the caller is told once', async () => {
    await agentSide.call('createRtpEndpoint', { endpointId: 'agent' });
    const { call, caller } = await queued('c1', 'cust', true);
    assert.equal(call.state, 'queued');
    await assert.rejects(call.hold(), /cannot go from queued to held/);

    let beeped = false;
    const bridged = await call.bridge(
      { id: 'c1', label: '', userId: 'agent-1', entryId: 'c1' },
      { worker: agentSide, endpointId: 'agent' },
      async () => {
        beeped = true;
      },
    );
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
    await customerSide.call('createRtpEndpoint', { endpointId: 'agent2' });
    const { call, caller } = await queued('c2', 'cust2', false);
    // The caller hangs up during the agent's beep.
    const bridged = await call.bridge(
      { id: 'c2', label: '', userId: 'agent-2', entryId: 'c2' },
      { worker: customerSide, endpointId: 'agent2' },
      () => call.end('you hung up'),
    );
    assert.equal(bridged, false);
    assert.equal(call.connected(), false);
    assert.deepEqual(caller.states, ['ended']);
    assert.equal((await held(customerSide)).mixers, 0, 'no bridge is built for an ended call');
    await customerSide.call('destroy', { id: 'agent2' });
  });

  test('parties: a consult across workers, a dialled party, merge, leave; each leaves nothing behind', async () => {
    await customerSide.call('createRtpEndpoint', { endpointId: 'agent3' });
    await agentSide.call('createRtpEndpoint', { endpointId: 'agentB' });
    await customerSide.call('createRtpEndpoint', { endpointId: 'phone' });
    const { call, caller } = await queued('c3', 'cust3', false);
    await connected(call, customerSide, 'agent3');
    const mixers = async () => (await held(customerSide)).mixers + (await held(agentSide)).mixers;

    // Agent B is on the other worker: a link joins them for the consult, and goes when B leaves.
    await call.consult({
      id: 'e-b',
      role: 'consulted',
      label: 'Agent B',
      userId: 'b',
      entryId: 'e-b',
      media: { worker: agentSide, endpointId: 'agentB' },
    });
    assert.equal(call.state, 'consulting');
    assert.equal(call.line, 'consulted');
    assert.deepEqual(caller.states.slice(-1), ['held']);
    assert.equal(await mixers(), 2, 'the bridge and the link’s far mixer');
    await call.switchLine('customer');
    assert.deepEqual(caller.states.slice(-1), ['connected']);
    await call.merge();
    assert.equal(call.state, 'conference');
    assert.deepEqual(call.agentParties(), [
      { userId: 'a', entryId: 'e-c3' },
      { userId: 'b', entryId: 'e-b' },
    ]);
    // A leaves the conference: B has the call; the link stays, A's leg is A's own.
    assert.equal(await call.leave('e-c3', 'the agent left'), false);
    assert.equal(call.state, 'connected');
    assert.equal(call.owner?.userId, 'b');
    assert.equal(call.agentId, 'b');

    // B consults a phone the call dialled: the call owns that leg and hangs it up when it goes.
    let hungUp = 0;
    await call.consult({
      id: 'phone',
      role: 'consulted',
      label: '+61 2 9000 0000',
      media: { worker: customerSide, endpointId: 'phone' },
      hangUp: async () => {
        hungUp += 1;
      },
    });
    assert.ok(call.hasLeg('phone'));
    // The customer hangs up during the consult: B and the phone talk on.
    assert.equal(await call.customerLeft('you hung up'), false);
    assert.equal(call.customer, undefined);
    assert.equal(caller.closed, 1);
    assert.equal(call.line, 'consulted');
    // The phone hangs up: B alone, so the call ends, and everything goes.
    assert.equal(await call.leave('phone', 'the other party hung up'), true);
    assert.equal(call.state, 'ended');
    assert.equal(hungUp, 1, 'the dialled leg is hung up once');
    assert.deepEqual(await held(customerSide), { endpoints: 1, mixers: 0 }, 'only agent A’s own leg');
    assert.deepEqual(await held(agentSide), { endpoints: 1, mixers: 0 }, 'only agent B’s own leg');
    await customerSide.call('destroy', { id: 'agent3' });
    await agentSide.call('destroy', { id: 'agentB' });
  });

  test('a transfer into a workflow releases the customer’s leg and ends the rest', async () => {
    await agentSide.call('createRtpEndpoint', { endpointId: 'agent4' });
    const { call, caller } = await queued('c4', 'cust4', true);
    await connected(call, agentSide, 'agent4');
    const leg = await call.release();
    assert.equal(leg.endpointId, 'cust4');
    assert.equal(call.state, 'ended');
    assert.equal(caller.closed, 0, 'the caller is not hung up');
    assert.deepEqual(
      await held(customerSide),
      { endpoints: 1, mixers: 0 },
      'the customer’s leg, nothing else',
    );
    assert.deepEqual(await held(agentSide), { endpoints: 1, mixers: 0 });
    await customerSide.call('destroy', { id: 'cust4' });
    await agentSide.call('destroy', { id: 'agent4' });
  });
});
