import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  type AgentEmailView,
  type AgentState,
  EMAIL_UPLOAD_MAX_BYTES,
  type EmailAddress,
  type EmailAttachmentInfo,
  type EmailDraft,
  type EmailMessage,
  fillPlaceholders,
  type NewEmailBody,
  type SaveEmailDraftBody,
  type SendEmailOptions,
} from '@parley/contract';
import type { FastifyReply } from 'fastify';
import type { Selectable } from 'kysely';
import type { AcdService } from '../agents/acd.service.js';
import type { AuthSession } from '../auth/sessions.repository.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EmailDraftsTable, EmailMessagesTable } from '../db/schema.js';
import { AppError, notFound } from '../http/app-error.js';
import { sendDownload, writeWhole } from '../http/file-download.js';
import { inCampaignTeams, maySeeInteraction } from '../workspace/ownership.js';
import { allowRemoteImages, htmlToText, sanitizeEmailHtml } from './sanitize.js';
import { newMessageId, newThreadToken, replySubject, subjectWithToken } from './threads.js';

export interface EmailServiceDeps {
  db: Db;
  acd: AcdService;
  clock: Clock;
  attachmentsDir: string;
  /** A reply was queued: send it now. */
  kick(): void;
}

type MessageRow = Selectable<EmailMessagesTable>;
type DraftRow = Selectable<EmailDraftsTable>;

/** Inline images of a message shown in the toolbar: as data: URLs (the sandboxed frame sends no cookie), up to this size each. */
const INLINE_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
/** A file type the browser may be told as is; anything else downloads as octet-stream. */
const PLAIN_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/i;

/**
 * The agent's side of email: an email interaction's message, thread and draft; the reply sent
 * and the interaction wrapped ("Send & wrap email"), or the draft dropped ("Discard and Wrap
 * Email"); the Email Queue icon; Send Email's new emails from templates.
 */
export class EmailService {
  constructor(private readonly deps: EmailServiceDeps) {}

  async view(session: AuthSession, interactionId: string): Promise<AgentEmailView> {
    const entry = await this.entryFor(session, interactionId);
    const [messages, draft, templates, mailbox] = await Promise.all([
      this.threadMessages(entry.email_thread_id),
      this.draftOf(entry),
      this.templatesOf(entry.campaign_id),
      this.mailboxFor(entry),
    ]);
    const answered = messages.find((m) => m.id === entry.email_message_id) ?? null;
    return {
      interactionId,
      threadId: entry.email_thread_id,
      campaignId: entry.campaign_id,
      mailbox: mailbox ? { name: mailbox.display_name, address: mailbox.address } : { name: '', address: '' },
      message: answered && (await this.withInlineImages(answered)),
      thread: await Promise.all(
        messages
          .filter((m) => m.id !== entry.email_message_id)
          .reverse()
          .map((m) => this.withInlineImages(m)),
      ),
      draft,
      templates,
    };
  }

  /** Saves what the agent typed; a new template fills the subject and body from it. */
  async saveDraft(
    session: AuthSession,
    interactionId: string,
    body: SaveEmailDraftBody,
  ): Promise<EmailDraft> {
    const entry = await this.ownBusyEntry(session, interactionId);
    await this.draftOf(entry);
    const filled =
      body.templateId !== undefined && body.templateId !== null
        ? await this.fromTemplate(session, entry, body.templateId)
        : undefined;
    await this.deps.db
      .updateTable('email_drafts')
      .set({
        ...(body.mode !== undefined && { mode: body.mode }),
        ...(body.to !== undefined && { to_addrs: body.to }),
        ...(body.cc !== undefined && { cc_addrs: body.cc }),
        ...(body.bcc !== undefined && { bcc_addrs: body.bcc }),
        ...(body.subject !== undefined && { subject: body.subject }),
        ...(body.html !== undefined && { html: sanitizeEmailHtml(body.html).html }),
        ...(body.templateId !== undefined && { template_id: body.templateId }),
        ...filled,
        saved_at: this.deps.clock.now(),
      })
      .where('entry_id', '=', entry.id)
      .execute();
    return this.draftOf(entry);
  }

  async addAttachment(
    session: AuthSession,
    interactionId: string,
    file: { name: string; contentType: string; bytes: Buffer | undefined },
  ): Promise<EmailAttachmentInfo> {
    const entry = await this.ownBusyEntry(session, interactionId);
    const bytes = file.bytes;
    if (!bytes?.length) throw new AppError('VALIDATION_FAILED', 'The file is empty');
    if (bytes.length > EMAIL_UPLOAD_MAX_BYTES)
      throw new AppError('EMAIL_TOO_LARGE', `Files are at most ${EMAIL_UPLOAD_MAX_BYTES / 1024 / 1024} MB`);
    const id = randomUUID();
    const name = cleanName(file.name);
    const contentType = PLAIN_TYPE.test(file.contentType)
      ? file.contentType.toLowerCase()
      : 'application/octet-stream';
    await writeWhole(this.file(id), bytes);
    await this.deps.db
      .insertInto('email_attachments')
      .values({
        id,
        workspace_id: entry.workspace_id,
        draft_entry_id: entry.id,
        name,
        content_type: contentType,
        size: bytes.length,
        created_at: this.deps.clock.now(),
      })
      .execute();
    return { id, name, contentType, size: bytes.length, inline: false };
  }

  async removeAttachment(session: AuthSession, interactionId: string, attachmentId: string): Promise<void> {
    const entry = await this.ownBusyEntry(session, interactionId);
    const res = await this.deps.db
      .deleteFrom('email_attachments')
      .where('id', '=', attachmentId)
      .where('draft_entry_id', '=', entry.id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Attachment');
    await rm(this.file(attachmentId), { force: true });
  }

  /**
   * A file of the interaction's thread or of its draft, as a download: for whoever may see the
   * thread in Email History (the teams of its campaign; administrators), not only its agent.
   */
  async download(session: AuthSession, interactionId: string, attachmentId: string, reply: FastifyReply) {
    const entry = await this.entryFor(session, interactionId, 'team');
    const row = await this.deps.db
      .selectFrom('email_attachments as a')
      .leftJoin('email_messages as m', 'm.id', 'a.message_id')
      .select(['a.id', 'a.name', 'a.content_type', 'a.size'])
      .where('a.id', '=', attachmentId)
      .where((eb) =>
        eb.or([eb('m.thread_id', '=', entry.email_thread_id), eb('a.draft_entry_id', '=', entry.id)]),
      )
      .executeTakeFirst();
    if (!row) throw notFound('Attachment');
    return sendDownload(reply, {
      path: this.file(row.id),
      name: row.name,
      contentType: PLAIN_TYPE.test(row.content_type) ? row.content_type : 'application/octet-stream',
      size: row.size,
    });
  }

  /**
   * A message's body as a page of its own, for the toolbar's sandboxed frame: under a policy
   * that lets in inline styles and data: images only, or remote images too once the agent asks
   * (they tell the sender the mail was read). Shown to whoever may see its thread.
   */
  async bodyPage(
    session: AuthSession,
    messageId: string,
    remote: boolean,
  ): Promise<{ html: string; policy: string }> {
    const row = await this.deps.db
      .selectFrom('email_messages as m')
      .innerJoin('email_threads as t', 't.id', 'm.thread_id')
      .selectAll('m')
      .select('t.campaign_id as thread_campaign')
      .where('m.id', '=', messageId)
      .where('m.workspace_id', '=', session.workspaceId)
      .where((eb) =>
        session.role === 'administrator'
          ? eb.lit(true)
          : eb.or([eb('m.agent_id', '=', session.userId), inCampaignTeams('t.campaign_id', session.userId)]),
      )
      .executeTakeFirst();
    if (!row) throw notFound('Email');
    const message = await this.withInlineImages(toMessage(row));
    const body = message.html ?? `<pre>${escapeHtml(message.text)}</pre>`;
    return {
      html: [
        '<!doctype html><html><head><meta charset="utf-8">',
        // A link never loads in the frame; with no popups allowed, it opens nothing at all.
        '<base target="_blank">',
        '<style>body{font-family:system-ui,sans-serif;font-size:14px;line-height:1.45;margin:8px;color:#212529;overflow-wrap:anywhere}img{max-width:100%;height:auto}pre{white-space:pre-wrap}</style>',
        '</head><body>',
        remote ? allowRemoteImages(body) : body,
        '</body></html>',
      ].join(''),
      policy: [
        "default-src 'none'",
        `img-src data:${remote ? ' https: http:' : ''}`,
        "style-src 'unsafe-inline'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
        // As the toolbar's frame: no script, no origin of its own; a link opens a tab of its own.
        'sandbox allow-popups allow-popups-to-escape-sandbox',
      ].join('; '),
    };
  }

  /**
   * "Send & wrap email": the draft becomes an outbound message queued for the mailbox's SMTP
   * server (threaded: In-Reply-To, References and the thread's token in the subject), then the
   * interaction is wrapped with the Outcome. Nothing is sent without a recipient.
   */
  async send(
    session: AuthSession,
    interactionId: string,
    body: { draft?: SaveEmailDraftBody; wrapCodeId?: string },
  ): Promise<AgentState> {
    if (body.draft) await this.saveDraft(session, interactionId, body.draft);
    const entry = await this.ownBusyEntry(session, interactionId);
    const draft = await this.draftRow(entry.id);
    if (!draft) throw notFound('Draft');
    if (draft.to_addrs.length + draft.cc_addrs.length + draft.bcc_addrs.length === 0)
      throw new AppError('EMAIL_NO_RECIPIENT', 'Add at least one recipient');
    const mailbox = await this.mailboxFor(entry);
    if (!mailbox?.smtp)
      throw new AppError(
        'EMAIL_NO_MAILBOX',
        'This campaign has no mailbox to send from: ask your administrator',
      );
    const { db, clock } = this.deps;
    const thread = await db
      .selectFrom('email_threads')
      .select(['id', 'token', 'subject', 'contact_address'])
      .where('id', '=', entry.email_thread_id)
      .executeTakeFirstOrThrow();
    const answered = entry.email_message_id
      ? await db
          .selectFrom('email_messages')
          .selectAll()
          .where('id', '=', entry.email_message_id)
          .executeTakeFirst()
      : undefined;
    const agentName = await this.agentName(session.userId);
    const now = clock.now();
    const id = randomUUID();
    const subject = subjectWithToken(draft.subject || thread.subject, thread.token);
    const threading =
      answered?.message_id && draft.mode !== 'new'
        ? { in_reply_to: answered.message_id, refs: [...answered.refs, answered.message_id].slice(-20) }
        : { in_reply_to: null, refs: [] };
    const html = sanitizeEmailHtml(draft.html).html;
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('email_messages')
        .values({
          id,
          workspace_id: entry.workspace_id,
          thread_id: thread.id,
          mailbox_id: mailbox.id,
          direction: 'out',
          message_id: newMessageId(id, mailbox.address),
          ...threading,
          from_name: mailbox.display_name,
          from_address: mailbox.address,
          to_addrs: JSON.stringify(draft.to_addrs.map(asAddress)),
          cc_addrs: JSON.stringify(draft.cc_addrs.map(asAddress)),
          bcc_addrs: JSON.stringify(draft.bcc_addrs.map(asAddress)),
          subject,
          body_text: htmlToText(html),
          body_html: html,
          status: 'queued',
          entry_id: entry.id,
          agent_id: session.userId,
          agent_name: agentName,
          next_attempt_at: now,
          created_at: now,
        })
        .execute();
      await tx
        .updateTable('email_attachments')
        .set({ message_id: id, draft_entry_id: null })
        .where('draft_entry_id', '=', entry.id)
        .execute();
      await tx.deleteFrom('email_drafts').where('entry_id', '=', entry.id).execute();
      await tx
        .updateTable('email_threads')
        .set({
          last_at: now,
          // A new email's customer is its first recipient.
          ...(!thread.contact_address && { contact_address: draft.to_addrs[0] ?? draft.cc_addrs[0] ?? '' }),
          ...(draft.mode === 'new' && { subject: draft.subject || thread.subject }),
        })
        .where('id', '=', thread.id)
        .execute();
    });
    this.deps.kick();
    return this.wrap(session.userId, entry.id, body.wrapCodeId);
  }

  /** "Discard and Wrap Email": the draft and its files dropped, the interaction wrapped. */
  async discard(
    session: AuthSession,
    interactionId: string,
    wrapCodeId: string | undefined,
  ): Promise<AgentState> {
    const entry = await this.ownBusyEntry(session, interactionId);
    const files = await this.deps.db.transaction().execute(async (tx) => {
      const gone = await tx
        .deleteFrom('email_attachments')
        .where('draft_entry_id', '=', entry.id)
        .returning('id')
        .execute();
      await tx.deleteFrom('email_drafts').where('entry_id', '=', entry.id).execute();
      return gone;
    });
    await Promise.all(files.map((f) => rm(this.file(f.id), { force: true })));
    return this.wrap(session.userId, entry.id, wrapCodeId);
  }

  /** The Send Email dialog: whether this agent may, and the email campaigns of their teams with their templates. */
  async options(session: AuthSession): Promise<SendEmailOptions> {
    const { db } = this.deps;
    const profile = await db
      .selectFrom('users as u')
      .leftJoin('agent_profiles as p', 'p.id', 'u.agent_profile_id')
      .select('p.send_email')
      .where('u.id', '=', session.userId)
      .executeTakeFirst();
    const campaigns = await db
      .selectFrom('campaigns as c')
      .select(['c.id', 'c.name'])
      .where('c.workspace_id', '=', session.workspaceId)
      .where('c.kind', '=', 'email')
      .where(inCampaignTeams('c.id', session.userId))
      .orderBy('c.name')
      .execute();
    const templates = campaigns.length
      ? await db
          .selectFrom('email_templates')
          .select(['id', 'name', 'campaign_id'])
          .where(
            'campaign_id',
            'in',
            campaigns.map((c) => c.id),
          )
          .orderBy('name')
          .execute()
      : [];
    return {
      enabled: profile?.send_email === true,
      campaigns: campaigns.map((c) => ({
        id: c.id,
        name: c.name,
        templates: templates.filter((t) => t.campaign_id === c.id).map((t) => ({ id: t.id, name: t.name })),
      })),
    };
  }

  /** "New Email": an email interaction of the agent's, a new thread, the draft from the template. */
  async newEmail(session: AuthSession, body: NewEmailBody): Promise<{ interactionId: string }> {
    const options = await this.options(session);
    if (!options.enabled)
      throw new AppError('EMAIL_SEND_DISABLED', 'Sending new emails is not enabled for you');
    const campaign = options.campaigns.find((c) => c.id === body.campaignId);
    if (!campaign)
      throw new AppError('EMAIL_SEND_DISABLED', 'That campaign is not an email campaign of your teams');
    if (body.templateId && !campaign.templates.some((t) => t.id === body.templateId))
      throw notFound('Email template');
    const now = this.deps.clock.now();
    const thread = await this.deps.db
      .insertInto('email_threads')
      .values({
        workspace_id: session.workspaceId,
        campaign_id: campaign.id,
        token: newThreadToken(),
        subject: '(no subject)',
        created_at: now,
        last_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id } = await this.deps.acd.composeEmail(session.userId, {
      workspaceId: session.workspaceId,
      campaignId: campaign.id,
      label: 'New email',
      threadId: thread.id,
    });
    if (body.templateId) await this.saveDraft(session, id, { templateId: body.templateId });
    return { interactionId: id };
  }

  async next(session: AuthSession): Promise<AgentState> {
    return this.deps.acd.takeNextEmail(session.userId);
  }

  /* Pieces */

  private async wrap(userId: string, entryId: string, wrapCodeId: string | undefined): Promise<AgentState> {
    await this.deps.acd.end(userId, entryId);
    return this.deps.acd.wrap(userId, entryId, wrapCodeId);
  }

  /** The draft, made on first sight: a reply to the message answered (to its Reply-To or sender), or a blank new email. */
  private async draftOf(entry: { id: string; email_message_id: string | null }): Promise<EmailDraft> {
    let row = await this.draftRow(entry.id);
    if (!row) {
      const answered = entry.email_message_id
        ? await this.deps.db
            .selectFrom('email_messages')
            .select(['from_address', 'subject'])
            .where('id', '=', entry.email_message_id)
            .executeTakeFirst()
        : undefined;
      await this.deps.db
        .insertInto('email_drafts')
        .values({
          entry_id: entry.id,
          mode: answered ? 'reply' : 'new',
          to_addrs: answered?.from_address ? [answered.from_address] : [],
          subject: answered ? replySubject(answered.subject, 'reply') : '',
          saved_at: this.deps.clock.now(),
        })
        .onConflict((oc) => oc.column('entry_id').doNothing())
        .execute();
      row = await this.draftRow(entry.id);
      if (!row) throw notFound('Draft');
    }
    const files = await this.deps.db
      .selectFrom('email_attachments')
      .select(['id', 'name', 'content_type', 'size', 'inline'])
      .where('draft_entry_id', '=', entry.id)
      .orderBy('created_at')
      .execute();
    return toDraft(row, files.map(toAttachment));
  }

  private draftRow(entryId: string): Promise<DraftRow | undefined> {
    return this.deps.db
      .selectFrom('email_drafts')
      .selectAll()
      .where('entry_id', '=', entryId)
      .executeTakeFirst();
  }

  /** A template's subject and body with the contact, agent and campaign filled in. */
  private async fromTemplate(session: AuthSession, entry: EntryRow, templateId: string) {
    const { db } = this.deps;
    const template = await db
      .selectFrom('email_templates')
      .select(['subject', 'html'])
      .where('id', '=', templateId)
      .where('campaign_id', '=', entry.campaign_id)
      .executeTakeFirst();
    if (!template) throw notFound('Email template');
    const [thread, campaign, agentName] = await Promise.all([
      db
        .selectFrom('email_threads')
        .select(['contact_name', 'contact_address'])
        .where('id', '=', entry.email_thread_id)
        .executeTakeFirst(),
      db.selectFrom('campaigns').select('name').where('id', '=', entry.campaign_id).executeTakeFirst(),
      this.agentName(session.userId),
    ]);
    const fields = {
      'agent.name': agentName,
      'contact.name': thread?.contact_name || thread?.contact_address || '',
      'contact.email': thread?.contact_address ?? '',
      'campaign.name': campaign?.name ?? '',
    };
    const escaped = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, escapeHtml(v)]));
    return {
      ...(template.subject &&
        !entry.email_message_id && { subject: fillPlaceholders(template.subject, fields) }),
      html: sanitizeEmailHtml(fillPlaceholders(template.html, escaped)).html,
    };
  }

  private async threadMessages(threadId: string): Promise<EmailMessage[]> {
    const { db } = this.deps;
    const rows = await db
      .selectFrom('email_messages')
      .selectAll()
      .where('thread_id', '=', threadId)
      .orderBy('created_at')
      .execute();
    const files = rows.length
      ? await db
          .selectFrom('email_attachments')
          .select(['id', 'message_id', 'name', 'content_type', 'size', 'inline', 'content_id'])
          .where(
            'message_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('created_at')
          .execute()
      : [];
    return rows.map((r) => ({
      ...toMessage(r),
      attachments: files.filter((f) => f.message_id === r.id).map(toAttachment),
    }));
  }

  /** `cid:` images of the message as data: URLs, so the sandboxed frame can show them. */
  private async withInlineImages(m: EmailMessage): Promise<EmailMessage> {
    if (!m.html?.includes('cid:')) return m;
    const files = await this.deps.db
      .selectFrom('email_attachments')
      .select(['id', 'content_id', 'content_type', 'size'])
      .where('message_id', '=', m.id)
      .where('content_id', 'is not', null)
      .execute();
    let html = m.html;
    for (const f of files) {
      if (
        !f.content_id ||
        !/^image\/(png|jpeg|gif|webp)$/.test(f.content_type) ||
        f.size > INLINE_IMAGE_MAX_BYTES
      )
        continue;
      const data = await readFile(this.file(f.id)).catch(() => undefined);
      if (!data) continue;
      html = html
        .split(`cid:${f.content_id}`)
        .join(`data:${f.content_type};base64,${data.toString('base64')}`);
    }
    return { ...m, html };
  }

  private templatesOf(campaignId: string) {
    return this.deps.db
      .selectFrom('email_templates')
      .select(['id', 'name'])
      .where('campaign_id', '=', campaignId)
      .orderBy('name')
      .execute();
  }

  /** The mailbox a reply leaves from: the one the message came to, else the campaign's first enabled one. */
  private async mailboxFor(entry: { campaign_id: string; email_message_id: string | null }) {
    const { db } = this.deps;
    const came = entry.email_message_id
      ? await db
          .selectFrom('email_messages as m')
          .innerJoin('email_mailboxes as b', 'b.id', 'm.mailbox_id')
          .select(['b.id', 'b.address', 'b.display_name', 'b.smtp', 'b.enabled'])
          .where('m.id', '=', entry.email_message_id)
          .executeTakeFirst()
      : undefined;
    if (came?.enabled) return came;
    return db
      .selectFrom('email_mailboxes')
      .select(['id', 'address', 'display_name', 'smtp', 'enabled'])
      .where('campaign_id', '=', entry.campaign_id)
      .where('enabled', '=', true)
      .orderBy('created_at')
      .executeTakeFirst();
  }

  private async agentName(userId: string): Promise<string> {
    const row = await this.deps.db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', userId)
      .executeTakeFirst();
    return row?.display_name ?? '';
  }

  /**
   * An email interaction the session may see: an agent's own; a manager's teams'; an
   * administrator's workspace. `team`: any of the user's teams' (what Email History shows).
   */
  private async entryFor(
    session: AuthSession,
    interactionId: string,
    reach: 'own' | 'team' = 'own',
  ): Promise<EntryRow> {
    const entry = await this.deps.db
      .selectFrom('queue_entries')
      .select([
        'id',
        'workspace_id',
        'campaign_id',
        'agent_id',
        'state',
        'kind',
        'email_thread_id',
        'email_message_id',
      ])
      .where('id', '=', interactionId)
      .executeTakeFirst();
    if (!entry?.email_thread_id || entry.workspace_id !== session.workspaceId) throw notFound('Email');
    if (!(await maySeeInteraction(this.deps.db, session, entry, reach === 'team'))) throw notFound('Email');
    return { ...entry, email_thread_id: entry.email_thread_id };
  }

  /** The agent's own email in conversation: the only one whose draft they may change, send or drop. */
  private async ownBusyEntry(session: AuthSession, interactionId: string): Promise<EntryRow> {
    const entry = await this.entryFor(session, interactionId);
    if (entry.agent_id !== session.userId) throw notFound('Email');
    if (entry.state !== 'busy') throw new AppError('INTERACTION_STATE', 'This email has been wrapped');
    return entry;
  }

  private file(id: string): string {
    return path.join(this.deps.attachmentsDir, id);
  }
}

interface EntryRow {
  id: string;
  workspace_id: string;
  campaign_id: string;
  agent_id: string | null;
  state: string;
  email_thread_id: string;
  email_message_id: string | null;
}

export function toMessage(r: MessageRow): EmailMessage {
  return {
    id: r.id,
    direction: r.direction,
    from: r.from_address || r.from_name ? { name: r.from_name, address: r.from_address } : null,
    to: r.to_addrs,
    cc: r.cc_addrs,
    bcc: r.bcc_addrs,
    subject: r.subject,
    text: r.body_text,
    html: r.body_html,
    remoteImages: r.remote_images,
    at: (r.sent_at ?? r.created_at).toISOString(),
    attachments: [],
    status: r.status,
    error: r.error,
    interactionId: r.entry_id,
    agentName: r.agent_name,
  };
}

export function toAttachment(f: {
  id: string;
  name: string;
  content_type: string;
  size: number;
  inline: boolean;
}): EmailAttachmentInfo {
  return { id: f.id, name: f.name, contentType: f.content_type, size: f.size, inline: f.inline };
}

function toDraft(r: DraftRow, attachments: EmailAttachmentInfo[]): EmailDraft {
  return {
    mode: r.mode,
    to: r.to_addrs,
    cc: r.cc_addrs,
    bcc: r.bcc_addrs,
    subject: r.subject,
    html: r.html,
    templateId: r.template_id,
    attachments,
    savedAt: r.saved_at.toISOString(),
  };
}

const asAddress = (address: string): EmailAddress => ({ name: '', address });

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A file name safe to show and to put in a header: no path, no control characters. */
function cleanName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return clean.slice(0, 200) || 'attachment';
}
