import { createReadStream } from 'node:fs';
import {
  AgentAnnouncementParams,
  AgentCampaignParams,
  ANNOUNCEMENT_MAX_BYTES,
  Announcement,
  AnnouncementParams,
  CampaignParams,
  ErrorBody,
  TransferDestination,
  type UpdateAnnouncementBody,
  UpdateAnnouncementBody as UpdateAnnouncementSchema,
  UploadAnnouncementQuery,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { ADMIN, currentSession, STAFF } from '../http/access.js';
import { type AnnouncementsService, assertServesCampaign } from './announcements.service.js';
import type { TransferPoolService } from './transfer-pool.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['announcements'];
const base = '/api/workspaces/:workspaceId/campaigns/:campaignId/announcements';
/** The content types an upload may name (audio/wav, and the older spellings of it). */
const WAV_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'];

type Scope = { workspaceId: string; campaignId: string };
type Item = Scope & { id: string };

/** A file name for Content-Disposition: ASCII for old clients, the real name in filename*. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\/;]/g, '_').trim() || 'announcement';
  return `inline; filename="${ascii}.wav"; filename*=UTF-8''${encodeURIComponent(`${name}.wav`)}`;
}

/**
 * Announcements (I6): administrators upload (the WAV is the body), rename and delete; managers
 * read. The campaign's agents list them and everyone who serves the campaign streams them.
 * The transfer pool's administration is with the other catalog routes; its agents' read is here.
 */
export function registerCampaignMediaRoutes(
  app: FastifyInstance,
  deps: { db: Db; announcements: AnnouncementsService; transferPool: TransferPoolService },
): void {
  const { db, announcements, transferPool } = deps;

  app.get(
    base,
    {
      config: { access: STAFF },
      schema: { tags, params: CampaignParams, response: { 200: Type.Array(Announcement) } },
    },
    (req) => announcements.list(req.params as Scope),
  );
  app.get(
    `${base}/:id`,
    {
      config: { access: STAFF },
      schema: { tags, params: AnnouncementParams, response: { 200: Announcement, ...errors } },
    },
    (req) => {
      const { id, ...scope } = req.params as Item;
      return announcements.get(scope, id);
    },
  );
  // The upload takes a raw WAV body: its parser is confined to this one route.
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser(
      WAV_TYPES,
      { parseAs: 'buffer', bodyLimit: ANNOUNCEMENT_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    scoped.post(
      base,
      {
        bodyLimit: ANNOUNCEMENT_MAX_BYTES,
        config: { access: ADMIN },
        schema: {
          tags,
          params: CampaignParams,
          querystring: UploadAnnouncementQuery,
          response: { 201: Announcement, ...errors, 415: ErrorBody },
        },
      },
      async (req, reply) => {
        const { name } = req.query as { name: string };
        const body = Buffer.isBuffer(req.body) ? req.body : undefined;
        const created = await announcements.upload(req.params as Scope, name, body);
        return reply.status(201).send(created);
      },
    );
  });
  app.patch(
    `${base}/:id`,
    {
      config: { access: ADMIN },
      schema: {
        tags,
        params: AnnouncementParams,
        body: UpdateAnnouncementSchema,
        response: { 200: Announcement, ...errors },
      },
    },
    (req) => {
      const { id, ...scope } = req.params as Item;
      return announcements.update(scope, id, req.body as UpdateAnnouncementBody);
    },
  );
  app.delete(
    `${base}/:id`,
    {
      config: { access: ADMIN },
      schema: { tags, params: AnnouncementParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const { id, ...scope } = req.params as Item;
      await announcements.remove(scope, id);
      return reply.status(204).send();
    },
  );

  // What the agents of the campaign (and its workspace's staff) read for their calls.
  app.get(
    '/api/campaigns/:campaignId/transfer-pool',
    {
      schema: {
        tags: ['agent'],
        params: AgentCampaignParams,
        response: { 200: Type.Array(TransferDestination), ...errors },
      },
    },
    async (req) => {
      const s = currentSession(req);
      const { campaignId } = req.params as { campaignId: string };
      await assertServesCampaign(db, s, campaignId);
      return transferPool.list({ workspaceId: s.workspaceId, campaignId });
    },
  );
  app.get(
    '/api/campaigns/:campaignId/announcements',
    {
      schema: {
        tags: ['agent'],
        params: AgentCampaignParams,
        response: { 200: Type.Array(Announcement), ...errors },
      },
    },
    async (req) => {
      const s = currentSession(req);
      const { campaignId } = req.params as { campaignId: string };
      await assertServesCampaign(db, s, campaignId);
      return announcements.list({ workspaceId: s.workspaceId, campaignId });
    },
  );
  app.get(
    '/api/campaigns/:campaignId/announcements/:id/audio',
    { schema: { tags: ['agent'], params: AgentAnnouncementParams, response: errors } },
    async (req, reply) => {
      const { campaignId, id } = req.params as { campaignId: string; id: string };
      const file = await announcements.audio(currentSession(req), campaignId, id);
      return reply
        .type('audio/wav')
        .header('content-length', file.size)
        .header('content-disposition', disposition(file.name))
        .header('cache-control', 'private, no-store')
        .send(createReadStream(file.path));
    },
  );
}
