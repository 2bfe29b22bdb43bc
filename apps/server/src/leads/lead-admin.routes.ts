import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  CreateLeadListBody,
  type CreateLeadListBody as CreateLeadListBodyType,
  DoNotCallBody,
  type DoNotCallBody as DoNotCallBodyType,
  DoNotCallEntry,
  DoNotCallImportQuery,
  type DoNotCallImportQuery as DoNotCallImportQueryType,
  DoNotCallPage,
  DoNotCallParams,
  DoNotCallQuery,
  type DoNotCallQuery as DoNotCallQueryType,
  ErrorBody,
  LEAD_CSV_CONTENT_TYPE,
  Lead,
  LeadImport,
  LeadImportParams,
  LeadImportQuery,
  type LeadImportQuery as LeadImportQueryType,
  LeadList,
  LeadListParams,
  LeadListQuery,
  LeadPage,
  LeadPageQuery,
  type LeadPageQuery as LeadPageQueryType,
  LeadParams,
  ResourceParams,
  WorkspaceParams,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { ADMIN, currentSession, STAFF } from '../http/access.js';
import { workspaceDialPlan } from '../voice/dial-plan.js';
import { DoNotCallService } from './do-not-call.service.js';
import { LeadImportsService } from './lead-import.service.js';
import { LeadListsService, type WorkspaceCountry } from './lead-lists.service.js';

export interface LeadAdminDeps {
  db: Db;
  bus: EventBus;
  clock: Clock;
  /** Where import error reports are kept (outside the web root). */
  dataDir: string;
  /** The server's default country, for campaigns and workspaces without one. */
  defaultCountry: string;
}

const ws = '/api/workspaces/:workspaceId';
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const CSV_TYPES = [LEAD_CSV_CONTENT_TYPE, 'application/csv'];
type Scope = { workspaceId: string };

/** The upload as it arrives: the request's own stream, never read into memory here. */
function upload(req: FastifyRequest) {
  const length = Number(req.headers['content-length']);
  return {
    body: req.body as Readable,
    contentLength: Number.isFinite(length) ? length : undefined,
    userId: currentSession(req).userId,
  };
}

/**
 * Administrators' lead lists (G8): create, list, read and delete the lists of outbound campaigns,
 * read their leads a page at a time, import leads from CSV as a job with a per-row report; the
 * workspace's do-not-call list (add, list, remove, import). Administrators write, managers read;
 * the reports are the administrators'.
 */
export function registerLeadAdminRoutes(
  app: FastifyInstance,
  deps: LeadAdminDeps,
): { close(): Promise<void> } {
  const { db, clock } = deps;
  const serverPlan = {
    defaultCountry: deps.defaultCountry,
    allowed: [],
    blocked: [],
    sipTrusted: () => false,
  };
  const workspaceCountry: WorkspaceCountry = async (workspaceId) =>
    (await workspaceDialPlan(db, workspaceId, serverPlan)).defaultCountry;
  const imports = new LeadImportsService(db, clock, deps.dataDir, app.log);
  const lists = new LeadListsService(db, imports, workspaceCountry, clock);
  const dnc = new DoNotCallService(db, imports, workspaceCountry);

  app.get(
    `${ws}/lead-lists`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['leads'],
        params: WorkspaceParams,
        querystring: LeadListQuery,
        response: { 200: Type.Array(LeadList), ...errors },
      },
    },
    (req) => lists.list(req.params as Scope, (req.query as { campaignId?: string }).campaignId),
  );
  app.post(
    `${ws}/lead-lists`,
    {
      config: { access: ADMIN },
      schema: {
        tags: ['leads'],
        params: WorkspaceParams,
        body: CreateLeadListBody,
        response: { 201: LeadList, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await lists.create(req.params as Scope, req.body as CreateLeadListBodyType)),
  );
  app.get(
    `${ws}/lead-lists/:id`,
    {
      config: { access: STAFF },
      schema: { tags: ['leads'], params: ResourceParams, response: { 200: LeadList, ...errors } },
    },
    (req) => {
      const { id, ...scope } = req.params as Scope & { id: string };
      return lists.get(scope, id);
    },
  );
  app.delete(
    `${ws}/lead-lists/:id`,
    {
      config: { access: ADMIN },
      schema: { tags: ['leads'], params: ResourceParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const { id, ...scope } = req.params as Scope & { id: string };
      await lists.remove(scope, id);
      return reply.status(204).send();
    },
  );
  app.get(
    `${ws}/lead-lists/:listId/leads`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['leads'],
        params: LeadListParams,
        querystring: LeadPageQuery,
        response: { 200: LeadPage, ...errors },
      },
    },
    (req) => {
      const { listId, ...scope } = req.params as Scope & { listId: string };
      return lists.leads(scope, listId, req.query as LeadPageQueryType);
    },
  );
  app.get(
    `${ws}/lead-lists/:listId/leads/:leadId`,
    {
      config: { access: STAFF },
      schema: { tags: ['leads'], params: LeadParams, response: { 200: Lead, ...errors } },
    },
    (req) => {
      const { listId, leadId, ...scope } = req.params as Scope & { listId: string; leadId: string };
      return lists.lead(scope, listId, leadId);
    },
  );
  app.get(
    `${ws}/lead-lists/:listId/imports`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['leads'],
        params: LeadListParams,
        response: { 200: Type.Array(LeadImport), ...errors },
      },
    },
    (req) => {
      const { listId, ...scope } = req.params as Scope & { listId: string };
      return lists.listImports(scope, listId);
    },
  );
  app.get(
    `${ws}/lead-imports/:importId`,
    {
      config: { access: STAFF },
      schema: { tags: ['leads'], params: LeadImportParams, response: { 200: LeadImport, ...errors } },
    },
    (req) => {
      const { importId, ...scope } = req.params as Scope & { importId: string };
      return imports.get(scope, importId);
    },
  );
  app.get(
    `${ws}/lead-imports/:importId/report`,
    { config: { access: ADMIN }, schema: { tags: ['leads'], params: LeadImportParams, response: errors } },
    async (req, reply) => {
      const { importId, ...scope } = req.params as Scope & { importId: string };
      const file = await imports.report(scope, importId);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-length', file.size)
        .header('content-disposition', `attachment; filename="import-${importId}-report.csv"`)
        .header('cache-control', 'private, no-store')
        .send(createReadStream(file.path));
    },
  );

  app.get(
    `${ws}/do-not-call`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['do not call'],
        params: WorkspaceParams,
        querystring: DoNotCallQuery,
        response: { 200: DoNotCallPage, ...errors },
      },
    },
    (req) => dnc.list(req.params as Scope, req.query as DoNotCallQueryType),
  );
  app.post(
    `${ws}/do-not-call`,
    {
      config: { access: ADMIN },
      schema: {
        tags: ['do not call'],
        params: WorkspaceParams,
        body: DoNotCallBody,
        response: { 201: DoNotCallEntry, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await dnc.add(req.params as Scope, req.body as DoNotCallBodyType)),
  );
  app.get(
    `${ws}/do-not-call/imports`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['do not call'],
        params: WorkspaceParams,
        response: { 200: Type.Array(LeadImport), ...errors },
      },
    },
    (req) => dnc.listImports(req.params as Scope),
  );
  app.get(
    `${ws}/do-not-call/:number`,
    {
      config: { access: STAFF },
      schema: {
        tags: ['do not call'],
        params: DoNotCallParams,
        response: { 200: DoNotCallEntry, ...errors },
      },
    },
    (req) => {
      const { number, ...scope } = req.params as Scope & { number: string };
      return dnc.get(scope, number);
    },
  );
  app.delete(
    `${ws}/do-not-call/:number`,
    {
      config: { access: ADMIN },
      schema: { tags: ['do not call'], params: DoNotCallParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const { number, ...scope } = req.params as Scope & { number: string };
      await dnc.remove(scope, number);
      return reply.status(204).send();
    },
  );

  // The CSV file is the body, handed on as the request's stream: its parser is confined to these routes.
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser(CSV_TYPES, (_req, payload, done) => done(null, payload));
    scoped.post(
      `${ws}/lead-lists/:listId/imports`,
      {
        config: { access: ADMIN },
        schema: {
          tags: ['leads'],
          params: LeadListParams,
          querystring: LeadImportQuery,
          response: { 202: LeadImport, ...errors, 415: ErrorBody },
        },
      },
      async (req, reply) => {
        const { listId, ...scope } = req.params as Scope & { listId: string };
        const job = await lists.import(scope, listId, req.query as LeadImportQueryType, upload(req));
        return reply.status(202).send(job);
      },
    );
    scoped.post(
      `${ws}/do-not-call/imports`,
      {
        config: { access: ADMIN },
        schema: {
          tags: ['do not call'],
          params: WorkspaceParams,
          querystring: DoNotCallImportQuery,
          response: { 202: LeadImport, ...errors, 415: ErrorBody },
        },
      },
      async (req, reply) => {
        const job = await dnc.import(req.params as Scope, req.query as DoNotCallImportQueryType, upload(req));
        return reply.status(202).send(job);
      },
    );
  });
  // The API role's close() stops the imports this process runs, in the shutdown sequence.
  return { close: () => imports.close() };
}
