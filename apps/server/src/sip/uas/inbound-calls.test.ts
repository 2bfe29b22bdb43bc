import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import { type Clock, ManualClock, systemClock } from '../../clock.js';
import { MediaPool } from '../../media/worker/media-pool.js';
import { infoDigit } from '../dialog/dialogs.js';
import { parseSipMessage } from '../message/parse.js';
import type { SipRequest } from '../message/sip-message.js';
import { SipTransport } from '../transport/sip-transport.js';
import { InboundCalls } from './inbound-calls.js';
import { basicHandler, SipServer } from './sip-server.js';
import { sipp } from './sipp-runner.js';

/** Polls until check() holds, with a generous deadline. */
async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

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

describe('CANCEL of an INVITE still being set up', () => {
  const transport = new SipTransport('127.0.0.1');
  const pool = new MediaPool(1);
  // Every test here sends from this transport: it listens before any of them, so each runs alone.
  before(async () => {
    await transport.listen(0);
  });
  after(async () => {
    await transport.close();
    await pool.stop();
  });

  const message = (method: string, branch: string, cseq: string) =>
    parseSipMessage(
      [
        `${method} sip:+61290001000@127.0.0.1 SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:5999;branch=${branch}`,
        'From: <sip:caller@127.0.0.1>;tag=c1',
        'To: <sip:+61290001000@127.0.0.1>',
        'Call-ID: cancel-test-1',
        `CSeq: ${cseq}`,
        'Max-Forwards: 70',
        ...(method === 'INVITE'
          ? [
              'Content-Type: application/sdp',
              '',
              'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
            ]
          : ['Content-Length: 0', '', '']),
      ].join('\r\n'),
    ) as SipRequest;

  test('the CANCEL gets 200, the INVITE 487, and the call and its leg are undone', async () => {
    let release: () => void = () => {};
    let legBeingMade: () => void = () => {};
    const placing = new Promise<void>((r) => {
      legBeingMade = r;
    });
    const hungUp: string[] = [];
    const calls = new InboundCalls(transport, pool, systemClock, '127.0.0.1', {
      placeSipCall: async (_caller, _number, leg) => {
        legBeingMade();
        await new Promise<void>((r) => {
          release = r;
        });
        return leg.endpointId;
      },
      customerHungUp: async (ref) => {
        hungUp.push(ref);
      },
      digit: () => {},
    });
    const handle = calls.handler(basicHandler);
    const peer = { transport: 'udp' as const, address: '127.0.0.1', port: 5999 };
    const invite = handle(message('INVITE', 'z9hG4bKinv1', '1 INVITE'), peer);
    await placing; // the leg is made and set-up waits on call control: now the CANCEL comes
    const cancel = await handle(message('CANCEL', 'z9hG4bKinv1', '1 CANCEL'), peer);
    assert.equal(cancel.status, 200);
    const stray = await handle(message('CANCEL', 'z9hG4bKnone', '1 CANCEL'), peer);
    assert.equal(stray.status, 481, 'a CANCEL matching no INVITE');
    release();
    assert.equal((await invite).status, 487);
    assert.equal(hungUp.length, 1, 'the call was withdrawn from call control');
    assert.equal(calls.active, 0);
    assert.equal((await pool.pick().call('ping', {})).endpoints, 0, 'the leg was destroyed');
  });

  /** Inbound calls whose calls are placed at once, each leg noted in `placed`. */
  function placing(clock: Clock) {
    const placed: string[] = [];
    const calls = new InboundCalls(transport, pool, clock, '127.0.0.1', {
      placeSipCall: async (_caller, _number, leg) => {
        placed.push(leg.endpointId);
        return leg.endpointId;
      },
      customerHungUp: async () => {},
      digit: () => {},
    });
    return { calls, placed };
  }

  test('a retransmitted INVITE that crossed our 200 gets the same 200, not a second call', async () => {
    const { calls, placed } = placing(systemClock);
    const handle = calls.handler(basicHandler);
    const peer = { transport: 'tcp' as const, address: '127.0.0.1', port: 5999 };
    const first = await handle(message('INVITE', 'z9hG4bKinv2', '1 INVITE'), peer);
    const again = await handle(message('INVITE', 'z9hG4bKinv2', '1 INVITE'), peer);
    assert.equal(first.status, 200);
    assert.equal(again, first, 'the same 200, To tag and all');
    assert.equal(placed.length, 1, 'one call');
    assert.equal(calls.active, 1);
    const next = await handle(message('INVITE', 'z9hG4bKinv3', '2 INVITE'), peer);
    assert.notEqual(next.headers.get('To'), first.headers.get('To'), 'a new CSeq is a new INVITE');
    assert.equal(placed.length, 2);
    for (const id of placed)
      await pool
        .pick()
        .call('destroy', { id })
        .catch(() => undefined);
  });

  test('draining for a shutdown: a new INVITE gets 503 with Retry-After and no leg; a call answered before keeps its 200', async () => {
    const { calls, placed } = placing(new ManualClock());
    const handle = calls.handler(basicHandler);
    const peer = { transport: 'udp' as const, address: '127.0.0.1', port: 5999 };
    try {
      const answered = await handle(message('INVITE', 'z9hG4bKdrain1', '1 INVITE'), peer);
      assert.equal(answered.status, 200);
      calls.drain();
      const refused = await handle(message('INVITE', 'z9hG4bKdrain2', '2 INVITE'), peer);
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('Retry-After'), '30', 'a carrier tries another route meanwhile');
      assert.equal(placed.length, 1, 'no call was handed to call control');
      assert.equal((await pool.pick().call('ping', {})).endpoints, 1, 'no media leg was made for it');
      assert.equal(await handle(message('INVITE', 'z9hG4bKdrain1', '1 INVITE'), peer), answered);
    } finally {
      for (const id of placed)
        await pool
          .pick()
          .call('destroy', { id })
          .catch(() => undefined);
    }
  });

  test('a 200 whose ACK never comes is re-sent at T1 doubling to T2; at 64*T1 the call ends with our BYE', async () => {
    const clock = new ManualClock();
    const phone = createSocket('udp4');
    await new Promise<void>((r) => phone.bind(0, '127.0.0.1', r));
    const heard: string[] = [];
    phone.on('message', (m) => heard.push(m.toString().split('\r\n')[0] ?? ''));
    const hungUp: string[] = [];
    const calls = new InboundCalls(transport, pool, clock, '127.0.0.1', {
      placeSipCall: async (_caller, _number, leg) => leg.endpointId,
      customerHungUp: async (ref) => {
        hungUp.push(ref);
      },
      digit: () => {},
    });
    const handle = calls.handler(basicHandler);
    const peer = { transport: 'udp' as const, address: '127.0.0.1', port: phone.address().port };
    try {
      assert.equal((await handle(message('INVITE', 'z9hG4bKnoack', '1 INVITE'), peer)).status, 200);
      // Sent again at 0.5, 1.5, 3.5, 7.5, then every 4 s to 31.5 s: at each step of virtual time
      // the phone has heard exactly the 200s due by then (a poll, as UDP takes its moment).
      const due = [500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500];
      for (let t = 500; t <= 31_500; t += 500) {
        clock.advance(500);
        const expected = due.filter((d) => d <= t).length;
        await waitFor(() => heard.length >= expected, `${expected} retransmissions by ${t} ms`);
        assert.equal(heard.length, expected, `by ${t} ms`);
      }
      assert.deepEqual(heard, Array(10).fill('SIP/2.0 200 OK'));
      assert.equal(calls.active, 1, 'still waiting for the ACK');
      clock.advance(500);
      await waitFor(() => heard.length > 10 && calls.active === 0, 'the BYE at 64*T1');
      assert.equal(heard.at(-1), `BYE sip:caller@127.0.0.1 SIP/2.0`);
      assert.equal(calls.active, 0);
      assert.equal(hungUp.length, 1, 'call control heard the call end');
      assert.equal((await pool.pick().call('ping', {})).endpoints, 0, 'the leg was destroyed');
    } finally {
      phone.close();
    }
  });
});

test('SIP INFO keys: dtmf-relay and dtmf bodies give the key; anything else gives none', () => {
  assert.equal(infoDigit('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n'), '5');
  assert.equal(infoDigit('Application/DTMF-Relay; charset=x', 'signal= #\r\n'), '#');
  assert.equal(infoDigit('application/dtmf-relay', 'Signal=10\r\n'), '*', 'some phones send 10 for *');
  assert.equal(infoDigit('application/dtmf-relay', 'Signal=11\r\n'), '#');
  assert.equal(infoDigit('application/dtmf', '9'), '9');
  assert.equal(infoDigit('application/dtmf-relay', 'Signal=12\r\n'), undefined);
  assert.equal(infoDigit('application/dtmf-relay', 'Duration=160'), undefined);
  assert.equal(infoDigit('text/plain', '5'), undefined);
});
