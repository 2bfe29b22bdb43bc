import path from 'node:path';
import {
  AgentEmailView,
  AgentState,
  CreateEmailMailboxBody,
  CreateEmailTemplateBody,
  DiscardEmailBody,
  EMAIL_UPLOAD_MAX_BYTES,
  EmailAttachmentInfo,
  EmailDraft,
  EmailHistoryList,
  EmailHistoryQuery,
  EmailMailbox,
  EmailTemplate,
  EmailThreadView,
  ErrorBody,
  NewEmailBody,
  NewEmailResult,
  ResourceParams,
  SaveEmailDraftBody,
  SendEmailBody,
  SendEmailOptions,
  UpdateEmailMailboxBody,
  UpdateEmailTemplateBody,
  Uuid,
  WorkspaceParams,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { DomainEvent, EventBus } from '../events.js';
import { ADMIN, currentSession, STAFF } from '../http/access.js';
import { registerCrudRoutes } from '../http/crud-routes.js';
import { loadSecretKey, SecretBox } from '../security/secrets.js';
import { EmailService } from './email.service.js';
import { EmailMailboxesService, EmailTemplatesService } from './email-admin.service.js';
import { EmailHistory } from './email-history.js';
import { ImapReaders } from './imap-reader.js';
import { EmailInbound } from './inbound.js';
import { Outbox } from './outbox.js';
import { SmtpListener } from './smtp-listener.js';

export interface EmailDeps {
  db: Db;
  acd: AcdService;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  dataDir: string;
  secretKey: Buffer | undefined;
  /** The SMTP listener for forwarded mail: 0 is off. */
  smtpPort: number;
  smtpHost: string;
  /** Tests: the outbox's retry delays. */
  outboxBackoffMs?: number[];
}

const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['email'];
const InteractionParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const AttachmentParams = Type.Object({ id: Uuid, attachmentId: Uuid }, { additionalProperties: false });
const ThreadParams = Type.Object({ threadId: Uuid }, { additionalProperties: false });
const CampaignParams = Type.Object({ workspaceId: Uuid, campaignId: Uuid }, { additionalProperties: false });
const CampaignItemParams = Type.Object(
  { workspaceId: Uuid, campaignId: Uuid, id: Uuid },
  { additionalProperties: false },
);
const UploadQuery = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 300 }) },
  { additionalProperties: false },
);

/**
 * The email role: mail in (IMAP readers, the SMTP listener) and out (the outbox), the agent's
 * email routes, Email History, and the administration of mailboxes and templates.
 */
export function registerEmail(
  app: FastifyInstance,
  deps: EmailDeps,
): { bound(): number | undefined; close(): Promise<void> } {
  const { db, clock, log } = deps;
  const attachmentsDir = path.join(deps.dataDir, 'email-attachments');
  const box = new SecretBox(loadSecretKey({ secretKey: deps.secretKey, dataDir: deps.dataDir }));
  const mailboxes = new EmailMailboxesService(db, box, deps.bus, clock);
  const directory = mailboxes.directory();
  const inbound = new EmailInbound({ db, acd: deps.acd, bus: deps.bus, clock, log, attachmentsDir });
  const outbox = new Outbox({
    db,
    directory,
    bus: deps.bus,
    clock,
    log,
    attachmentsDir,
    ...(deps.outboxBackoffMs && { backoffMs: deps.outboxBackoffMs }),
  });
  const readers = new ImapReaders({ directory, store: inbound, clock, log });
  const listener = deps.smtpPort ? new SmtpListener({ directory, store: inbound, log }) : undefined;
  const emails = new EmailService({ db, acd: deps.acd, clock, attachmentsDir, kick: () => outbox.kick() });
  const history = new EmailHistory(db);

  let bound: number | undefined;
  const onEvent = (event: DomainEvent) => {
    if (event.type === 'email.mailboxesChanged')
      readers.reload(event.mailboxId).catch((err) => log.error({ err }, 'mailbox readers not reloaded'));
  };
  const unsubscribe = deps.bus.subscribe(onEvent);
  const started = (async () => {
    await inbound.queueMissing();
    outbox.start();
    await readers.start();
    if (listener) bound = await listener.listen(deps.smtpPort, deps.smtpHost);
  })();
  started.catch((err) => log.error({ err }, 'email did not start'));

  /* The agent */
  app.get(
    '/api/interactions/:id/email',
    { schema: { tags, params: InteractionParams, response: { 200: AgentEmailView, ...errors } } },
    (req) => emails.view(currentSession(req), (req.params as { id: string }).id),
  );
  app.put(
    '/api/interactions/:id/email/draft',
    {
      schema: {
        tags,
        params: InteractionParams,
        body: SaveEmailDraftBody,
        response: { 200: EmailDraft, ...errors },
      },
    },
    (req) =>
      emails.saveDraft(
        currentSession(req),
        (req.params as { id: string }).id,
        req.body as SaveEmailDraftBody,
      ),
  );
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: EMAIL_UPLOAD_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    scoped.post(
      '/api/interactions/:id/email/draft/attachments',
      {
        bodyLimit: EMAIL_UPLOAD_MAX_BYTES,
        schema: {
          tags,
          params: InteractionParams,
          querystring: UploadQuery,
          response: { 201: EmailAttachmentInfo, ...errors, 413: ErrorBody },
        },
      },
      async (req, reply) => {
        const stored = await emails.addAttachment(currentSession(req), (req.params as { id: string }).id, {
          name: (req.query as { name: string }).name,
          contentType: req.headers['content-type'] ?? '',
          bytes: Buffer.isBuffer(req.body) ? req.body : undefined,
        });
        return reply.status(201).send(stored);
      },
    );
  });
  app.delete(
    '/api/interactions/:id/email/draft/attachments/:attachmentId',
    { schema: { tags, params: AttachmentParams, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const { id, attachmentId } = req.params as { id: string; attachmentId: string };
      await emails.removeAttachment(currentSession(req), id, attachmentId);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/interactions/:id/email/attachments/:attachmentId',
    { schema: { tags, params: AttachmentParams } },
    (req, reply) => {
      const { id, attachmentId } = req.params as { id: string; attachmentId: string };
      return emails.download(currentSession(req), id, attachmentId, reply);
    },
  );
  // The toolbar frames a message's body from here (sandboxed, with this answer's own policy).
  app.get(
    '/api/email-messages/:messageId/body',
    {
      schema: {
        tags,
        params: Type.Object({ messageId: Uuid }, { additionalProperties: false }),
        querystring: Type.Object(
          { images: Type.Optional(Type.Literal('remote')) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const { messageId } = req.params as { messageId: string };
      const page = await emails.bodyPage(
        currentSession(req),
        messageId,
        (req.query as { images?: string }).images === 'remote',
      );
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', page.policy)
        .header('cache-control', 'private, no-store')
        .send(page.html);
    },
  );
  app.post(
    '/api/interactions/:id/email/send',
    {
      schema: {
        tags,
        params: InteractionParams,
        body: SendEmailBody,
        response: { 200: AgentState, ...errors },
      },
    },
    (req) =>
      emails.send(
        currentSession(req),
        (req.params as { id: string }).id,
        (req.body as SendEmailBody | undefined) ?? {},
      ),
  );
  app.post(
    '/api/interactions/:id/email/discard',
    {
      schema: {
        tags,
        params: InteractionParams,
        body: DiscardEmailBody,
        response: { 200: AgentState, ...errors },
      },
    },
    (req) =>
      emails.discard(
        currentSession(req),
        (req.params as { id: string }).id,
        (req.body as DiscardEmailBody | undefined)?.wrapCodeId,
      ),
  );
  app.post('/api/emails/next', { schema: { tags, response: { 200: AgentState, ...errors } } }, (req) =>
    emails.next(currentSession(req)),
  );
  app.get(
    '/api/emails/options',
    { schema: { tags, response: { 200: SendEmailOptions, ...errors } } },
    (req) => emails.options(currentSession(req)),
  );
  app.post(
    '/api/emails/new',
    { schema: { tags, body: NewEmailBody, response: { 200: NewEmailResult, ...errors } } },
    (req) => emails.newEmail(currentSession(req), req.body as NewEmailBody),
  );

  /* Email History */
  app.get(
    '/api/email-history',
    { schema: { tags, querystring: EmailHistoryQuery, response: { 200: EmailHistoryList, ...errors } } },
    (req) => history.list(currentSession(req), req.query as EmailHistoryQuery),
  );
  app.get(
    '/api/email-history/:threadId',
    { schema: { tags, params: ThreadParams, response: { 200: EmailThreadView, ...errors } } },
    (req) => history.thread(currentSession(req), (req.params as { threadId: string }).threadId),
  );

  /* Administration */
  registerCrudRoutes(
    app,
    {
      base: '/api/workspaces/:workspaceId/email-mailboxes',
      tag: 'email mailboxes',
      scopeParams: WorkspaceParams,
      itemParams: ResourceParams,
      item: EmailMailbox,
      createBody: CreateEmailMailboxBody,
      updateBody: UpdateEmailMailboxBody,
      readAccess: ADMIN,
      writeAccess: ADMIN,
    },
    mailboxes,
  );
  registerCrudRoutes(
    app,
    {
      base: '/api/workspaces/:workspaceId/campaigns/:campaignId/email-templates',
      tag: 'email templates',
      scopeParams: CampaignParams,
      itemParams: CampaignItemParams,
      item: EmailTemplate,
      createBody: CreateEmailTemplateBody,
      updateBody: UpdateEmailTemplateBody,
      readAccess: STAFF,
      writeAccess: ADMIN,
    },
    new EmailTemplatesService(db),
  );

  return {
    bound: () => bound,
    async close() {
      unsubscribe();
      await started.catch(() => {});
      await Promise.all([readers.stop(), listener?.close(), outbox.stop()]);
    },
  };
}
