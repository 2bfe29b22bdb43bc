import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, type TestContext, test } from 'node:test';
import pino from 'pino';
import { ManualClock } from '../src/clock.js';
import { ImapReaders } from '../src/email/imap-reader.js';
import { customerMail, FakeDirectory, FakeInboundStore, mailboxOf, until } from './email-fakes.js';
import { type MailServers, startMailServers } from './mail-servers.js';

const USERS = ['drain', 'idle', 'drop', 'retry', 'crash', 'login'].map((n) => `${n}@parley.test`);

describe('IMAP readers against Dovecot (mail delivered by Postfix)', () => {
  let mail: MailServers;
  before(async () => {
    mail = await startMailServers({ users: [...USERS, 'customer@example.test'] });
  });
  after(async () => mail?.stop());

  /** A reader set over one mailbox of `user`, on a clock the test moves. */
  const readersFor = (
    t: TestContext,
    user: string,
    store = new FakeInboundStore(),
    mailbox = mailboxOf(mail, mail.user(user)),
  ) => {
    const directory = new FakeDirectory();
    directory.add(mailbox);
    const clock = new ManualClock();
    const readers = new ImapReaders({ directory, store, clock, log: pino({ level: 'silent' }) });
    t.after(() => readers.stop());
    const health = () => directory.health(mailbox.id);
    return { directory, mailbox, store, clock, readers, health };
  };
  const deliver = async (user: string, subject?: string) => {
    const address = mail.user(user).address;
    const m = customerMail(address, subject);
    await mail.deliver(m.raw, { from: 'customer@example.test', to: [address] });
    return m;
  };
  const processed = (user: string) => mail.messages(user, 'Processed');

  test('every message in the inbox is stored, oldest first, then moved to the processed folder', async (t) => {
    const sent = [
      await deliver('drain', 'first'),
      await deliver('drain', 'second'),
      await deliver('drain', 'third'),
    ];
    const r = readersFor(t, 'drain');
    await r.readers.start();
    await until(() => r.store.stored.length === 3, 'three messages stored');
    const moved = await mail.waitForMessage(
      'drain',
      (m) => m.messageId === sent[2]?.messageId,
      10_000,
      'Processed',
    );
    assert.ok(moved);
    await until(() => r.health()?.state === 'ok', 'health ok');

    assert.deepEqual(
      r.store.stored.map((m) => m.messageId),
      sent.map((m) => m.messageId),
    );
    for (const m of r.store.stored) {
      assert.equal(m.mailboxId, r.mailbox.id);
      assert.ok(m.source && m.source.uid > 0 && m.source.uidValidity > 0);
      assert.match(m.raw.toString(), /Received: from/); // the source as Dovecot has it
    }
    assert.equal((await mail.messages('drain')).length, 0, 'the inbox is empty');
    assert.equal((await processed('drain')).length, 3);
    assert.equal(r.store.calls, 3);
  });

  /**
   * A relay in front of Dovecot's IMAP port that sees the reader's commands (to wait for its IDLE)
   * and can cut its connections (a network failure).
   */
  const imapRelay = async (t: TestContext) => {
    const sockets = new Set<net.Socket>();
    const relay = {
      idles: 0,
      port: 0,
      cut: () => {
        for (const s of sockets) s.destroy();
      },
    };
    const server = net.createServer((client) => {
      const upstream = net.connect(mail.imap.port, mail.imap.host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (d: Buffer) => {
        relay.idles += (d.toString('latin1').match(/^\S+ IDLE\r\n/gm) ?? []).length;
      });
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    relay.port = (server.address() as net.AddressInfo).port;
    t.after(() => {
      relay.cut();
      return new Promise((resolve) => server.close(resolve));
    });
    return relay;
  };
  const viaRelay = (user: string, port: number) => {
    const mailbox = mailboxOf(mail, mail.user(user));
    assert.ok(mailbox.imap);
    return { ...mailbox, imap: { ...mailbox.imap, port } };
  };

  test('a message delivered while the reader idles is stored within seconds', async (t) => {
    const relay = await imapRelay(t);
    const r = readersFor(t, 'idle', undefined, viaRelay('idle', relay.port));
    await r.readers.start();
    for (const subject of ['one', 'two']) {
      const idles = relay.idles;
      await until(() => relay.idles > idles, 'the reader idling');
      const m = await deliver('idle', subject);
      const delivered = Date.now();
      await until(() => r.store.withMessageId(m.messageId).length === 1, `"${subject}" stored`, 5000);
      assert.ok(Date.now() - delivered < 5000);
      await mail.waitForMessage('idle', (x) => x.messageId === m.messageId, 5000, 'Processed');
    }
    assert.equal((await mail.messages('idle')).length, 0);
    assert.equal(r.health()?.state, 'ok');
  });

  test('a connection that drops is an error, then reconnected after a second, and the mail read', async (t) => {
    const relay = await imapRelay(t);
    const r = readersFor(t, 'drop', undefined, viaRelay('drop', relay.port));
    await r.readers.start();
    await until(() => relay.idles > 0, 'the reader idling');
    relay.cut();
    await until(() => r.health()?.state === 'error', 'health error');
    const m = await deliver('drop');
    assert.equal(r.store.calls, 0);
    assert.equal(r.clock.pendingTimers, 1, 'a reconnect waits');
    r.clock.advance(999);
    assert.equal(r.health()?.state, 'error', 'not before a second');
    r.clock.advance(1);
    await until(() => r.store.withMessageId(m.messageId).length === 1, 'stored after the reconnect');
    await until(() => r.health()?.state === 'ok', 'health ok');
    assert.deepEqual(
      r.directory.healthLog.map((h) => h.state),
      ['connecting', 'ok', 'error', 'connecting', 'ok'],
    );
  });

  test('a store that fails leaves the message in the inbox, and it is stored on the retry', async (t) => {
    const r = readersFor(t, 'retry');
    let failures = 1;
    r.store.before = () => {
      if (failures-- > 0) throw new Error('the database is down');
    };
    const m = await deliver('retry');
    await r.readers.start();
    await until(() => r.health()?.state === 'error', 'health error');
    assert.match(r.health()?.error ?? '', /Cannot store a message: the database is down/);
    assert.equal(r.store.stored.length, 0);
    assert.deepEqual(
      (await mail.messages('retry')).map((x) => x.messageId),
      [m.messageId],
      'still in the inbox',
    );
    assert.equal((await processed('retry')).length, 0);

    r.clock.advance(1000); // the first reconnect
    await until(() => r.store.stored.length === 1, 'stored on the retry');
    await mail.waitForMessage('retry', (x) => x.messageId === m.messageId, 10_000, 'Processed');
    await until(() => r.health()?.state === 'ok', 'health ok again');
    assert.equal((await mail.messages('retry')).length, 0);
  });

  test('stopped between store and move: the restarted reader stores nothing twice and moves the message', async (t) => {
    const store = new FakeInboundStore();
    const first = readersFor(t, 'crash', store);
    let stopping: Promise<void> | undefined;
    store.after = () => {
      // The process goes away right after the commit, before the move.
      stopping ??= first.readers.stop();
    };
    const m = await deliver('crash');
    await first.readers.start();
    await until(() => stopping !== undefined, 'the store called');
    await stopping;
    assert.equal(store.stored.length, 1);
    assert.deepEqual(
      (await mail.messages('crash')).map((x) => x.messageId),
      [m.messageId],
      'not moved',
    );

    store.after = undefined;
    const second = readersFor(t, 'crash', store, first.mailbox);
    await second.readers.start();
    await mail.waitForMessage('crash', (x) => x.messageId === m.messageId, 10_000, 'Processed');
    assert.equal(store.calls, 2, 'offered again');
    assert.equal(store.duplicates, 1, 'as a duplicate');
    assert.equal(store.stored.length, 1, 'stored once');
    assert.equal((await mail.messages('crash')).length, 0);
    assert.equal((await processed('crash')).length, 1);
  });

  test('a wrong password is a readable error; the fixed one connects; a disabled mailbox is off', async (t) => {
    const r = readersFor(t, 'login');
    const imap = r.mailbox.imap;
    assert.ok(imap);
    r.directory.add({ ...r.mailbox, imap: { ...imap, password: 'not-the-password' } });
    await r.readers.start();
    await until(() => r.health()?.state === 'error', 'health error');
    assert.match(
      r.health()?.error ?? '',
      /Login refused by 127\.0\.0\.1: .*authentication failed.*check the user and password/i,
    );

    // Retried later with the same settings: still refused, after the backoff.
    r.clock.advance(1000);
    await until(() => r.directory.healthLog.filter((h) => h.state === 'error').length === 2, 'second error');

    r.directory.add(r.mailbox);
    await r.readers.reload(r.mailbox.id);
    await until(() => r.health()?.state === 'ok', 'health ok');
    const m = await deliver('login');
    await until(() => r.store.withMessageId(m.messageId).length === 1, 'stored');

    r.directory.add({ ...r.mailbox, enabled: false });
    await r.readers.reload(r.mailbox.id);
    assert.equal(r.health()?.state, 'off');
    assert.equal(r.clock.pendingTimers, 0);
  });

  test('a folder that does not exist is a readable error', async (t) => {
    const r = readersFor(t, 'login');
    const imap = r.mailbox.imap;
    assert.ok(imap);
    r.directory.add({ ...r.mailbox, imap: { ...imap, folder: 'Tickets' } });
    await r.readers.start();
    await until(() => r.health()?.state === 'error', 'health error');
    assert.equal(r.health()?.error, 'Cannot open the folder "Tickets": Mailbox doesn\'t exist: Tickets');
  });
});
