import { randomUUID } from 'node:crypto';
import type {
  ImapSource,
  InboundStore,
  MailboxDirectory,
  MailboxHealthState,
  MailboxTransport,
} from '../src/email/email-ports.js';
import type { MailServers, MailUser } from './mail-servers.js';

/**
 * In-memory stand-ins for the email role's ports, for testing the mail transports against the
 * real mail servers without the store and the mailbox service.
 */

/** Waits for a state (refresh reads it again where it lives elsewhere, as in the database). */
export async function until(
  check: () => boolean,
  what: string,
  ms = 15_000,
  refresh?: () => Promise<void>,
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    await refresh?.();
    if (check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A mailbox reading (IMAP) and sending (submission) as a user of the test mail servers. */
export function mailboxOf(
  mail: MailServers,
  user: MailUser,
  over: Partial<MailboxTransport> = {},
): MailboxTransport {
  const server = { host: mail.imap.host, user: user.user, password: user.password, verifyCertificate: false };
  return {
    id: randomUUID(),
    workspaceId: randomUUID(),
    campaignId: randomUUID(),
    address: user.address,
    displayName: 'Parley Support',
    inbound: 'imap',
    enabled: true,
    imap: {
      ...server,
      port: mail.imap.port,
      security: 'none',
      folder: 'INBOX',
      processedFolder: 'Processed',
    },
    smtp: { ...server, port: mail.submission.port, security: 'none' },
    ...over,
  };
}

export class FakeDirectory implements MailboxDirectory {
  readonly mailboxes = new Map<string, MailboxTransport>();
  /** Every health change, in order. */
  readonly healthLog: { id: string; state: MailboxHealthState; error: string | null }[] = [];

  add(mailbox: MailboxTransport): MailboxTransport {
    this.mailboxes.set(mailbox.id, mailbox);
    return mailbox;
  }

  health(id: string): { state: MailboxHealthState; error: string | null } | undefined {
    return this.healthLog.filter((h) => h.id === id).at(-1);
  }

  async imapMailboxes(): Promise<MailboxTransport[]> {
    return [...this.mailboxes.values()].filter((m) => m.enabled && m.inbound === 'imap');
  }

  async smtpMailboxFor(address: string): Promise<MailboxTransport | undefined> {
    return [...this.mailboxes.values()].find(
      (m) => m.enabled && m.inbound === 'smtp' && m.address.toLowerCase() === address.toLowerCase(),
    );
  }

  async get(id: string): Promise<MailboxTransport | undefined> {
    return this.mailboxes.get(id);
  }

  async setHealth(id: string, state: MailboxHealthState, error: string | null): Promise<void> {
    this.healthLog.push({ id, state, error });
  }
}

export interface StoredMessage {
  id: string;
  mailboxId: string;
  raw: Buffer;
  source: ImapSource | null;
  messageId: string | undefined;
}

/**
 * Stores once per mailbox by IMAP UID and by Message-ID, like the real store; counts the calls.
 * `before` runs ahead of the commit (throw there to fail the store), `after` once it is committed.
 */
export class FakeInboundStore implements InboundStore {
  readonly stored: StoredMessage[] = [];
  calls = 0;
  duplicates = 0;
  before: ((mailboxId: string, raw: Buffer) => void | Promise<void>) | undefined;
  after: ((message: StoredMessage) => void | Promise<void>) | undefined;

  async store(
    mailboxId: string,
    raw: Buffer,
    source: ImapSource | null,
  ): Promise<{ id: string; duplicate: boolean }> {
    this.calls++;
    await this.before?.(mailboxId, raw);
    const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw.toString('utf8'))?.[1];
    const same = this.stored.find(
      (m) =>
        m.mailboxId === mailboxId &&
        ((source && m.source?.uid === source.uid && m.source.uidValidity === source.uidValidity) ||
          (messageId !== undefined && m.messageId === messageId)),
    );
    if (same) {
      this.duplicates++;
      return { id: same.id, duplicate: true };
    }
    const message = { id: randomUUID(), mailboxId, raw, source, messageId };
    this.stored.push(message);
    await this.after?.(message);
    return { id: message.id, duplicate: false };
  }

  withMessageId(messageId: string): StoredMessage[] {
    return this.stored.filter((m) => m.messageId === messageId);
  }
}

let seq = 0;

/** A plain customer message with a fresh Message-ID. */
export function customerMail(
  to: string,
  subject = 'Where is my order?',
  body = 'Hello.',
): {
  raw: string;
  messageId: string;
} {
  const messageId = `<t${++seq}.${Date.now()}.${randomUUID().slice(0, 8)}@example.test>`;
  const raw = [
    'From: Casey Customer <customer@example.test>',
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    'Date: Mon, 07 Dec 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
  return { raw, messageId };
}
