import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { EMAIL_ATTACHMENT_MAX_BYTES, EMAIL_MAX_BYTES } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { writeWhole } from '../http/file-download.js';
import type { ImapSource, InboundStore } from './email-ports.js';
import { type ParsedEmail, parseEmail } from './mime.js';
import { baseSubject, newThreadToken, tokenInSubject } from './threads.js';

export interface InboundDeps {
  db: Db;
  acd: AcdService;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Where attachments' bytes go: `<dir>/<attachment id>`, outside the web root. */
  attachmentsDir: string;
}

/**
 * Mail that came in for a mailbox: parsed, stored once in its thread, and queued on the
 * mailbox's campaign as an interaction. The message row commits before anything else happens,
 * so a transport may then move it out of the inbox; a crash before the queue entry is made is
 * mended by `queueMissing` (at start, and whenever the same message comes again). Bounces and
 * automatic replies are stored in their thread but queue nothing: a bounce marks the message it
 * returns as bounced, for the agent who sent it.
 */
export class EmailInbound implements InboundStore {
  constructor(private readonly deps: InboundDeps) {}

  async store(
    mailboxId: string,
    raw: Buffer,
    source: ImapSource | null,
  ): Promise<{ id: string; duplicate: boolean }> {
    const { db } = this.deps;
    const mailbox = await db
      .selectFrom('email_mailboxes')
      .select(['id', 'workspace_id', 'campaign_id', 'address'])
      .where('id', '=', mailboxId)
      .executeTakeFirst();
    if (!mailbox) throw new Error(`mailbox ${mailboxId} is gone`);
    if (source) {
      const known = await db
        .selectFrom('email_messages')
        .select('id')
        .where('mailbox_id', '=', mailboxId)
        .where('imap_uidvalidity', '=', source.uidValidity)
        .where('imap_uid', '=', source.uid)
        .executeTakeFirst();
      if (known) return this.again(known.id);
    }
    const parsed = await parseEmail(raw, { maxAttachmentBytes: EMAIL_ATTACHMENT_MAX_BYTES });
    if (raw.length >= EMAIL_MAX_BYTES)
      parsed.problems.push(
        `The message is larger than ${EMAIL_MAX_BYTES / 1024 / 1024} MB: only its start was read`,
      );
    if (parsed.messageId) {
      const known = await db
        .selectFrom('email_messages')
        .select('id')
        .where('mailbox_id', '=', mailboxId)
        .where('direction', '=', 'in')
        .where('message_id', '=', parsed.messageId)
        .executeTakeFirst();
      if (known) return this.again(known.id);
    }
    const now = this.deps.clock.now();
    const bounced = parsed.bounce ? await this.bouncedMessage(mailbox.workspace_id, parsed) : undefined;
    const threadId = bounced?.thread_id ?? (await this.threadFor(mailbox, parsed, now));
    // The files first: a crash after them and before the row leaves files nobody names, never a row without its file.
    const files = await this.writeAttachments(parsed);
    const id = randomUUID();
    const stored = await db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('email_messages')
        .values({
          id,
          workspace_id: mailbox.workspace_id,
          thread_id: threadId,
          mailbox_id: mailbox.id,
          direction: 'in',
          message_id: parsed.messageId,
          in_reply_to: parsed.inReplyTo,
          refs: parsed.references,
          from_name: parsed.from?.name ?? '',
          from_address: parsed.from?.address ?? '',
          to_addrs: JSON.stringify(parsed.to),
          cc_addrs: JSON.stringify(parsed.cc),
          subject: parsed.subject,
          body_text: parsed.text,
          body_html: parsed.html,
          remote_images: parsed.remoteImages,
          status: 'received',
          error: parsed.problems.length ? parsed.problems.join(' ') : null,
          auto_reply: parsed.autoReply || parsed.bounce !== null,
          imap_uidvalidity: source?.uidValidity ?? null,
          imap_uid: source?.uid ?? null,
          raw_size: raw.length,
          created_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      if (files.length)
        await tx
          .insertInto('email_attachments')
          .values(
            files.map((f) => ({
              id: f.id,
              workspace_id: mailbox.workspace_id,
              message_id: id,
              name: f.name,
              content_type: f.contentType,
              size: f.size,
              content_id: f.contentId,
              inline: f.inline,
              created_at: now,
            })),
          )
          .execute();
      await tx.updateTable('email_threads').set({ last_at: now }).where('id', '=', threadId).execute();
      if (bounced)
        await tx
          .updateTable('email_messages')
          .set({ status: 'bounced', error: bounceReason(parsed) })
          .where('id', '=', bounced.id)
          .execute();
      return true;
    });
    // Stored meanwhile by another reader of the same mailbox (by Message-ID or UID).
    if (!stored) {
      const known = await this.findStored(mailboxId, parsed.messageId, source);
      return known ? this.again(known) : { id, duplicate: true };
    }
    if (bounced?.entry_id)
      this.deps.bus.publish({
        type: 'email.failed',
        workspaceId: mailbox.workspace_id,
        entryId: bounced.entry_id,
        kind: 'email',
        ...(bounced.agent_id && { userId: bounced.agent_id }),
        messageId: bounced.id,
        subject: bounced.subject,
        error: bounceReason(parsed),
        bounced: true,
      });
    await this.queue(id);
    return { id, duplicate: false };
  }

  /**
   * Inbound messages for an agent that have no interaction yet (the server stopped between
   * storing one and queueing it): queued now, oldest first.
   */
  async queueMissing(): Promise<number> {
    const rows = await this.deps.db
      .selectFrom('email_messages as m')
      .select('m.id')
      .where('m.direction', '=', 'in')
      .where('m.auto_reply', '=', false)
      .where('m.entry_id', 'is', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('queue_entries as q').select('q.id').whereRef('q.email_message_id', '=', 'm.id'),
          ),
        ),
      )
      .orderBy('m.created_at')
      .execute();
    for (const r of rows) await this.queue(r.id);
    return rows.length;
  }

  /** The same message again: nothing new is stored, but its interaction is made if it never was. */
  private async again(id: string): Promise<{ id: string; duplicate: boolean }> {
    await this.queue(id);
    return { id, duplicate: true };
  }

  /** Queues a stored inbound message on its mailbox's campaign, once; robots' mail is not queued. */
  private async queue(messageId: string): Promise<void> {
    const { db } = this.deps;
    const m = await db
      .selectFrom('email_messages as m')
      .innerJoin('email_mailboxes as b', 'b.id', 'm.mailbox_id')
      .select([
        'm.id',
        'm.workspace_id',
        'm.thread_id',
        'm.entry_id',
        'm.auto_reply',
        'm.from_name',
        'm.from_address',
        'b.campaign_id',
      ])
      .where('m.id', '=', messageId)
      .executeTakeFirst();
    if (!m || m.entry_id || m.auto_reply) return;
    const existing = await db
      .selectFrom('queue_entries')
      .select('id')
      .where('email_message_id', '=', m.id)
      .executeTakeFirst();
    const entryId =
      existing?.id ??
      (
        await this.deps.acd.enqueue(
          m.workspace_id,
          { campaignId: m.campaign_id, label: m.from_name || m.from_address || 'Unknown sender' },
          undefined,
          { email: { threadId: m.thread_id, messageId: m.id } },
        )
      ).id;
    await db.updateTable('email_messages').set({ entry_id: entryId }).where('id', '=', m.id).execute();
    if (!existing)
      this.deps.bus.publish({
        type: 'email.received',
        workspaceId: m.workspace_id,
        entryId,
        kind: 'email',
        messageId: m.id,
        from: m.from_address,
      });
  }

  /**
   * The thread a message joins: the one holding a message it answers (In-Reply-To, then
   * References, newest first), else the one whose token its subject carries, else a new one.
   * Only threads of the mailbox's workspace.
   */
  private async threadFor(
    mailbox: { workspace_id: string; campaign_id: string },
    parsed: ParsedEmail,
    now: Date,
  ): Promise<string> {
    const { db } = this.deps;
    const answered = [parsed.inReplyTo, ...[...parsed.references].reverse()].filter((r): r is string => !!r);
    if (answered.length) {
      const hit = await db
        .selectFrom('email_messages')
        .select(['thread_id', 'message_id'])
        .where('workspace_id', '=', mailbox.workspace_id)
        .where('message_id', 'in', answered)
        .execute();
      for (const ref of answered) {
        const found = hit.find((h) => h.message_id === ref);
        if (found) return found.thread_id;
      }
    }
    const token = tokenInSubject(parsed.subject);
    if (token) {
      const byToken = await db
        .selectFrom('email_threads')
        .select('id')
        .where('workspace_id', '=', mailbox.workspace_id)
        .where('token', '=', token)
        .executeTakeFirst();
      if (byToken) return byToken.id;
    }
    const created = await db
      .insertInto('email_threads')
      .values({
        workspace_id: mailbox.workspace_id,
        campaign_id: mailbox.campaign_id,
        token: newThreadToken(),
        subject: baseSubject(parsed.subject) || '(no subject)',
        contact_name: parsed.from?.name ?? '',
        contact_address: parsed.from?.address ?? '',
        created_at: now,
        last_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return created.id;
  }

  /** The platform's own message that a delivery report returns, by its Message-ID. */
  private bouncedMessage(workspaceId: string, parsed: ParsedEmail) {
    const original = parsed.bounce?.originalMessageId;
    if (!original) return Promise.resolve(undefined);
    return this.deps.db
      .selectFrom('email_messages')
      .select(['id', 'thread_id', 'entry_id', 'agent_id', 'subject'])
      .where('workspace_id', '=', workspaceId)
      .where('direction', '=', 'out')
      .where('message_id', '=', original)
      .executeTakeFirst();
  }

  private findStored(mailboxId: string, messageId: string | null, source: ImapSource | null) {
    let q = this.deps.db.selectFrom('email_messages').select('id').where('mailbox_id', '=', mailboxId);
    q = source
      ? q.where('imap_uidvalidity', '=', source.uidValidity).where('imap_uid', '=', source.uid)
      : q.where('direction', '=', 'in').where('message_id', '=', messageId ?? '');
    return q.executeTakeFirst().then((r) => r?.id);
  }

  private async writeAttachments(parsed: ParsedEmail) {
    const files = [];
    for (const a of parsed.attachments) {
      if (a.tooLarge) continue;
      const id = randomUUID();
      await writeWhole(path.join(this.deps.attachmentsDir, id), a.content);
      files.push({
        id,
        name: a.name,
        contentType: a.contentType,
        size: a.size,
        contentId: a.contentId,
        inline: a.inline,
      });
    }
    return files;
  }
}

function bounceReason(parsed: ParsedEmail): string {
  const b = parsed.bounce;
  const who = b?.recipients.length ? ` to ${b.recipients.join(', ')}` : '';
  const why = b?.diagnostic ?? b?.status ?? 'no reason given';
  return `Not delivered${who}: ${why}`;
}
