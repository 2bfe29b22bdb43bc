import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../clock.js';
import { SipTransport } from '../transport/sip-transport.js';
import { basicHandler, SipServer } from './sip-server.js';
import { sipp } from './sipp-runner.js';

describe('SIP server over UDP and TCP, driven by SIPp', () => {
  const transport = new SipTransport('127.0.0.1');
  let port = 0;
  let server: SipServer;
  const rejected: string[] = [];

  before(async () => {
    port = await transport.listen(0);
    server = new SipServer(transport, systemClock, basicHandler);
    transport.on('rejected', (r) => rejected.push(r.code));
  });
  after(async () => transport.close());

  /** Resolves once the transport has rejected input with each of `codes`; fails after `ms`. */
  function rejections(codes: string[], ms = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!codes.every((c) => rejected.includes(c))) return;
        clearTimeout(timer);
        transport.off('rejected', check);
        resolve();
      };
      const timer = setTimeout(() => {
        transport.off('rejected', check);
        reject(new Error(`rejected only ${JSON.stringify(rejected)}, not all of ${JSON.stringify(codes)}`));
      }, ms);
      transport.on('rejected', check);
      check();
    });
  }

  test('OPTIONS over UDP gets 200 OK with Allow (20 calls)', async () => {
    const r = await sipp('uac-options-expect-200.xml', port, 'u1');
    assert.equal(r.status, 0, r.output.slice(-2000));
  });

  test('OPTIONS over TCP gets 200 OK with Allow (20 calls)', async () => {
    const r = await sipp('uac-options-expect-200.xml', port, 't1');
    assert.equal(r.status, 0, r.output.slice(-2000));
  });

  test('an INVITE it cannot take yet gets 501, and the ACK completes the transaction', async () => {
    const before = server.openTransactions;
    const r = await sipp('uac-invite-expect-501-ack.xml', port, 'u1', 10);
    assert.equal(r.status, 0, r.output.slice(-2000));
    assert.equal(server.openTransactions - before, 10, 'each INVITE had exactly one transaction');
  });

  test('malformed datagrams and a broken TCP stream are rejected with a code, and the server keeps serving', async (t) => {
    const udp = dgram.createSocket('udp4');
    t.after(() => udp.close()); // even when a check fails: an open socket would keep the run alive
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    udp.send(Buffer.from('NOT SIP AT ALL\r\n\r\n'), port, '127.0.0.1');
    udp.send(Buffer.from('INVITE sip:x SIP/2.0\r\nContent-Length: 99999\r\n\r\n'), port, '127.0.0.1');
    const tcp = net.connect(port, '127.0.0.1');
    await new Promise((r) => tcp.on('connect', r));
    tcp.write('OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1\r\n\r\n');
    // The server closes the stream it rejects; the datagrams' rejections may come before or after.
    await new Promise((r) => tcp.on('close', r));
    await rejections(['BAD_START_LINE', 'TRUNCATED_BODY', 'MISSING_CONTENT_LENGTH']);
    const r = await sipp('uac-options-expect-200.xml', port, 'u1', 5);
    assert.equal(r.status, 0, 'still serving after bad input');
  });
});
