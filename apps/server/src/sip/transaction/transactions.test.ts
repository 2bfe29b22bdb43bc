import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../clock.js';
import { SipHeaders, type SipRequest, type SipResponse } from '../message/sip-message.js';
import { ClientTransaction } from './client-transaction.js';
import { ServerTransaction } from './server-transaction.js';

function request(method: string): SipRequest {
  const headers = new SipHeaders([
    ['Via', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-test1'],
    ['From', '<sip:alice@127.0.0.1>;tag=a1'],
    ['To', '<sip:bob@127.0.0.1>'],
    ['Call-ID', 'call-1@127.0.0.1'],
    ['CSeq', `7 ${method}`],
    ['Max-Forwards', '70'],
  ]);
  return {
    kind: 'request',
    method,
    uri: 'sip:bob@127.0.0.1',
    version: 'SIP/2.0',
    headers,
    body: new Uint8Array(),
  };
}

function response(status: number, toTag = 'b2'): SipResponse {
  const headers = new SipHeaders([
    ['Via', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-test1'],
    ['From', '<sip:alice@127.0.0.1>;tag=a1'],
    ['To', `<sip:bob@127.0.0.1>;tag=${toTag}`],
    ['Call-ID', 'call-1@127.0.0.1'],
    ['CSeq', '7 INVITE'],
  ]);
  return { kind: 'response', status, reason: 'x', version: 'SIP/2.0', headers, body: new Uint8Array() };
}

function client(method: string, reliable = false) {
  const clock = new ManualClock(0);
  const sent: { at: number; method: string }[] = [];
  const events: string[] = [];
  const tx = new ClientTransaction(
    request(method),
    (m) => sent.push({ at: clock.now().getTime(), method: m.method }),
    clock,
    {
      response: (r) => events.push(`response ${r.status}`),
      timeout: () => events.push('timeout'),
      terminated: () => events.push(`terminated at ${clock.now().getTime()}`),
    },
    reliable,
  );
  return { clock, sent, events, tx };
}

describe('client transactions in virtual time', () => {
  test('INVITE over UDP: Timer A doubles (0.5, 1, 2, 4, 8, 16 s), Timer B gives up at 32 s', () => {
    const { clock, sent, events } = client('INVITE');
    clock.advance(40_000);
    assert.deepEqual(
      sent.map((s) => s.at),
      [0, 500, 1500, 3500, 7500, 15500, 31500],
    );
    assert.deepEqual(events, ['timeout', 'terminated at 32000']);
  });

  test('INVITE: a provisional stops retransmissions; a 486 is ACKed (again for each retransmission); Timer D', () => {
    const { clock, sent, events, tx } = client('INVITE');
    clock.advance(600);
    tx.receive(response(180));
    clock.advance(10_000);
    assert.equal(sent.length, 2, 'no retransmission after 180');
    tx.receive(response(486));
    assert.equal(tx.state, 'completed');
    tx.receive(response(486));
    assert.deepEqual(
      sent.map((s) => s.method),
      ['INVITE', 'INVITE', 'ACK', 'ACK'],
    );
    assert.deepEqual(
      events.slice(0, 2),
      ['response 180', 'response 486'],
      'the retransmitted 486 is absorbed',
    );
    clock.advance(32_000);
    assert.equal(tx.state, 'terminated');
  });

  test('INVITE: a 2xx ends the transaction at once (the dialog ACKs it)', () => {
    const { tx, sent, events } = client('INVITE');
    tx.receive(response(200));
    assert.equal(tx.state, 'terminated');
    assert.deepEqual(
      sent.map((s) => s.method),
      ['INVITE'],
    );
    assert.deepEqual(events, ['response 200', 'terminated at 0']);
  });

  test('the ACK for a failure carries the response To tag, the same branch and CSeq number', () => {
    const clock = new ManualClock(0);
    const sent: SipRequest[] = [];
    const tx = new ClientTransaction(request('INVITE'), (m) => sent.push(m), clock, {
      response: () => {},
      timeout: () => {},
      terminated: () => {},
    });
    tx.receive(response(603, 'xyz'));
    const ack = sent[1];
    assert.equal(ack?.method, 'ACK');
    assert.equal(ack?.headers.get('To'), '<sip:bob@127.0.0.1>;tag=xyz');
    assert.equal(ack?.headers.get('CSeq'), '7 ACK');
    assert.equal(ack?.headers.get('Via'), 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-test1');
  });

  test('non-INVITE over UDP: Timer E doubles up to T2 (4 s), Timer F at 32 s', () => {
    const { clock, sent, events } = client('OPTIONS');
    clock.advance(33_000);
    assert.deepEqual(
      sent.map((s) => s.at),
      [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500],
    );
    assert.deepEqual(events, ['timeout', 'terminated at 32000']);
  });

  test('non-INVITE: after a provisional, retransmit every T2; a final response, then Timer K (T4)', () => {
    const { clock, sent, tx, events } = client('BYE');
    clock.advance(100);
    tx.receive(response(100));
    clock.advance(9_000);
    assert.deepEqual(
      sent.map((s) => s.at),
      [0, 500, 4500, 8500],
    );
    tx.receive(response(200));
    clock.advance(4_999);
    assert.equal(tx.state, 'completed');
    clock.advance(1);
    assert.equal(events.at(-1), 'terminated at 14100');
  });

  test('over TCP nothing is retransmitted and there is no linger', () => {
    const { clock, sent, tx } = client('REGISTER', true);
    clock.advance(10_000);
    assert.equal(sent.length, 1);
    tx.receive(response(200));
    assert.equal(tx.state, 'terminated');
  });
});

function server(method: string, reliable = false) {
  const clock = new ManualClock(0);
  const sent: { at: number; status: number }[] = [];
  const events: string[] = [];
  const tx = new ServerTransaction(
    request(method),
    (r) => sent.push({ at: clock.now().getTime(), status: r.status }),
    clock,
    {
      timeout: () => events.push('timeout'),
      terminated: () => events.push(`terminated at ${clock.now().getTime()}`),
    },
    reliable,
  );
  return { clock, sent, events, tx };
}

describe('server transactions in virtual time', () => {
  test('a retransmitted request gets the last response again, never a second TU delivery', () => {
    const { tx, sent } = server('INVITE');
    tx.receiveRequest(request('INVITE'));
    assert.equal(sent.length, 0, 'nothing sent yet: nothing to repeat');
    tx.respond(response(100));
    tx.receiveRequest(request('INVITE'));
    assert.deepEqual(
      sent.map((s) => s.status),
      [100, 100],
    );
  });

  test('INVITE failure: Timer G repeats it until the ACK, then Timer I (T4)', () => {
    const { clock, sent, tx, events } = server('INVITE');
    tx.respond(response(486));
    clock.advance(3_600);
    assert.deepEqual(
      sent.map((s) => s.at),
      [0, 500, 1500, 3500],
    );
    tx.receiveRequest(request('ACK'));
    assert.equal(tx.state, 'confirmed');
    clock.advance(10_000);
    assert.equal(sent.length, 4, 'no more after the ACK');
    assert.deepEqual(events, ['terminated at 8600']);
  });

  test('INVITE failure never acknowledged: Timer H at 32 s', () => {
    const { clock, tx, events } = server('INVITE');
    tx.respond(response(404));
    clock.advance(32_000);
    assert.deepEqual(events, ['timeout', 'terminated at 32000']);
  });

  test('non-INVITE: the final response is repeated for retransmissions until Timer J', () => {
    const { clock, sent, tx, events } = server('OPTIONS');
    tx.respond(response(200));
    clock.advance(10_000);
    tx.receiveRequest(request('OPTIONS'));
    assert.deepEqual(
      sent.map((s) => s.status),
      [200, 200],
    );
    clock.advance(22_000);
    assert.deepEqual(events, ['terminated at 32000']);
  });

  test('INVITE 2xx ends the server transaction at once', () => {
    const { tx, events } = server('INVITE');
    tx.respond(response(200));
    assert.deepEqual(events, ['terminated at 0']);
  });
});
