import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../clock.js';
import { MediaPool } from '../../media/worker/media-pool.js';
import { SipTransport } from '../transport/sip-transport.js';
import { InboundCalls } from './inbound-calls.js';
import { basicHandler, SipServer } from './sip-server.js';
import { sipp } from './sipp-runner.js';

describe('inbound calls answered with media, driven by SIPp', () => {
  const transport = new SipTransport('127.0.0.1');
  const pool = new MediaPool(1);
  let calls: InboundCalls;
  let port = 0;

  before(async () => {
    port = await transport.listen(0);
    calls = new InboundCalls(transport, pool, systemClock);
    new SipServer(transport, systemClock, calls.handler(basicHandler), (ack) => calls.ack(ack));
  });
  after(async () => {
    await transport.close();
    await pool.stop();
  });

  test('INVITE with PCMA: 200 with an SDP answer in PCMA + telephone-event, ACK, audio, BYE; nothing left behind', async () => {
    const r = await sipp('uac-invite-pcma-bye.xml', port, 'u1', 3);
    assert.equal(r.status, 0, r.output.slice(-3000));
    assert.equal(calls.active, 0, 'every dialog ended with its BYE');
    assert.equal((await pool.pick().call('ping', {})).endpoints, 0, 'every media leg was destroyed');
  });
});
