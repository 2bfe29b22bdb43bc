import { EMAIL_MAX_BYTES } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { Clock } from '../clock.js';
import type { StoredImap } from '../db/schema.js';
import type { InboundStore, MailboxDirectory, MailboxHealthState, MailboxTransport } from './email-ports.js';

export interface ImapReadersDeps {
  directory: MailboxDirectory;
  store: InboundStore;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Reconnect backoff: firstMs, doubling up to maxMs (1 s to 60 s by default). */
  retry?: { firstMs: number; maxMs: number };
}

type ImapSettings = StoredImap & { password: string };

/** How long stop() and a reconnect wait for a server to answer LOGOUT before dropping it. */
const LOGOUT_BOUND_MS = 3_000;
/** IDLE starts this soon after the last command, so new mail is seen at once. */
const AUTO_IDLE_MS = 1_000;
/** IDLE is broken and restarted this often: servers drop an IDLE left for 30 minutes. */
const MAX_IDLE_MS = 5 * 60_000;

/** Resolves when p does, or after ms of real time (never rejects): for shutdown steps. */
function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    p.then(
      () => resolve(),
      () => resolve(),
    ).finally(() => clearTimeout(timer));
  });
}

/** What the administrator reads when the connection fails: the server's words where there are some. */
export function describeImapError(err: unknown, settings: { host: string; port: number }): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: string; responseText?: string; authenticationFailed?: boolean };
  if (e.authenticationFailed)
    return `Login refused by ${settings.host}: ${e.responseText ?? e.message} (check the user and password)`;
  if (
    e.code &&
    /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ECONNRESET|CONNECT_TIMEOUT|GREETING_TIMEOUT)$/.test(
      e.code,
    )
  )
    return `Cannot connect to ${settings.host}:${settings.port}: ${e.message}`;
  // Dovecot adds its timings to a reply: "(0.001 + 0.000 secs)."
  const said = e.responseText?.replace(/\s*\([\d.]+ \+ [\d. +]+ secs\)\.?$/, '');
  return said ? said : e.message;
}

function clientOptions(s: ImapSettings): ImapFlowOptions {
  return {
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    doSTARTTLS: s.security === 'starttls',
    auth: { user: s.user, pass: s.password },
    tls: { rejectUnauthorized: s.verifyCertificate },
    logger: false,
    autoIdleDelay: AUTO_IDLE_MS,
    maxIdleTime: MAX_IDLE_MS,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
  };
}

/**
 * One mailbox's IMAP connection: connect, open the folder, drain it, idle, drain again on new
 * mail; on a failure, health 'error' and a reconnect after a growing pause.
 *
 * The drain's order is the whole idempotency story: a message is stored (committed) before it is
 * moved to the processed folder, and a failure anywhere leaves it in the folder. A crash between
 * the two leaves a message the store already has: the next drain stores nothing (a duplicate by
 * UID or Message-ID) and moves it.
 */
class MailboxReader {
  private client: ImapFlow | undefined;
  private closed = false;
  private failures = 0;
  private cancelRetry: (() => void) | undefined;
  private draining: Promise<void> | undefined;
  private drainAgain = false;
  private health: MailboxHealthState | undefined;

  constructor(
    readonly mailbox: MailboxTransport,
    private readonly settings: ImapSettings,
    private readonly deps: ImapReadersDeps,
  ) {}

  start(): void {
    void this.connect();
  }

  /** Logs out and stops for good; a drain in progress ends after the message in hand. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    const client = this.client;
    this.client = undefined;
    await bounded(Promise.all([this.draining, client && this.logout(client)]), LOGOUT_BOUND_MS * 2);
  }

  private async logout(client: ImapFlow): Promise<void> {
    await bounded(client.logout(), LOGOUT_BOUND_MS);
    client.close();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.cancelRetry = undefined;
    await this.setHealth('connecting', null);
    if (this.closed) return;
    const client = new ImapFlow(clientOptions(this.settings));
    this.client = client;
    let lastError: unknown;
    // Without a listener an 'error' event would end the process; 'close' follows it.
    client.on('error', (err: unknown) => {
      lastError = err;
    });
    client.on('close', () => this.lost(client, lastError ?? new Error('The server closed the connection')));
    client.on('exists', () => {
      if (this.client === client) this.drain();
    });
    try {
      await client.connect();
      await this.ensureFolder(client, this.settings.processedFolder);
      await client.mailboxOpen(this.settings.folder).catch((err: unknown) => {
        throw new Error(
          `Cannot open the folder "${this.settings.folder}": ${describeImapError(err, this.settings)}`,
          {
            cause: err,
          },
        );
      });
      if (this.client !== client) return;
      await this.setHealth('ok', null);
      this.drain();
    } catch (err) {
      this.lost(client, err);
    }
  }

  private async ensureFolder(client: ImapFlow, folder: string): Promise<void> {
    try {
      await client.mailboxCreate(folder);
    } catch (err) {
      // Servers that say "already exists" without the ALREADYEXISTS code.
      const folders = await client.list();
      if (!folders.some((f) => f.path === folder)) throw err;
    }
  }

  /** A connection failed or closed: once per client, health 'error' and a reconnect later. */
  private lost(client: ImapFlow, err: unknown): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    client.close();
    const message = describeImapError(err, this.settings);
    this.deps.log.warn({ mailboxId: this.mailbox.id, err }, 'email: IMAP connection failed');
    void this.setHealth('error', message);
    const { firstMs, maxMs } = this.deps.retry ?? { firstMs: 1_000, maxMs: 60_000 };
    const delay = Math.min(maxMs, firstMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    this.cancelRetry = this.deps.clock.setTimer(delay, () => this.connect());
  }

  /** Drains now, or once more after the drain in progress: never two at once. */
  private drain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drainLoop().finally(() => {
      this.draining = undefined;
      // New mail announced as the drain was ending.
      if (this.drainAgain && this.client) this.drain();
    });
  }

  private async drainLoop(): Promise<void> {
    do {
      this.drainAgain = false;
      const client = this.client;
      if (!client || this.closed) return;
      try {
        await this.drainOnce(client);
        if (this.client === client) {
          this.failures = 0;
          await this.setHealth('ok', null);
        }
      } catch (err) {
        // The message in hand stays in the folder; the next connection drains it again.
        this.lost(client, err);
      }
    } while (this.drainAgain);
  }

  private async drainOnce(client: ImapFlow): Promise<void> {
    const box = client.mailbox;
    if (!box || box.exists === 0) return;
    const uids = await client.search({ all: true }, { uid: true });
    if (!uids) throw new Error(`Cannot list the messages of ${this.settings.folder}`);
    const uidValidity = Number(box.uidValidity);
    for (const uid of [...uids].sort((a, b) => a - b)) {
      if (this.closed || this.client !== client) return;
      const raw = await this.download(client, uid);
      if (!raw) continue; // Expunged by someone else meanwhile.
      try {
        await this.deps.store.store(this.mailbox.id, raw, { uidValidity, uid });
      } catch (err) {
        throw new Error(`Cannot store a message: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
      // Stopped while storing (a shutdown): the message stays, and the next start moves it.
      if (this.closed || this.client !== client) return;
      const moved = await client.messageMove(String(uid), this.settings.processedFolder, { uid: true });
      if (!moved) throw new Error(`Cannot move a message to ${this.settings.processedFolder}`);
    }
  }

  /**
   * The message's source, at most EMAIL_MAX_BYTES of it: a larger message is passed cut at the
   * limit, and the store records it as too large (with what its headers say) rather than lose it.
   */
  private async download(client: ImapFlow, uid: number): Promise<Buffer | undefined> {
    const { content } = await client.download(String(uid), undefined, {
      uid: true,
      maxBytes: EMAIL_MAX_BYTES,
    });
    if (!content) return undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    // Read to the end (imapflow already stops fetching at maxBytes) so the connection stays in step.
    for await (const chunk of content as AsyncIterable<Buffer>) {
      const room = EMAIL_MAX_BYTES - size;
      if (room <= 0) continue;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(room, chunk.length);
    }
    return Buffer.concat(chunks, size);
  }

  private async setHealth(state: MailboxHealthState, error: string | null): Promise<void> {
    if (this.closed || (state === this.health && state !== 'error')) return;
    this.health = state;
    try {
      await this.deps.directory.setHealth(this.mailbox.id, state, error);
    } catch (err) {
      this.deps.log.warn({ mailboxId: this.mailbox.id, err }, 'email: cannot record the mailbox health');
    }
  }
}

/**
 * The IMAP side of inbound email: one reader per enabled IMAP mailbox, each moving what it stores
 * out of the folder it reads.
 */
export class ImapReaders {
  private readonly readers = new Map<string, MailboxReader>();
  /** start, reload and stop one after another, so a mailbox never gets two readers. */
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: ImapReadersDeps) {}

  start(): Promise<void> {
    return this.serial(() => this.reloadAll());
  }

  /** Reconnects one mailbox (its settings changed) or every mailbox. */
  reload(mailboxId?: string): Promise<void> {
    return this.serial(() => (mailboxId ? this.reloadOne(mailboxId) : this.reloadAll()));
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.serial(async () => {
      const readers = [...this.readers.values()];
      this.readers.clear();
      await Promise.all(readers.map((r) => r.close()));
    });
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch((err: unknown) => {
      this.deps.log.error({ err }, 'email: reloading the IMAP mailboxes failed');
    });
    return next;
  }

  private async reloadAll(): Promise<void> {
    if (this.stopped) return;
    const mailboxes = await this.deps.directory.imapMailboxes();
    const wanted = new Set(mailboxes.map((m) => m.id));
    await Promise.all(
      [...this.readers.keys()].filter((id) => !wanted.has(id)).map((id) => this.closeReader(id, true)),
    );
    await Promise.all(mailboxes.map((m) => this.replace(m.id, m)));
  }

  private async reloadOne(id: string): Promise<void> {
    if (this.stopped) return;
    await this.replace(id, await this.deps.directory.get(id));
  }

  private async replace(id: string, mailbox: MailboxTransport | undefined): Promise<void> {
    const reading = mailbox?.enabled && mailbox.inbound === 'imap' && mailbox.imap ? mailbox.imap : undefined;
    await this.closeReader(id, mailbox !== undefined && !reading);
    if (!mailbox || !reading) return;
    const reader = new MailboxReader(mailbox, reading, this.deps);
    this.readers.set(id, reader);
    reader.start();
  }

  private async closeReader(id: string, markOff: boolean): Promise<void> {
    const reader = this.readers.get(id);
    this.readers.delete(id);
    await reader?.close();
    if (reader && markOff) await this.deps.directory.setHealth(id, 'off', null).catch(() => undefined);
  }
}
