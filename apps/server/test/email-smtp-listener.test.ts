import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, type TestContext, test } from 'node:test';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { SmtpListener } from '../src/email/smtp-listener.js';
import { customerMail, FakeDirectory, FakeInboundStore } from './email-fakes.js';

const SUPPORT = 'support@parley.test';

/** A plain SMTP client speaking line by line, to see each reply (all its lines) as the listener gives it. */
async function smtpClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let buffer = '';
  let waiting: ((reply: string) => void) | undefined;
  const take = () => {
    // A reply ends with a line "NNN text" (no hyphen after the code).
    const m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buffer);
    if (!m || !waiting) return;
    const end = m.index + m[0].length;
    const reply = buffer.slice(0, end).trim();
    buffer = buffer.slice(end);
    const w = waiting;
    waiting = undefined;
    w(reply);
  };
  socket.on('data', (d) => {
    buffer += d.toString('latin1');
    take();
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      waiting = resolve;
      socket.once('error', reject);
      take();
    });
  await next(); // the greeting
  const send = (line: string) => {
    socket.write(`${line}\r\n`);
    return next();
  };
  return {
    send,
    /** DATA, the message, the final dot: the reply to the message. */
    async data(raw: string) {
      const go = await send('DATA');
      assert.match(go, /^354/);
      socket.write(`${raw.replace(/\r\n\./g, '\r\n..')}\r\n.\r\n`);
      return next();
    },
    close: () => socket.destroy(),
  };
}

describe('the SMTP listener (forwarded mail)', () => {
  const listen = async (t: TestContext, options: { maxBytes?: number } = {}) => {
    const directory = new FakeDirectory();
    const mailbox = directory.add({
      id: 'mbx-support',
      workspaceId: 'ws',
      campaignId: 'cmp',
      address: SUPPORT,
      displayName: 'Support',
      inbound: 'smtp',
      enabled: true,
      imap: null,
      smtp: null,
    });
    const store = new FakeInboundStore();
    const listener = new SmtpListener({ directory, store, log: pino({ level: 'silent' }), ...options });
    const port = await listener.listen(0, '127.0.0.1');
    t.after(() => listener.close());
    return { directory, mailbox, store, listener, port };
  };
  const session = async (t: TestContext, port: number) => {
    const c = await smtpClient(port);
    t.after(() => c.close());
    assert.match(await c.send('EHLO mx.example.test'), /^250/);
    return c;
  };

  test('a message for a known address is stored, then answered 250', async (t) => {
    const l = await listen(t);
    const c = await session(t, l.port);
    const m = customerMail('Support <Support@Parley.test>');
    assert.match(await c.send('MAIL FROM:<customer@example.test>'), /^250/);
    assert.match(await c.send('RCPT TO:<Support@Parley.test>'), /^250/);
    assert.match(await c.data(m.raw), /^250 /);
    assert.equal(l.store.stored.length, 1);
    assert.equal(l.store.stored[0]?.mailboxId, l.mailbox.id);
    assert.equal(l.store.stored[0]?.source, null);
    assert.equal(l.store.stored[0]?.messageId, m.messageId);
    assert.match(l.store.stored[0]?.raw.toString() ?? '', /\r\n\r\nHello\.\r\n/);

    // A real client (nodemailer) too, the way a forwarding server speaks.
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: l.port,
      secure: false,
      ignoreTLS: true,
    });
    const second = customerMail(SUPPORT, 'Second');
    const info = await transport.sendMail({
      envelope: { from: 'customer@example.test', to: [SUPPORT] },
      raw: second.raw,
    });
    transport.close();
    assert.match(info.response, /^250 /);
    assert.equal(l.store.withMessageId(second.messageId).length, 1);
  });

  test('an unknown address is refused with 550 5.1.1 at RCPT', async (t) => {
    const l = await listen(t);
    const c = await session(t, l.port);
    assert.match(await c.send('MAIL FROM:<customer@example.test>'), /^250/);
    assert.match(await c.send('RCPT TO:<nobody@parley.test>'), /^550 5\.1\.1 <nobody@parley\.test>/);
    // A mailbox whose inbound is IMAP is not taken over SMTP either.
    l.directory.add({ ...l.mailbox, id: 'mbx-imap', address: 'imap@parley.test', inbound: 'imap' });
    assert.match(await c.send('RCPT TO:<imap@parley.test>'), /^550 5\.1\.1/);
    assert.equal(l.store.calls, 0);
  });

  test('a message over the size is refused with 552 after DATA, and SIZE is announced', async (t) => {
    const l = await listen(t, { maxBytes: 4096 });
    const c = await smtpClient(l.port);
    t.after(() => c.close());
    const ehlo = await c.send('EHLO mx.example.test');
    assert.match(ehlo, /250[- ]SIZE 4096/);
    assert.doesNotMatch(ehlo, /STARTTLS|AUTH/);
    assert.match(await c.send('MAIL FROM:<customer@example.test>'), /^250/);
    assert.match(await c.send(`RCPT TO:<${SUPPORT}>`), /^250/);
    const big = customerMail(SUPPORT, 'Big', 'x'.repeat(76).concat('\r\n').repeat(100));
    assert.match(await c.data(big.raw), /^552 /);
    assert.equal(l.store.calls, 0);
    // The session goes on: a small one is taken.
    assert.match(await c.send('MAIL FROM:<customer@example.test>'), /^250/);
    assert.match(await c.send(`RCPT TO:<${SUPPORT}>`), /^250/);
    assert.match(await c.data(customerMail(SUPPORT).raw), /^250 /);
    assert.equal(l.store.stored.length, 1);
  });

  test('a store that fails is a 451, so the sender retries; the retry is stored', async (t) => {
    const l = await listen(t);
    let failures = 1;
    l.store.before = () => {
      if (failures-- > 0) throw new Error('the database is down');
    };
    const m = customerMail(SUPPORT);
    const c = await session(t, l.port);
    for (const expected of [/^451 4\.3\.0/, /^250 /]) {
      assert.match(await c.send('MAIL FROM:<customer@example.test>'), /^250/);
      assert.match(await c.send(`RCPT TO:<${SUPPORT}>`), /^250/);
      assert.match(await c.data(m.raw), expected);
    }
    assert.equal(l.store.calls, 2);
    assert.equal(l.store.withMessageId(m.messageId).length, 1);
  });
});
