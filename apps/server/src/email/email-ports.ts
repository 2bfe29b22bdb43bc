import type { StoredImap, StoredSmtp } from '../db/schema.js';

/**
 * What the mail transports (the IMAP readers, the SMTP listener, the outbox) need of the rest of
 * the email role, so each can be built and tested against real mail servers on its own.
 */

/** A mailbox with its passwords opened, as a transport logs in with it. */
export interface MailboxTransport {
  id: string;
  workspaceId: string;
  campaignId: string;
  address: string;
  displayName: string;
  inbound: 'imap' | 'smtp' | 'none';
  enabled: boolean;
  imap: (StoredImap & { password: string }) | null;
  smtp: (StoredSmtp & { password: string }) | null;
}

export type MailboxHealthState = 'off' | 'connecting' | 'ok' | 'error';

export interface MailboxDirectory {
  /** Every enabled mailbox whose inbound is IMAP, in every workspace. */
  imapMailboxes(): Promise<MailboxTransport[]>;
  /** The enabled mailbox with inbound SMTP at this address (case-insensitive), if any. */
  smtpMailboxFor(address: string): Promise<MailboxTransport | undefined>;
  get(id: string): Promise<MailboxTransport | undefined>;
  /** What the administrator sees of the inbound connection. */
  setHealth(id: string, state: MailboxHealthState, error: string | null): Promise<void>;
}

/** Where a source of the message: an IMAP mailbox's UID (with its UIDVALIDITY), or none (SMTP). */
export interface ImapSource {
  uidValidity: number;
  uid: number;
}

export interface InboundStore {
  /**
   * Stores a message that arrived for the mailbox, once: the same message again (by Message-ID,
   * or by IMAP UID) stores nothing and says `duplicate`. Resolves only when it is committed, so
   * the caller may then move or acknowledge it. Never throws for a message it cannot read (it is
   * stored with a readable error); throws only when the database fails.
   */
  store(
    mailboxId: string,
    raw: Buffer,
    source: ImapSource | null,
  ): Promise<{ id: string; duplicate: boolean }>;
}
