import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, type TestContext, test } from 'node:test';
import pino from 'pino';
import { ManualClock } from '../src/clock.js';
import { type OpenDatabase, openDatabase } from '../src/db/database.js';
import type { StoredAddress } from '../src/db/schema.js';
import type { MailboxTransport } from '../src/email/email-ports.js';
import { Outbox } from '../src/email/outbox.js';
import { type DomainEvent, InProcessEventBus } from '../src/events.js';
import { FakeDirectory, mailboxOf, until } from './email-fakes.js';
import { createStore, type TestStore } from './helpers.js';
import { type MailServers, startMailServers } from './mail-servers.js';

const CUSTOMER: StoredAddress = { name: 'Casey Customer', address: 'customer@example.test' };
const PDF = Buffer.from('%PDF-1.4\n% a test invoice\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

/** A loopback port nobody listens on (yet). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('the outbox, sending through Postfix', () => {
  let mail: MailServers;
  let store: TestStore;
  let database: OpenDatabase;
  let attachmentsDir: string;
  let ws: { workspaceId: string; campaignId: string; agentId: string };

  before(async () => {
    [mail, store] = await Promise.all([
      startMailServers({ users: ['support@parley.test', 'customer@example.test', 'boss@example.test'] }),
      createStore(),
    ]);
    database = await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl });
    attachmentsDir = path.join(store.dataDir, 'email-attachments');
    mkdirSync(attachmentsDir, { recursive: true });
    const db = database.db;
    const workspace = await db
      .insertInto('workspaces')
      .values({ slug: 'outbox', name: 'Outbox' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const campaign = await db
      .insertInto('campaigns')
      .values({ workspace_id: workspace.id, name: 'Support mail', kind: 'email' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const agent = await db
      .insertInto('users')
      .values({
        workspace_id: workspace.id,
        username: 'alex',
        display_name: 'Alex Agent',
        role: 'agent',
        password_hash: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ws = { workspaceId: workspace.id, campaignId: campaign.id, agentId: agent.id };
  });
  after(async () => {
    await database?.close();
    await Promise.all([store?.drop(), mail?.stop()]);
  });

  /** An outbox over a mailbox of support@parley.test (submission, AUTH), on a clock the test moves. */
  const outboxFor = async (
    t: TestContext,
    smtp: Partial<NonNullable<MailboxTransport['smtp']>> = {},
    backoffMs?: number[],
  ) => {
    const directory = new FakeDirectory();
    const base = mailboxOf(mail, mail.user('support'), { ...ws, inbound: 'none' });
    const mailbox = directory.add({ ...base, smtp: base.smtp && { ...base.smtp, ...smtp } });
    await database.db
      .insertInto('email_mailboxes')
      .values({
        id: mailbox.id,
        workspace_id: ws.workspaceId,
        campaign_id: ws.campaignId,
        name: `Support ${mailbox.id.slice(0, 8)}`,
        address: `${mailbox.id.slice(0, 8)}-${mailbox.address}`,
      })
      .execute();
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 10));
    const bus = new InProcessEventBus();
    const events: DomainEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const log = pino({ level: 'silent' });
    const make = () =>
      new Outbox({
        db: database.db,
        directory,
        bus,
        clock,
        log,
        attachmentsDir,
        ...(backoffMs && { backoffMs }),
      });
    const outbox = make();
    t.after(async () => {
      await outbox.stop();
      // Nothing of this test is left for the next one's outbox to send.
      await database.db
        .updateTable('email_messages')
        .set({ status: 'failed' })
        .where('status', '=', 'queued')
        .execute();
    });
    return { directory, mailbox, clock, bus, events, outbox, make };
  };

  /** A reply queued by an agent, as the email service writes it; attachments' files written. */
  const queueReply = async (
    o: { mailbox: MailboxTransport; clock: ManualClock },
    over: {
      to?: StoredAddress[];
      bcc?: StoredAddress[];
      files?: { name: string; type: string; bytes?: Buffer; cid?: string }[];
    } = {},
  ) => {
    const db = database.db;
    const now = o.clock.now();
    const thread = await db
      .insertInto('email_threads')
      .values({
        workspace_id: ws.workspaceId,
        campaign_id: ws.campaignId,
        token: randomUUID().slice(0, 8),
        subject: 'Where is my order?',
        created_at: now,
        last_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const entry = await db
      .insertInto('queue_entries')
      .values({
        workspace_id: ws.workspaceId,
        campaign_id: ws.campaignId,
        kind: 'email',
        label: CUSTOMER.address,
        priority: 0,
        enqueued_at: now,
        state: 'wrapping',
        agent_id: ws.agentId,
        state_since: now,
        email_thread_id: thread.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = randomUUID();
    const messageId = `${id}@parley.test`;
    await db
      .insertInto('email_messages')
      .values({
        id,
        workspace_id: ws.workspaceId,
        thread_id: thread.id,
        mailbox_id: o.mailbox.id,
        direction: 'out',
        message_id: messageId,
        in_reply_to: 'order-7@example.test',
        refs: ['root-1@example.test', 'order-7@example.test'],
        from_name: 'Parley Support',
        from_address: o.mailbox.address,
        to_addrs: JSON.stringify(over.to ?? [CUSTOMER]),
        bcc_addrs: JSON.stringify(over.bcc ?? []),
        subject: 'Re: Where is my order?',
        body_text: 'Hello Casey, it left today.',
        body_html: '<p>Hello Casey, it <b>left today</b>.</p><img src="cid:logo@parley.test">',
        status: 'queued',
        entry_id: entry.id,
        agent_id: ws.agentId,
        agent_name: 'Alex Agent',
        next_attempt_at: now,
        created_at: now,
      })
      .execute();
    for (const f of over.files ?? []) {
      const a = await db
        .insertInto('email_attachments')
        .values({
          workspace_id: ws.workspaceId,
          message_id: id,
          name: f.name,
          content_type: f.type,
          size: f.bytes?.length ?? 0,
          content_id: f.cid ?? null,
          inline: f.cid !== undefined,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (f.bytes) writeFileSync(path.join(attachmentsDir, a.id), f.bytes);
    }
    return { id, messageId, entryId: entry.id };
  };

  const row = (id: string) =>
    database.db.selectFrom('email_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const event = (events: DomainEvent[], type: DomainEvent['type']) => events.find((e) => e.type === type);

  test('a reply reaches the customer threaded, with its files; Bcc unseen; sent is recorded', async (t) => {
    const o = await outboxFor(t);
    const reply = await queueReply(o, {
      bcc: [{ name: 'The Boss', address: 'boss@example.test' }],
      files: [
        { name: 'invoice.pdf', type: 'application/pdf', bytes: PDF },
        { name: 'logo.png', type: 'image/png', bytes: PNG, cid: '<logo@parley.test>' },
      ],
    });
    o.outbox.start();
    await until(() => event(o.events, 'email.sent') !== undefined, 'email.sent');

    const got = await mail.waitForMessage(
      'customer@example.test',
      (m) => m.messageId === `<${reply.messageId}>`,
    );
    assert.equal(got.inReplyTo, '<order-7@example.test>');
    assert.deepEqual(got.references, ['<root-1@example.test>', '<order-7@example.test>']);
    assert.equal(got.from, 'support@parley.test');
    assert.equal(got.subject, 'Re: Where is my order?');
    assert.match(got.headers.get('from')?.join() ?? '', /^"?Parley Support"? <support@parley\.test>$/);
    assert.equal(got.headers.get('bcc'), undefined);
    const source = got.source.toString();
    assert.match(source, /Content-Disposition: attachment; filename=invoice\.pdf/);
    assert.ok(source.includes(PDF.toString('base64').slice(0, 20)), 'the PDF is in it');
    assert.match(source, /Content-ID: <logo@parley\.test>/);
    assert.match(source, /Content-Disposition: inline; filename=logo\.png/);
    assert.match(source, /Content-Type: text\/html/);
    assert.match(source, /Content-Type: text\/plain/);
    // The envelope's MAIL FROM is the mailbox (Postfix writes it as Return-Path).
    assert.deepEqual(got.headers.get('return-path'), ['<support@parley.test>']);
    const bcc = await mail.waitForMessage('boss@example.test', (m) => m.messageId === `<${reply.messageId}>`);
    assert.equal(bcc.headers.get('bcc'), undefined);

    const r = await row(reply.id);
    assert.equal(r.status, 'sent');
    assert.equal(r.error, null);
    assert.equal(r.attempts, 0);
    assert.deepEqual(r.sent_at, o.clock.now());
    assert.deepEqual(event(o.events, 'email.sent'), {
      type: 'email.sent',
      workspaceId: ws.workspaceId,
      entryId: reply.entryId,
      kind: 'email',
      userId: ws.agentId,
      messageId: reply.id,
      to: ['customer@example.test', 'boss@example.test'],
    });
  });

  test('a recipient the server refuses (5xx) fails the message with its reason, at once', async (t) => {
    const o = await outboxFor(t);
    const reply = await queueReply(o, { to: [{ name: 'Nobody', address: 'nobody@example.test' }] });
    o.outbox.start();
    await until(() => event(o.events, 'email.failed') !== undefined, 'email.failed');
    const r = await row(reply.id);
    assert.equal(r.status, 'failed');
    assert.equal(r.attempts, 1);
    assert.match(
      r.error ?? '',
      /^127\.0\.0\.1:\d+ refused the message: 550 5\.1\.1 <nobody@example\.test>: Recipient address rejected/,
    );
    assert.deepEqual(event(o.events, 'email.failed'), {
      type: 'email.failed',
      workspaceId: ws.workspaceId,
      entryId: reply.entryId,
      kind: 'email',
      userId: ws.agentId,
      messageId: reply.id,
      subject: 'Re: Where is my order?',
      error: r.error,
      bounced: false,
    });
  });

  test('with the server down the message waits one backoff, then goes once the server is back', async (t) => {
    const port = await closedPort();
    const o = await outboxFor(t, { port });
    const reply = await queueReply(o);
    const queuedAt = o.clock.now().getTime();
    o.outbox.start();
    let r = await row(reply.id);
    await until(
      () => r.attempts === 1,
      'the first attempt',
      15_000,
      async () => {
        r = await row(reply.id);
      },
    );
    assert.equal(r.status, 'queued');
    assert.equal(r.next_attempt_at?.getTime(), queuedAt + 60_000);
    assert.match(r.error ?? '', new RegExp(`^Cannot send through 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    assert.equal(o.events.length, 0);

    // Not before its time.
    o.clock.advance(30_000);
    await o.clock.settled();
    assert.equal((await row(reply.id)).attempts, 1);

    // The server comes back on its port (a relay to Postfix's submission port), and the time comes.
    const relay = net.createServer((client) => {
      const upstream = net.connect(mail.submission.port, mail.submission.host);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => relay.close(resolve)));
    o.clock.advance(30_000);
    await o.clock.settled();
    r = await row(reply.id);
    assert.equal(r.status, 'sent');
    assert.equal(r.attempts, 1);
    assert.equal(r.error, null);
    await mail.waitForMessage('customer@example.test', (m) => m.messageId === `<${reply.messageId}>`);
    assert.equal(o.events.filter((e) => e.type === 'email.sent').length, 1);
  });

  test('after the last retry the message fails: "Gave up after N attempts"', async (t) => {
    const port = await closedPort();
    const o = await outboxFor(t, { port }, [1000]);
    const reply = await queueReply(o);
    o.outbox.start();
    let r = await row(reply.id);
    await until(
      () => r.attempts === 1,
      'the first attempt',
      15_000,
      async () => {
        r = await row(reply.id);
      },
    );
    o.clock.advance(1000);
    await o.clock.settled();
    r = await row(reply.id);
    assert.equal(r.status, 'failed');
    assert.equal(r.attempts, 2);
    assert.match(r.error ?? '', /^Gave up after 2 attempts: Cannot send through .*ECONNREFUSED/);
    const failed = event(o.events, 'email.failed');
    assert.ok(failed?.type === 'email.failed' && failed.error === r.error && !failed.bounced);
  });

  test('a file gone from the disk fails the message for good', async (t) => {
    const o = await outboxFor(t);
    const reply = await queueReply(o, { files: [{ name: 'lost.pdf', type: 'application/pdf' }] });
    o.outbox.start();
    await until(() => event(o.events, 'email.failed') !== undefined, 'email.failed');
    const r = await row(reply.id);
    assert.equal(r.status, 'failed');
    assert.equal(r.error, 'The attachment "lost.pdf" is missing from the server\'s files');
  });

  test('two outboxes (two processes) send a message once', async (t) => {
    const o = await outboxFor(t);
    const second = o.make();
    const reply = await queueReply(o);
    o.outbox.start();
    second.start();
    await until(() => event(o.events, 'email.sent') !== undefined, 'email.sent');
    await Promise.all([o.outbox.stop(), second.stop()]);
    assert.equal(o.events.filter((e) => e.type === 'email.sent').length, 1);
    assert.equal((await row(reply.id)).status, 'sent');
  });
});
