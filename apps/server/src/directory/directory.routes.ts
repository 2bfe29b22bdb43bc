import {
  DirectorySearchQuery,
  DirectorySearchResult,
  ErrorBody,
  GraphSettings,
  UpdateGraphSettingsBody,
  WorkspaceParams,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN, currentSession } from '../http/access.js';
import type { DirectoryService } from './directory.service.js';
import type { GraphProvider } from './graph.provider.js';
import type { GraphSettingsService } from './graph-settings.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };
const graphPath = '/api/workspaces/:workspaceId/directory/graph';
type Params = { workspaceId: string };

/** The search every signed-in user has, and the administrator's Microsoft Graph settings. */
export function registerDirectoryRoutes(
  app: FastifyInstance,
  s: { directory: DirectoryService; graphSettings: GraphSettingsService; graph: GraphProvider },
): void {
  app.get(
    '/api/directory/search',
    {
      schema: {
        tags: ['directory'],
        querystring: DirectorySearchQuery,
        response: { 200: DirectorySearchResult, ...errors, 429: ErrorBody },
      },
    },
    (req) => {
      const session = currentSession(req);
      return s.directory.search(session, (req.query as DirectorySearchQuery).q);
    },
  );
  const tags = ['directory'];
  app.get(
    graphPath,
    {
      config: { access: ADMIN },
      schema: { tags, params: WorkspaceParams, response: { 200: GraphSettings, ...errors } },
    },
    (req) => s.graphSettings.get((req.params as Params).workspaceId),
  );
  app.put(
    graphPath,
    {
      config: { access: ADMIN },
      schema: {
        tags,
        params: WorkspaceParams,
        body: UpdateGraphSettingsBody,
        response: { 200: GraphSettings, ...errors },
      },
    },
    (req) => s.graphSettings.put((req.params as Params).workspaceId, req.body as UpdateGraphSettingsBody),
  );
  app.delete(
    graphPath,
    {
      config: { access: ADMIN },
      schema: { tags, params: WorkspaceParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      await s.graphSettings.remove((req.params as Params).workspaceId);
      return reply.status(204).send();
    },
  );
  app.post(
    `${graphPath}/check`,
    {
      config: { access: ADMIN },
      schema: {
        tags,
        params: WorkspaceParams,
        response: { 204: Type.Null(), ...errors, 502: ErrorBody, 503: ErrorBody },
      },
    },
    async (req, reply) => {
      await s.graph.check((req.params as Params).workspaceId);
      return reply.status(204).send();
    },
  );
}
