import { ErrorBody, UpdateWorkspaceSettingsBody, WorkspaceParams, WorkspaceSettings } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import { ADMIN, STAFF } from '../http/access.js';
import type { WorkspaceService } from './workspace.service.js';

type Params = { workspaceId: string };
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export function registerWorkspaceRoutes(app: FastifyInstance, workspace: WorkspaceService): void {
  const path = '/api/workspaces/:workspaceId/settings';
  app.get(
    path,
    {
      config: { access: STAFF },
      schema: {
        tags: ['workspace'],
        params: WorkspaceParams,
        response: { 200: WorkspaceSettings, ...errors },
      },
    },
    (req) => workspace.get((req.params as Params).workspaceId),
  );
  app.patch(
    path,
    {
      config: { access: ADMIN },
      schema: {
        tags: ['workspace'],
        params: WorkspaceParams,
        body: UpdateWorkspaceSettingsBody,
        response: { 200: WorkspaceSettings, ...errors },
      },
    },
    (req) => workspace.update((req.params as Params).workspaceId, req.body as UpdateWorkspaceSettingsBody),
  );
}
