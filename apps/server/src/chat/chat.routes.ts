import path from 'node:path';
import {
  AgentChatView,
  AgentState,
  CannedResponse,
  CHAT_ATTACHMENT_MAX_BYTES,
  CHAT_ATTACHMENTS_PATH,
  CHAT_FILE_NAME_HEADER,
  CHAT_SCRIPT_PATH,
  CHAT_TOKEN_HEADER,
  ChatChannel,
  ChatHistoryList,
  ChatHistoryQuery,
  ChatMessage,
  ChatReadBody,
  ChatTranscript,
  ChatTypingBody,
  CreateCannedResponseBody,
  CreateChatChannelBody,
  ErrorBody,
  ResourceParams,
  SendChatMessageBody,
  UpdateCannedResponseBody,
  UpdateChatChannelBody,
  Uuid,
  WaitingChats,
  WorkspaceParams,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { ADMIN, currentSession, STAFF } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { registerCrudRoutes } from '../http/crud-routes.js';
import { loadSecretKey } from '../security/secrets.js';
import { ChatService } from './chat.service.js';
import { CannedResponsesService, ChatChannelsService } from './chat-admin.service.js';
import { ChatAttachments } from './chat-attachments.js';
import { ChatHistory } from './chat-history.js';
import { ChatSockets } from './chat-socket.js';
import { ChatTokens } from './chat-token.js';

export interface ChatDeps {
  db: Db;
  acd: AcdService;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  dataDir: string;
  secretKey: Buffer | undefined;
  socketsPerSource: number;
  startsPerMinute: number;
  customerGraceMs?: number;
}

/** The demo page: the widget on a page of the platform's own. */
export const CHAT_DEMO_PATH = '/chat-demo.html';
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['chat'];
const InteractionParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const AttachmentParams = Type.Object({ id: Uuid, attachmentId: Uuid }, { additionalProperties: false });
const ChatParams = Type.Object({ chatId: Uuid }, { additionalProperties: false });
const CampaignParams = Type.Object({ workspaceId: Uuid, campaignId: Uuid }, { additionalProperties: false });
const CampaignItemParams = Type.Object(
  { workspaceId: Uuid, campaignId: Uuid, id: Uuid },
  { additionalProperties: false },
);

/**
 * The chat role's HTTP and WebSocket side: the widget's socket and uploads (public, checked
 * against the channel's origins and the chat's token), the agent's chat routes, the Chat Panel's
 * waiting list, Chat History, and the administration of channels and canned responses.
 */
export function registerChat(app: FastifyInstance, deps: ChatDeps): { chats: ChatService; close(): void } {
  const { db, clock } = deps;
  const tokens = new ChatTokens(loadSecretKey({ secretKey: deps.secretKey, dataDir: deps.dataDir }));
  const chats = new ChatService({
    db,
    acd: deps.acd,
    bus: deps.bus,
    clock,
    log: deps.log,
    tokens,
    ...(deps.customerGraceMs !== undefined && { customerGraceMs: deps.customerGraceMs }),
  });
  const sockets = new ChatSockets(
    chats,
    deps.bus,
    clock,
    { socketsPerSource: deps.socketsPerSource, startsPerMinute: deps.startsPerMinute },
    deps.log,
  );
  sockets.register(app);
  chats.awaitCustomers().catch((err) => deps.log.error({ err }, 'open chats not found after the start'));
  const attachments = new ChatAttachments(db, path.join(deps.dataDir, 'chat-attachments'), clock);
  const history = new ChatHistory(db, chats);

  /* The agent */
  app.get(
    '/api/interactions/:id/chat',
    { schema: { tags, params: InteractionParams, response: { 200: AgentChatView, ...errors } } },
    (req) => chats.view(currentSession(req), (req.params as { id: string }).id),
  );
  app.post(
    '/api/interactions/:id/chat/messages',
    {
      schema: {
        tags,
        params: InteractionParams,
        body: SendChatMessageBody,
        response: { 200: ChatMessage, ...errors },
      },
    },
    (req) => {
      const body = req.body as SendChatMessageBody;
      return chats.agentSends(
        currentSession(req),
        (req.params as { id: string }).id,
        body.clientId,
        body.text,
      );
    },
  );
  app.post(
    '/api/interactions/:id/chat/typing',
    {
      schema: {
        tags,
        params: InteractionParams,
        body: ChatTypingBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const { typing } = req.body as ChatTypingBody;
      await chats.agentTyping(currentSession(req), (req.params as { id: string }).id, typing);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/interactions/:id/chat/read',
    {
      schema: {
        tags,
        params: InteractionParams,
        body: ChatReadBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const { seq } = req.body as ChatReadBody;
      await chats.agentRead(currentSession(req), (req.params as { id: string }).id, seq);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/interactions/:id/chat/attachments/:attachmentId',
    { schema: { tags, params: AttachmentParams } },
    async (req, reply) => {
      const { id, attachmentId } = req.params as { id: string; attachmentId: string };
      const view = await chats.view(currentSession(req), id);
      return attachments.send(reply, view.chatId, attachmentId);
    },
  );
  app.get('/api/chats/waiting', { schema: { tags, response: { 200: WaitingChats, ...errors } } }, (req) =>
    deps.acd.waitingChatsFor(currentSession(req).userId),
  );
  app.post(
    '/api/chats/waiting/:id/take',
    { schema: { tags, params: InteractionParams, response: { 200: AgentState, ...errors } } },
    (req) => chats.take(currentSession(req), (req.params as { id: string }).id),
  );

  /* Chat History */
  app.get(
    '/api/chat-history',
    { schema: { tags, querystring: ChatHistoryQuery, response: { 200: ChatHistoryList, ...errors } } },
    (req) => history.list(currentSession(req), req.query as ChatHistoryQuery),
  );
  app.get(
    '/api/chat-history/:chatId',
    { schema: { tags, params: ChatParams, response: { 200: ChatTranscript, ...errors } } },
    (req) => history.transcript(currentSession(req), (req.params as { chatId: string }).chatId),
  );

  /* Administration */
  registerCrudRoutes(
    app,
    {
      base: '/api/workspaces/:workspaceId/chat-channels',
      tag: 'chat channels',
      scopeParams: WorkspaceParams,
      itemParams: ResourceParams,
      item: ChatChannel,
      createBody: CreateChatChannelBody,
      updateBody: UpdateChatChannelBody,
      readAccess: STAFF,
      writeAccess: ADMIN,
    },
    new ChatChannelsService(db),
  );
  registerCrudRoutes(
    app,
    {
      base: '/api/workspaces/:workspaceId/campaigns/:campaignId/canned-responses',
      tag: 'canned responses',
      scopeParams: CampaignParams,
      itemParams: CampaignItemParams,
      item: CannedResponse,
      createBody: CreateCannedResponseBody,
      updateBody: UpdateCannedResponseBody,
      readAccess: STAFF,
      writeAccess: ADMIN,
    },
    new CannedResponsesService(db),
  );

  /* The widget's files */
  const allowedOrigin = async (chatId: string, origin: string | undefined) => {
    const row = await db
      .selectFrom('chats as c')
      .innerJoin('chat_channels as h', 'h.id', 'c.channel_id')
      .select('h.allowed_origins')
      .where('c.id', '=', chatId)
      .executeTakeFirst();
    if (!origin || !row?.allowed_origins.includes(origin))
      throw new AppError('CHAT_ORIGIN_REFUSED', 'This website may not open this chat');
    return origin;
  };
  const chatOf = (token: unknown) => {
    if (typeof token !== 'string')
      throw new AppError('CHAT_TOKEN_INVALID', 'This chat link is not valid any more');
    return tokens.verify(token, clock.now());
  };
  // Preflight for the widget's upload from another site: the POST itself checks the origin.
  app.options(CHAT_ATTACHMENTS_PATH, { config: { access: 'public' }, schema: { hide: true } }, (req, reply) =>
    reply
      .header('Access-Control-Allow-Origin', req.headers.origin ?? '*')
      .header('Access-Control-Allow-Methods', 'POST')
      .header('Access-Control-Allow-Headers', `Content-Type, ${CHAT_TOKEN_HEADER}, ${CHAT_FILE_NAME_HEADER}`)
      .header('Access-Control-Max-Age', '600')
      .header('Vary', 'Origin')
      .status(204)
      .send(),
  );
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: CHAT_ATTACHMENT_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    scoped.post(
      CHAT_ATTACHMENTS_PATH,
      {
        bodyLimit: CHAT_ATTACHMENT_MAX_BYTES,
        config: { access: 'public', crossOrigin: true },
        schema: { tags, response: { 201: ChatMessage, ...errors, 413: ErrorBody, 415: ErrorBody } },
      },
      async (req, reply) => {
        const chatId = chatOf(req.headers[CHAT_TOKEN_HEADER.toLowerCase()]);
        const origin = await allowedOrigin(chatId, req.headers.origin);
        reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
        const name = req.headers[CHAT_FILE_NAME_HEADER.toLowerCase()];
        const stored = await attachments.store(
          chatId,
          typeof name === 'string' ? name : undefined,
          Buffer.isBuffer(req.body) ? req.body : undefined,
        );
        const message = await chats.customerSends(chatId, `attachment:${stored.id}`, stored.name, stored.id);
        return reply.status(201).send(message);
      },
    );
  });
  app.get(
    `${CHAT_ATTACHMENTS_PATH}/:attachmentId`,
    {
      config: { access: 'public' },
      schema: {
        tags,
        params: Type.Object({ attachmentId: Uuid }, { additionalProperties: false }),
        querystring: Type.Object({ token: Type.String({ maxLength: 400 }) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      const chatId = chatOf((req.query as { token: string }).token);
      return attachments.send(reply, chatId, (req.params as { attachmentId: string }).attachmentId);
    },
  );
  // A page of the platform's own with the widget on it, for trying a channel: ?channel=<id>, else
  // the first channel that allows this page's origin (the demo workspace's "ACME website").
  app.get(
    CHAT_DEMO_PATH,
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: Type.Object({ channel: Type.Optional(Uuid) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      const origin = `${req.protocol}://${req.headers.host ?? ''}`;
      const wanted = (req.query as { channel?: string }).channel;
      let q = db.selectFrom('chat_channels').select(['id', 'name']).orderBy('created_at').limit(1);
      q = wanted ? q.where('id', '=', wanted) : q.where(sql<boolean>`${origin} = any(allowed_origins)`);
      const channel = await q.executeTakeFirst();
      const body = channel
        ? `<p>This page stands for a customer's website. The chat button at the bottom right opens ${escapeHtml(channel.name)}.</p>
<script src="${CHAT_SCRIPT_PATH}" data-channel="${channel.id}"></script>`
        : `<p>No chat channel allows this page's address (${escapeHtml(origin)}). Add it to a channel's allowed origins, or open this page with ?channel=&lt;id&gt;.</p>`;
      return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chat demo</title></head>
<body><h1>ACME Demo store</h1>
${body}
</body></html>`);
    },
  );

  return {
    chats,
    close() {
      sockets.close();
      chats.close();
    },
  };
}
