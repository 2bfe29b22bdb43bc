import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '@parley/client';
import { type AgentEmailView, EMAIL_ATTACHMENT_MAX_BYTES, type InteractionSummary } from '@parley/contract';
import type { ImapFlow } from 'imapflow';
import { openDatabase } from '../src/db/database.js';
import { createStore, storeEnv, type TestStore } from '../src/db/test-store.js';
import { CENTRE_DOMAIN, CUSTOMER_DOMAIN, type MailServers, startMailServers } from './mail-servers.js';

/**
 * Issue #19 item 7, against real Dovecot and Postfix and the real server process (src/main.ts):
 * a server killed (SIGKILL) in the middle of reading its mailbox loses and doubles nothing; a
 * 25 MB message and broken MIME become stored, queued interactions, and the reader goes on.
 */

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PASSWORD = 'crash-test-password-19';
const SUPPORT = `support@${CENTRE_DOMAIN}`;
const CUSTOMER = `customer@${CUSTOMER_DOMAIN}`;
/** This run's Message-IDs: `<name.RUN@example.test>`. */
const RUN = randomBytes(4).toString('hex');

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until `get` gives something (never a fixed wait for a state). */
async function eventually<T>(
  what: string,
  get: () => Promise<T | undefined>,
  ms = 60_000,
  every = 50,
  detail: () => string = () => '',
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await get();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await sleep(every);
  }
}

interface ServerProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The end of what it printed, for failure messages. */
  output(): string;
  /** Its HTTP address, once it listens. */
  url(): Promise<string>;
}

/** The server as its own process over the store, as `npm start` runs it. */
function spawnServer(store: TestStore): ServerProcess {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      ...storeEnv(store),
      PORT: '0',
      HOST: '127.0.0.1',
      SIP_PORT: '0',
      SIP_ADDRESS: '127.0.0.1',
      ROLES: 'api,realtime,acd',
      DEMO_PASSWORD: PASSWORD,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const url = () =>
    eventually(
      'the server to listen',
      async () => {
        if (gone) throw new Error(`the server exited before listening:\n${out.slice(-5000)}`);
        const port = /Parley is running: http:\/\/localhost:(\d+)\//.exec(out)?.[1];
        return port ? `http://127.0.0.1:${port}` : undefined;
      },
      90_000,
      50,
      () => out.slice(-5000),
    );
  return { child, exited, output: () => out.slice(-5000), url };
}

async function signIn(url: string): Promise<HttpClient> {
  const client = new HttpClient({ baseUrl: url, manageCookies: true });
  await client.login({ username: 'admin', password: PASSWORD });
  return client;
}

function email(o: {
  fromName: string;
  subject: string;
  messageId: string;
  body: string;
  head?: string[];
}): string {
  return [
    `From: ${o.fromName} <${CUSTOMER}>`,
    `To: ${SUPPORT}`,
    `Subject: ${o.subject}`,
    `Message-ID: <${o.messageId}>`,
    'Date: Mon, 07 Dec 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    ...(o.head ?? ['Content-Type: text/plain; charset=utf-8']),
    '',
    o.body,
    '',
  ].join('\r\n');
}

const base64Lines = (bytes: Buffer) => bytes.toString('base64').replace(/.{76}/g, '$&\r\n');

describe('email: a killed server loses and doubles nothing; a 25 MB message and broken MIME are handled (#19)', () => {
  let mail: MailServers;
  let store: TestStore;
  let workspaceId: string;
  let campaignId: string;
  let mailboxId: string;
  /** The server process now running, if any. */
  let running: ServerProcess | undefined;
  /** A connection to the support mailbox for watching its folders (STATUS). */
  let watcher: ImapFlow;

  const count = async (folder: string): Promise<number> => {
    const status = await watcher.status(folder, { messages: true });
    if (!status) throw new Error(`no STATUS for ${folder}`);
    return status.messages ?? 0;
  };

  const stopServer = async (signal: 'SIGTERM' | 'SIGKILL') => {
    const p = running;
    running = undefined;
    if (!p) return;
    p.child.kill(signal);
    const end = await p.exited;
    if (signal === 'SIGTERM') assert.equal(end.code, 0, `the server stopped cleanly:\n${p.output()}`);
  };

  /** The server now running (started if none is), and an administrator signed in to it. */
  const server = async (): Promise<{ url: string; admin: HttpClient }> => {
    running ??= spawnServer(store);
    const url = await running.url();
    return { url, admin: await signIn(url) };
  };

  /** The email interactions of the Support Email campaign, by their label (the sender's name). */
  const interactions = async (admin: HttpClient): Promise<InteractionSummary[]> =>
    (await admin.interactions(workspaceId, { campaignId, limit: '500' })).filter((i) => i.kind === 'email');

  /** The interaction queued for a sender (its label), once there is one: its email view. */
  const queuedFrom = async (admin: HttpClient, label: string, ms = 60_000): Promise<AgentEmailView> => {
    const found = await eventually(
      `an interaction from ${label}`,
      async () => (await interactions(admin)).find((i) => i.label === label),
      ms,
      100,
      () => `${running?.output() ?? ''}\n${mail.logs()}`,
    );
    assert.equal(found.state, 'waiting', `${label}: waiting in the queue`);
    return admin.email(found.id);
  };

  /** Reads the store with the server stopped (PGlite has one owner at a time). */
  const readStore = async <T>(
    read: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>,
  ): Promise<T> => {
    const database = await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl });
    try {
      return await read(database.db);
    } finally {
      await database.close();
    }
  };

  before(async () => {
    mail = await startMailServers({ users: [SUPPORT, CUSTOMER] });
    store = await createStore();
    const { admin } = await server();
    const session = await admin.session();
    workspaceId = session.workspace.id;
    const campaign = (await admin.campaigns(workspaceId).list()).find((c) => c.name === 'Support Email');
    assert.ok(campaign, 'the demo workspace has an email campaign');
    campaignId = campaign.id;
    const login = mail.user(SUPPORT);
    const mailbox = await admin.emailMailboxes(workspaceId).create({
      name: 'Support (IMAP)',
      campaignId,
      address: SUPPORT,
      inbound: 'imap',
      imap: {
        host: mail.imap.host,
        port: mail.imap.port,
        security: 'none',
        user: login.user,
        password: login.password,
        processedFolder: 'Processed',
      },
    });
    mailboxId = mailbox.id;
    await eventually('the mailbox connected', async () => {
      const m = await admin.emailMailboxes(workspaceId).get(mailboxId);
      return m.health.state === 'ok' ? m : undefined;
    });
    watcher = await mail.connect(SUPPORT);
    // The reader made it on connecting.
    assert.equal(await count('Processed'), 0);
  });

  after(async () => {
    if (running) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    await watcher?.logout().catch(() => watcher.close());
    await store?.drop();
    await mail?.stop();
  });

  test('killed (SIGKILL) again and again while draining the inbox: every message stored once, queued once, moved', async (t) => {
    await stopServer('SIGTERM');
    // 40 messages, three of them delivered a second time (the same Message-ID) later on.
    const N = 40;
    const pad = (i: number) => String(i).padStart(2, '0');
    const raw = (i: number) =>
      email({
        fromName: `Crash ${pad(i)}`,
        subject: `Crash test ${pad(i)}`,
        messageId: `crash-${pad(i)}.${RUN}@${CUSTOMER_DOMAIN}`,
        body: `Message ${pad(i)} of the crash test.`,
      });
    const again = new Map([
      [12, 3],
      [26, 17],
      [35, 29],
    ]);
    const order: number[] = [];
    for (let i = 1; i <= N; i++) {
      order.push(i);
      const twice = again.get(i);
      if (twice) order.push(twice);
    }
    const started = Date.now();
    for (const i of order) await mail.deliver(raw(i), { from: CUSTOMER, to: [SUPPORT] });
    assert.equal(await count('INBOX'), order.length);
    t.diagnostic(`${order.length} messages delivered in ${Date.now() - started} ms`);

    // Each round starts the server and kills it at another moment of a message's store and move:
    // as soon as one more message is stored (read in PostgreSQL; with PGlite, whose files the server
    // holds, as soon as the API shows one more interaction), which is before its move; or a part of
    // a message's time after the mailbox shows `step` more moved.
    type Moment = { by: 'stored' } | { by: 'moved'; step: number; fraction: number };
    // Three rounds: each restarts the server process, and the suite's time is shared.
    const moments: Moment[] = [{ by: 'stored' }, { by: 'moved', step: 1, fraction: 0.6 }, { by: 'stored' }];
    /** How long one message takes from move to move, as seen so far. */
    let perMessage = 40;
    const kills: string[] = [];
    let windowHits = 0;
    for (const [round, moment] of moments.entries()) {
      if ((await count('INBOX')) <= 3) break;
      const moved = await count('Processed');
      // PostgreSQL is read beside the server (opened first: it is migrated already).
      const beside =
        moment.by === 'stored' && store.databaseUrl
          ? await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl })
          : undefined;
      const roundStart = Date.now();
      let how = '';
      let killedAt = 0;
      try {
        running = spawnServer(store);
        const proc = running;
        if (moment.by === 'stored') {
          let stored: () => Promise<number>;
          if (beside) {
            stored = async () =>
              Number(
                (
                  await beside.db
                    .selectFrom('email_messages')
                    .select((eb) => eb.fn.countAll().as('n'))
                    .where('mailbox_id', '=', mailboxId)
                    .executeTakeFirstOrThrow()
                ).n,
              );
          } else {
            const admin = await signIn(await proc.url());
            stored = async () =>
              (await interactions(admin)).filter((i) => i.label.startsWith('Crash ')).length;
          }
          const seen = await stored();
          await eventually(
            `one more stored (round ${round + 1})`,
            async () => ((await stored()) > seen ? true : undefined),
            90_000,
            0,
            proc.output,
          );
          how = `once ${beside ? 'the database' : 'the API'} showed message ${seen + 1}`;
        } else {
          const times: number[] = [];
          let last = moved;
          await eventually(
            `${moment.step} more moved (round ${round + 1})`,
            async () => {
              const now = await count('Processed');
              if (now > last) times.push(Date.now());
              last = now;
              return now >= moved + moment.step ? true : undefined;
            },
            90_000,
            2,
            proc.output,
          );
          const first = times[0];
          const latest = times.at(-1);
          if (first !== undefined && latest !== undefined && times.length > 1)
            perMessage = (latest - first) / (times.length - 1);
          const lag = Math.round(moment.fraction * perMessage);
          if (lag > 0) await sleep(lag);
          how = `${lag} ms after the mailbox showed ${last - moved} more moved`;
        }
        await stopServer('SIGKILL');
        killedAt = Date.now();
      } finally {
        await beside?.close();
      }

      // What the kill left: messages stored but still in the inbox (killed between the store and
      // the move), and stored but not queued (killed between the two).
      const inbox = await mail.messages(SUPPORT, 'INBOX');
      const rows = await readStore((db) =>
        db
          .selectFrom('email_messages as m')
          .leftJoin('queue_entries as q', 'q.email_message_id', 'm.id')
          .select(['m.imap_uid', 'q.id as entry'])
          .where('m.mailbox_id', '=', mailboxId)
          .execute(),
      );
      const inInbox = new Set(inbox.map((m) => m.uid));
      const storedNotMoved = rows.filter(
        (r) => r.imap_uid !== null && inInbox.has(Number(r.imap_uid)),
      ).length;
      const storedNotQueued = rows.filter((r) => r.entry === null).length;
      if (storedNotMoved > 0) windowHits++;
      kills.push(
        `kill ${round + 1}, ${how}: ` +
          `${rows.length} stored, ${inbox.length} in the inbox, ${storedNotMoved} stored but not moved, ` +
          `${storedNotQueued} stored but not queued (killed ${killedAt - roundStart} ms after the start, ` +
          `looked at in ${Date.now() - killedAt} ms)`,
      );
    }
    for (const k of kills) t.diagnostic(k);
    t.diagnostic(
      windowHits > 0
        ? `${windowHits} of ${kills.length} kills landed between a message's store and its move`
        : `none of ${kills.length} kills landed between a store and its move (the reader's unit test covers that moment)`,
    );
    assert.ok(kills.length >= 3, `the server was killed mid-drain ${kills.length} times`);

    // The last start drains what is left.
    const { admin } = await server();
    await eventually(
      'the inbox drained',
      async () =>
        (await count('INBOX')) === 0 && (await count('Processed')) === order.length ? true : undefined,
      120_000,
      100,
      () => running?.output() ?? '',
    );
    const processed = await mail.messages(SUPPORT, 'Processed');
    assert.deepEqual(
      processed.map((m) => m.subject).sort(),
      order.map((i) => `Crash test ${pad(i)}`).sort(),
      'every delivery is in the processed folder, none twice',
    );

    // The queue, as an administrator sees it: one interaction per distinct message.
    const labels = (await interactions(admin))
      .filter((i) => i.label.startsWith('Crash '))
      .map((i) => i.label);
    assert.deepEqual(
      labels.sort(),
      Array.from({ length: N }, (_, k) => `Crash ${pad(k + 1)}`),
      'each message queued exactly once',
    );
    for (const i of (await interactions(admin)).filter((x) => x.label.startsWith('Crash '))) {
      const view = await admin.email(i.id);
      const n = i.label.slice('Crash '.length);
      assert.equal(view.message?.subject, `Crash test ${n}`);
      assert.equal(view.message?.text, `Message ${n} of the crash test.`);
      assert.equal(view.message?.error, null);
    }

    // And in the database: one row per Message-ID, one queue entry per row, the row naming it.
    await stopServer('SIGTERM');
    const stored = await readStore(async (db) => ({
      messages: await db
        .selectFrom('email_messages')
        .select(['id', 'message_id', 'entry_id'])
        .where('mailbox_id', '=', mailboxId)
        .where('message_id', 'like', `crash-%.${RUN}@%`)
        .execute(),
      entries: await db
        .selectFrom('queue_entries')
        .select(['id', 'email_message_id'])
        .where('campaign_id', '=', campaignId)
        .where('kind', '=', 'email')
        .execute(),
    }));
    assert.deepEqual(
      stored.messages.map((m) => m.message_id).sort(),
      Array.from({ length: N }, (_, k) => `crash-${pad(k + 1)}.${RUN}@${CUSTOMER_DOMAIN}`),
      'each Message-ID stored once',
    );
    for (const m of stored.messages) {
      const entries = stored.entries.filter((e) => e.email_message_id === m.id);
      assert.equal(entries.length, 1, `${m.message_id}: one queue entry`);
      assert.equal(m.entry_id, entries[0]?.id, `${m.message_id}: the message names its interaction`);
    }
  });

  test('a 25 MB attachment is kept whole; one over 25 MiB is noted, not kept; the server answers meanwhile', async (t) => {
    const { url, admin } = await server();
    // 25,000,000 bytes (under EMAIL_ATTACHMENT_MAX_BYTES, 25 MiB) and one just over it.
    const kept = randomBytes(25_000_000);
    const over = randomBytes(EMAIL_ATTACHMENT_MAX_BYTES + 1024);
    const big = (name: string, file: string, bytes: Buffer) =>
      email({
        fromName: name,
        subject: `${name}'s logs`,
        messageId: `${name.replace(/\W/g, '-')}.${RUN}@${CUSTOMER_DOMAIN}`,
        head: ['Content-Type: multipart/mixed; boundary="big-one"'],
        body: [
          '--big-one',
          'Content-Type: text/plain; charset=utf-8',
          '',
          `${name} attaches the logs.`,
          '--big-one',
          `Content-Type: application/octet-stream; name="${file}"`,
          `Content-Disposition: attachment; filename="${file}"`,
          'Content-Transfer-Encoding: base64',
          '',
          base64Lines(bytes),
          '--big-one--',
        ].join('\r\n'),
      });

    // The server is asked how it is every 100 ms while it reads the big messages.
    let watching = true;
    const latencies: number[] = [];
    const failures: string[] = [];
    const pinger = (async () => {
      while (watching) {
        const start = Date.now();
        try {
          const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
          if (res.status !== 200) failures.push(`healthz ${res.status}`);
          await res.text();
        } catch (err) {
          failures.push(String(err));
        }
        latencies.push(Date.now() - start);
        await sleep(100);
      }
    })();

    try {
      const started = Date.now();
      const rawKept = big('Big Sender', 'logs.bin', kept);
      const rawOver = big('Bigger Sender', 'huge.bin', over);
      t.diagnostic(`messages of ${rawKept.length} and ${rawOver.length} bytes`);
      await mail.deliver(rawKept, { from: CUSTOMER, to: [SUPPORT] }, { timeoutMs: 120_000 });
      await mail.deliver(rawOver, { from: CUSTOMER, to: [SUPPORT] }, { timeoutMs: 120_000 });
      const delivered = Date.now();

      const first = await queuedFrom(admin, 'Big Sender', 120_000);
      const second = await queuedFrom(admin, 'Bigger Sender', 120_000);
      t.diagnostic(`delivered in ${delivered - started} ms, both queued ${Date.now() - delivered} ms later`);

      assert.equal(first.message?.text, 'Big Sender attaches the logs.');
      assert.equal(first.message?.error, null);
      assert.deepEqual(
        first.message?.attachments.map((a) => [a.name, a.size]),
        [['logs.bin', kept.length]],
      );
      const file = first.message?.attachments[0];
      assert.ok(file);
      const res = await admin.requestRaw('GET', admin.emailAttachmentPath(first.interactionId, file.id));
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment/);
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(body.length, kept.length);
      assert.equal(
        createHash('sha256').update(body).digest('hex'),
        createHash('sha256').update(kept).digest('hex'),
        'the file is the one sent',
      );

      // Over the limit: the text kept, the file listed in the error (contract: noted, not kept).
      assert.equal(second.message?.text, 'Bigger Sender attaches the logs.');
      assert.deepEqual(second.message?.attachments, []);
      assert.match(
        second.message?.error ?? '',
        /An attachment of 25 MB was not kept \(over the 25 MB limit\): huge\.bin/,
      );

      await eventually('the big messages moved', async () =>
        (await count('INBOX')) === 0 ? true : undefined,
      );
    } finally {
      watching = false;
      await pinger;
    }
    assert.deepEqual(failures, [], 'every health check answered');
    assert.ok(latencies.length > 0);
    const slowest = Math.max(...latencies);
    t.diagnostic(`${latencies.length} health checks meanwhile, the slowest ${slowest} ms`);
    assert.ok(slowest < 5_000, `the server kept answering (slowest health check ${slowest} ms)`);
  });

  test('broken MIME: each is a stored, queued interaction with a readable error and what could be read; the next mail is read', async (t) => {
    const { admin } = await server();
    const id = (name: string) => `${name}.${RUN}@${CUSTOMER_DOMAIN}`;
    const unclosed = email({
      fromName: 'Unclosed Boundary',
      subject: 'Cut short',
      messageId: id('unclosed'),
      head: ['Content-Type: multipart/mixed; boundary="never-closed"'],
      body: [
        '--never-closed',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The first part arrived.',
        '--never-closed',
        'Content-Type: application/pdf; name="cut.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQK',
      ].join('\r\n'),
    });
    const badBase64 = email({
      fromName: 'Bad Base64',
      subject: 'Garbled',
      messageId: id('base64'),
      head: ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
      body: 'SGVsbG8gd29ybGQ=!!*** this is not base64 ### at all ***',
    });
    const oddCharset = Buffer.from(
      email({
        fromName: 'Odd Charset',
        subject: 'Made up',
        messageId: id('charset'),
        head: ['Content-Type: text/plain; charset=x-made-up-charset', 'Content-Transfer-Encoding: 8bit'],
        body: 'Order 1234: Café crème',
      }),
      'utf8',
    );
    // Random bytes after a From header (no NUL: SMTP cannot carry it; Postfix would refuse it).
    let seed = 19;
    const junk = Buffer.alloc(16 * 1024).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >> 16) % 255 || 1;
    });
    const randomMail = Buffer.concat([
      Buffer.from(`From: Random Bytes <${CUSTOMER}>\r\nMessage-ID: <${id('random')}>\r\n`),
      junk,
    ]);
    for (const raw of [unclosed, badBase64, oddCharset, randomMail])
      await mail.deliver(raw, { from: CUSTOMER, to: [SUPPORT] });
    await mail.deliver(
      email({
        fromName: 'Good After',
        subject: 'All fine',
        messageId: id('good'),
        body: 'A normal message.',
      }),
      { from: CUSTOMER, to: [SUPPORT] },
    );

    // The good message after them is read as usual: the reader is not stuck on them.
    const good = await queuedFrom(admin, 'Good After');
    assert.equal(good.message?.subject, 'All fine');
    assert.equal(good.message?.text, 'A normal message.');
    assert.equal(good.message?.error, null);

    const cut = await queuedFrom(admin, 'Unclosed Boundary');
    assert.equal(cut.message?.subject, 'Cut short');
    assert.equal(cut.message?.text, 'The first part arrived.');
    assert.match(cut.message?.error ?? '', /\w{3,}/, `a readable error: ${cut.message?.error}`);

    const garbled = await queuedFrom(admin, 'Bad Base64');
    assert.equal(garbled.message?.subject, 'Garbled');
    assert.match(garbled.message?.text ?? '', /^Hello world/);
    assert.match(garbled.message?.error ?? '', /could not be decoded/);

    const odd = await queuedFrom(admin, 'Odd Charset');
    assert.equal(odd.message?.subject, 'Made up');
    assert.match(odd.message?.text ?? '', /Order 1234/);
    assert.match(odd.message?.error ?? '', /charset/i, `a readable error: ${odd.message?.error}`);

    const random = await queuedFrom(admin, 'Random Bytes');
    assert.equal(random.message?.from?.address, CUSTOMER);
    assert.ok(random.message?.error, 'a readable error');
    assert.doesNotMatch(random.message?.error ?? '', /[\uFFFD\p{Cc}]/u, `readable: ${random.message?.error}`);
    for (const view of [cut, garbled, odd, random])
      t.diagnostic(
        `${view.message?.from?.name}: error ${JSON.stringify(view.message?.error)}; ` +
          `text ${JSON.stringify(view.message?.text.slice(0, 40))}`,
      );

    await eventually('all moved to the processed folder', async () =>
      (await count('INBOX')) === 0 ? true : undefined,
    );
    const entries = (await interactions(admin)).filter((i) =>
      ['Unclosed Boundary', 'Bad Base64', 'Odd Charset', 'Random Bytes', 'Good After'].includes(i.label),
    );
    assert.equal(entries.length, 5, 'each queued once');
  });
});
