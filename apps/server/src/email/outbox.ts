import { access } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Selectable } from 'kysely';
import nodemailer from 'nodemailer';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EmailMessagesTable, StoredSmtp } from '../db/schema.js';
import type { EventBus } from '../events.js';
import type { MailboxDirectory, MailboxTransport } from './email-ports.js';

export interface OutboxDeps {
  db: Db;
  directory: MailboxDirectory;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Attachment files are `path.join(attachmentsDir, attachmentId)`. */
  attachmentsDir: string;
  /** The pause before each retry of a temporary failure; after the last, the message fails. */
  backoffMs?: number[];
}

type OutRow = Selectable<EmailMessagesTable>;
type SmtpSettings = NonNullable<MailboxTransport['smtp']>;
/** What nodemailer says of a message the server took. */
type SentInfo = { accepted: unknown[]; rejected: unknown[]; messageId?: string };
type Transport = ReturnType<typeof nodemailer.createTransport>;
type MailOptions = Parameters<Transport['sendMail']>[0];

const DEFAULT_BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 4 * 60 * 60_000];
/** The outbox looks for due messages at least this often, besides kick(). */
const POLL_MS = 30_000;
/** A claimed message is the claimer's this long: another process sends it only after that. */
const LEASE_MS = 5 * 60_000;
/** Messages sent at once. */
const BATCH = 4;
const SMTP_TIMEOUT_MS = 30_000;
/** How long stop() waits for the sends in flight. */
const STOP_BOUND_MS = 15_000;

/** A failure no retry can mend: no mailbox, a file gone, a 5xx reply. */
class PermanentFailure extends Error {}

/** `<id>` for a bare id; an id stored with its brackets keeps them. */
const bracketed = (id: string) => (id.startsWith('<') ? id : `<${id}>`);

/** Permanent or not, and what the agent reads: the server's own words where there are some. */
function classify(err: unknown, smtp: StoredSmtp | null): { permanent: boolean; reason: string } {
  if (err instanceof PermanentFailure) return { permanent: true, reason: err.message };
  const e = (err instanceof Error ? err : new Error(String(err))) as Error & {
    code?: string;
    responseCode?: number;
    response?: string;
  };
  const server = smtp ? `${smtp.host}:${smtp.port}` : 'the SMTP server';
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) {
    const said = e.response ?? e.message;
    const what =
      e.code === 'EAUTH'
        ? `${server} refused the login`
        : `${server} ${e.responseCode >= 500 ? 'refused' : 'deferred'} the message`;
    return { permanent: e.responseCode >= 500, reason: `${what}: ${said}` };
  }
  return { permanent: false, reason: `Cannot send through ${server}: ${e.message}` };
}

function transportOptions(smtp: SmtpSettings) {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.user && { auth: { user: smtp.user, pass: smtp.password } }),
    tls: { rejectUnauthorized: smtp.verifyCertificate },
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  };
}

/**
 * Sends the agents' emails (rows of email_messages going out, queued) through their mailbox's
 * SMTP server: a few at a time, oldest first, each claimed first (a lease on next_attempt_at) so
 * two processes never send one twice. A temporary failure (4xx, the server unreachable) is retried
 * after a growing pause; a permanent one (5xx, no mailbox, a file gone) fails the message with the
 * server's reason, shown on the interaction.
 */
export class Outbox {
  private readonly backoffMs: number[];
  private readonly transports = new Map<string, { key: string; transport: Transport }>();
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private stopped = false;
  private cancelPoll: (() => void) | undefined;

  constructor(private readonly deps: OutboxDeps) {
    this.backoffMs = deps.backoffMs ?? DEFAULT_BACKOFF_MS;
  }

  start(): void {
    this.started = true;
    this.kick();
  }

  /** A message was queued: look now (or right after the round in progress). */
  kick(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.cancelPoll?.();
    this.cancelPoll = undefined;
    this.running = this.loop().finally(() => {
      this.running = undefined;
      // A kick that came as the round was ending.
      if (this.again) this.kick();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelPoll?.();
    this.cancelPoll = undefined;
    const running = this.running;
    if (running)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STOP_BOUND_MS);
        timer.unref();
        void running.finally(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    for (const { transport } of this.transports.values()) transport.close();
    this.transports.clear();
  }

  /** Rounds of sending until nothing is due, then a timer for the next due message (or the poll). */
  private async loop(): Promise<void> {
    for (;;) {
      await this.sendDue();
      const delay = await this.nextDelay();
      if (this.stopped) return;
      if (this.again) continue;
      this.cancelPoll = this.deps.clock.setTimer(delay, () => {
        this.cancelPoll = undefined;
        this.kick();
        return this.running;
      });
      return;
    }
  }

  /** Until the next retry falls due, at most POLL_MS. */
  private async nextDelay(): Promise<number> {
    try {
      const next = await this.deps.db
        .selectFrom('email_messages')
        .where('direction', '=', 'out')
        .where('status', '=', 'queued')
        .select((eb) => eb.fn.min('next_attempt_at').as('at'))
        .executeTakeFirst();
      const at = next?.at ? new Date(next.at).getTime() : Number.POSITIVE_INFINITY;
      return Math.max(0, Math.min(POLL_MS, at - this.deps.clock.now().getTime()));
    } catch {
      return POLL_MS;
    }
  }

  private due() {
    const now = this.deps.clock.now();
    return this.deps.db
      .selectFrom('email_messages')
      .where('direction', '=', 'out')
      .where('status', '=', 'queued')
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]));
  }

  private async sendDue(): Promise<void> {
    do {
      this.again = false;
      try {
        for (;;) {
          const rows = await this.due()
            .select('id')
            .orderBy('created_at')
            .orderBy('id')
            .limit(BATCH)
            .execute();
          await Promise.all(rows.map((r) => this.claimAndSend(r.id)));
          if (rows.length < BATCH || this.stopped) break;
        }
      } catch (err) {
        this.deps.log.error({ err }, 'email: the outbox cannot read the queued messages');
      }
    } while (this.again && !this.stopped);
  }

  private async claimAndSend(id: string): Promise<void> {
    const now = this.deps.clock.now();
    const row = await this.deps.db
      .updateTable('email_messages')
      .set({ next_attempt_at: new Date(now.getTime() + LEASE_MS) })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]))
      .returningAll()
      .executeTakeFirst();
    if (!row) return; // Another process claimed it first.
    let mailbox: MailboxTransport | undefined;
    let info: SentInfo;
    try {
      mailbox = row.mailbox_id ? await this.deps.directory.get(row.mailbox_id) : undefined;
      if (!mailbox) throw new PermanentFailure('The mailbox this email is sent from no longer exists');
      const { smtp } = mailbox;
      if (!smtp) throw new PermanentFailure(`The mailbox ${mailbox.address} has no SMTP server to send with`);
      info = await this.transport(mailbox.id, smtp).sendMail(await this.message(row, mailbox));
    } catch (err) {
      await this.failed(row, classify(err, mailbox?.smtp ?? null)).catch((e: unknown) =>
        this.deps.log.error({ err: e, messageId: row.id }, 'email: the outbox cannot record a failure'),
      );
      return;
    }
    // Sent: a database failure now is not a failure to send (the lease keeps it from going twice
    // for a while; after the lease it would go again).
    await this.sent(row, info).catch((err: unknown) =>
      this.deps.log.error({ err, messageId: row.id }, 'email: sent, but the outbox cannot record it'),
    );
  }

  /** The mailbox's transport, made again when its settings changed. */
  private transport(mailboxId: string, smtp: SmtpSettings): Transport {
    const key = JSON.stringify(smtp);
    const known = this.transports.get(mailboxId);
    if (known?.key === key) return known.transport;
    known?.transport.close();
    const transport = nodemailer.createTransport(transportOptions(smtp));
    this.transports.set(mailboxId, { key, transport });
    return transport;
  }

  private async message(row: OutRow, mailbox: MailboxTransport): Promise<MailOptions> {
    const files = await this.deps.db
      .selectFrom('email_attachments')
      .selectAll()
      .where('message_id', '=', row.id)
      .orderBy('created_at')
      .execute();
    const attachments = [];
    for (const a of files) {
      const file = path.join(this.deps.attachmentsDir, a.id);
      await access(file).catch(() => {
        throw new PermanentFailure(`The attachment "${a.name}" is missing from the server's files`);
      });
      const cid = a.inline && a.content_id ? a.content_id.replace(/^<|>$/g, '') : undefined;
      attachments.push({
        filename: a.name,
        contentType: a.content_type,
        path: file,
        ...(cid && { cid, contentDisposition: 'inline' as const }),
      });
    }
    const recipients = [...row.to_addrs, ...row.cc_addrs, ...row.bcc_addrs].map((a) => a.address);
    if (recipients.length === 0) throw new PermanentFailure('The email has no recipient');
    return {
      from: { name: mailbox.displayName, address: mailbox.address },
      to: row.to_addrs,
      cc: row.cc_addrs,
      bcc: row.bcc_addrs,
      subject: row.subject,
      text: row.body_text,
      ...(row.body_html !== null && { html: row.body_html }),
      ...(row.message_id && { messageId: bracketed(row.message_id) }),
      ...(row.in_reply_to && { inReplyTo: bracketed(row.in_reply_to) }),
      ...(row.refs.length > 0 && { references: row.refs.map(bracketed) }),
      date: this.deps.clock.now(),
      attachments,
      envelope: { from: mailbox.address, to: recipients },
    };
  }

  private async sent(row: OutRow, info: SentInfo): Promise<void> {
    const addr = (a: unknown) => (typeof a === 'string' ? a : ((a as { address?: string }).address ?? ''));
    const accepted = info.accepted.map(addr);
    const rejected = info.rejected.map(addr);
    await this.deps.db
      .updateTable('email_messages')
      .set({
        status: 'sent',
        sent_at: this.deps.clock.now(),
        next_attempt_at: null,
        // Some recipients refused while others took it: sent, with who did not get it.
        error: rejected.length > 0 ? `Refused by the server for ${rejected.join(', ')}` : null,
        ...(!row.message_id && info.messageId && { message_id: info.messageId.replace(/^<|>$/g, '') }),
      })
      .where('id', '=', row.id)
      .execute();
    if (row.entry_id)
      this.deps.bus.publish({
        type: 'email.sent',
        workspaceId: row.workspace_id,
        entryId: row.entry_id,
        kind: 'email',
        ...(row.agent_id && { userId: row.agent_id }),
        messageId: row.id,
        to: accepted,
      });
  }

  private async failed(row: OutRow, failure: { permanent: boolean; reason: string }): Promise<void> {
    const attempts = row.attempts + 1;
    const pause = failure.permanent ? undefined : this.backoffMs[row.attempts];
    if (pause !== undefined) {
      this.deps.log.info({ messageId: row.id, attempts, reason: failure.reason }, 'email: send deferred');
      await this.deps.db
        .updateTable('email_messages')
        .set({
          attempts,
          error: failure.reason,
          next_attempt_at: new Date(this.deps.clock.now().getTime() + pause),
        })
        .where('id', '=', row.id)
        .execute();
      return;
    }
    const error = failure.permanent
      ? failure.reason
      : `Gave up after ${attempts} attempts: ${failure.reason}`;
    this.deps.log.warn({ messageId: row.id, attempts, error }, 'email: send failed');
    await this.deps.db
      .updateTable('email_messages')
      .set({ status: 'failed', attempts, error, next_attempt_at: null })
      .where('id', '=', row.id)
      .execute();
    if (row.entry_id)
      this.deps.bus.publish({
        type: 'email.failed',
        workspaceId: row.workspace_id,
        entryId: row.entry_id,
        kind: 'email',
        ...(row.agent_id && { userId: row.agent_id }),
        messageId: row.id,
        subject: row.subject,
        error,
        bounced: false,
      });
  }
}
