import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { type MailServers, startMailServers } from './mail-servers.js';

const harness = fileURLToPath(new URL('./mail-servers.ts', import.meta.url));

function rawMessage(o: {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  extra?: string;
}): string {
  return [
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${o.subject}`,
    `Message-ID: ${o.messageId}`,
    'Date: Mon, 07 Dec 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...(o.extra ? [o.extra] : []),
    '',
    'Hello, my order has not arrived.',
    '',
  ].join('\r\n');
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the test mail servers (Debian Dovecot and Postfix)', () => {
  let mail: MailServers;
  before(async () => {
    mail = await startMailServers();
  });
  after(async () => {
    await mail?.stop();
  });

  test('a customer mail delivered through Postfix is read back over IMAP', async () => {
    const support = mail.user('support');
    const customer = mail.user('customer@example.test');
    assert.equal(support.address, 'support@parley.test');
    assert.equal(customer.address, 'customer@example.test');
    assert.deepEqual(mail.imap, { host: '127.0.0.1', port: mail.imap.port, secure: false });

    const messageId = `<order-1.${Date.now()}@example.test>`;
    await mail.deliver(
      rawMessage({
        from: 'Customer <customer@example.test>',
        to: 'support@parley.test',
        subject: 'Where is my order?',
        messageId,
      }),
      { from: customer.address, to: [support.address] },
    );
    const inbox = await mail.messages('support');
    const got = inbox.find((m) => m.messageId === messageId);
    assert.ok(got, `not in the INBOX: ${inbox.map((m) => m.messageId).join(', ')}`);
    assert.equal(got.subject, 'Where is my order?');
    assert.equal(got.from, 'customer@example.test');
    assert.deepEqual(got.to, ['support@parley.test']);
    assert.deepEqual(got.headers.get('message-id'), [messageId]);
    assert.match(got.source.toString(), /Hello, my order has not arrived\./);
    // Postfix's and Dovecot's Received headers are on top.
    assert.ok((got.headers.get('received') ?? []).some((r) => /\(Postfix\) with ESMTP/.test(r)));
    assert.deepEqual(await mail.messages('customer'), []);
  });

  test('an unknown recipient is refused at RCPT with a 5xx, and nothing is relayed', async () => {
    const send = (to: string) =>
      mail.deliver(rawMessage({ from: 'customer@example.test', to, subject: 'x', messageId: `<x.${to}>` }), {
        from: 'customer@example.test',
        to: [to],
      });
    await assert.rejects(send('nobody@parley.test'), (err: { responseCode?: number; message: string }) => {
      assert.equal(err.responseCode, 550, err.message);
      assert.match(err.message, /User unknown/);
      return true;
    });
    await assert.rejects(send('someone@gmail.com'), (err: { responseCode?: number; message: string }) => {
      assert.equal(err.responseCode, 554, err.message);
      assert.match(err.message, /Relay access denied/);
      return true;
    });
  });

  test('a message moves to a new folder (IMAP MOVE), and IDLE is there', async () => {
    const messageId = `<move.${Date.now()}@example.test>`;
    await mail.deliver(
      rawMessage({ from: 'customer@example.test', to: 'support@parley.test', subject: 'Move me', messageId }),
      { from: 'customer@example.test', to: ['support@parley.test'] },
    );
    const uid = (await mail.messages('support')).find((m) => m.messageId === messageId)?.uid;
    assert.ok(uid);
    const client = await mail.connect('support');
    try {
      assert.ok(client.capabilities.has('MOVE'));
      assert.ok(client.capabilities.has('IDLE'));
      await client.mailboxCreate('Handled');
      await client.mailboxOpen('INBOX');
      const moved = await client.messageMove(String(uid), 'Handled', { uid: true });
      assert.ok(moved);
    } finally {
      await client.logout();
    }
    assert.equal(
      (await mail.messages('support')).find((m) => m.messageId === messageId),
      undefined,
    );
    const handled = await mail.messages('support', 'Handled');
    assert.deepEqual(
      handled.map((m) => m.messageId),
      [messageId],
    );
    // The special-use folders a client looks for exist.
    const c2 = await mail.connect('support');
    try {
      const list = await c2.list();
      assert.ok(list.some((b) => b.specialUse === '\\Sent'));
    } finally {
      await c2.logout();
    }
  });

  test('the platform sends through submission with AUTH PLAIN; the reply reaches the customer', async () => {
    const support = mail.user('support');
    const original = `<thread.${Date.now()}@example.test>`;
    const waiting = mail.waitForMessage('customer', (m) => m.inReplyTo === original, 15_000);
    const transport = nodemailer.createTransport({
      host: mail.submission.host,
      port: mail.submission.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: support.user, pass: support.password },
      authMethod: 'PLAIN',
    });
    try {
      await transport.sendMail({
        from: support.address,
        to: 'customer@example.test',
        subject: 'Re: Where is my order?',
        text: 'It ships today.',
        inReplyTo: original,
        references: [original],
      });
    } finally {
      transport.close();
    }
    const reply = await waiting;
    assert.equal(reply.subject, 'Re: Where is my order?');
    assert.deepEqual(reply.references, [original]);
    assert.equal(reply.from, 'support@parley.test');

    // Without AUTH, or with a wrong password, submission takes nothing.
    const anonymous = nodemailer.createTransport({
      host: mail.submission.host,
      port: mail.submission.port,
      secure: false,
      ignoreTLS: true,
    });
    await assert.rejects(
      anonymous.sendMail({ from: support.address, to: 'customer@example.test', text: 'x' }),
      (err: { responseCode?: number }) => err.responseCode === 554,
    );
    anonymous.close();
    const wrong = nodemailer.createTransport({
      host: mail.submission.host,
      port: mail.submission.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: support.user, pass: 'wrong' },
    });
    await assert.rejects(
      wrong.sendMail({ from: support.address, to: 'customer@example.test', text: 'x' }),
      (err: { responseCode?: number }) => err.responseCode === 535,
    );
    wrong.close();
  });

  test('two instances started at once each have their own ports, directory and mailboxes', async () => {
    const [a, b] = await Promise.all([
      startMailServers({ users: ['agent', 'customer@example.test'] }),
      startMailServers({ users: ['agent', 'customer@example.test'] }),
    ]);
    try {
      const ports = [a, b, mail].flatMap((m) => [m.imap.port, m.smtp.port, m.submission.port]);
      assert.equal(new Set(ports).size, ports.length);
      assert.notEqual(a.dir, b.dir);
      await a.deliver(
        rawMessage({
          from: 'customer@example.test',
          to: 'agent@parley.test',
          subject: 'A',
          messageId: '<a@x>',
        }),
        { from: 'customer@example.test', to: ['agent@parley.test'] },
      );
      await b.deliver(
        rawMessage({
          from: 'customer@example.test',
          to: 'agent@parley.test',
          subject: 'B',
          messageId: '<b@x>',
        }),
        { from: 'customer@example.test', to: ['agent@parley.test'] },
      );
      assert.deepEqual(
        (await a.messages('agent')).map((m) => m.subject),
        ['A'],
      );
      assert.deepEqual(
        (await b.messages('agent')).map((m) => m.subject),
        ['B'],
      );
      assert.notEqual(a.user('agent').password, b.user('agent').password);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    assert.equal(existsSync(a.dir), false);
    assert.equal(existsSync(b.dir), false);
  });

  test('servers of a test process killed without stop() are killed and their directory removed', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { startMailServers } = await import(${JSON.stringify(harness)});
         const m = await startMailServers();
         console.log(JSON.stringify({ dir: m.dir }));
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    await eventually(
      () => out.includes('\n') || child.exitCode !== null,
      'the child to start its servers',
      60_000,
    );
    assert.ok(out.includes('\n'), `the child did not start its servers (exit ${child.exitCode}):\n${err}`);
    const { dir } = JSON.parse(out) as { dir: string };
    const groups = readFileSync(`${dir}/pgids`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
    assert.equal(groups.length, 2);
    assert.ok(groups.every(groupAlive));
    child.kill('SIGKILL');
    await eventually(() => !groups.some(groupAlive) && !existsSync(dir), 'the servers to go');
  });
});
