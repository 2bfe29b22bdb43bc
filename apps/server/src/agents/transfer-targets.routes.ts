import { ErrorBody, TransferAgent, TransferWorkflow } from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { currentSession } from '../http/access.js';
import type { AcdService } from './acd.service.js';
import type { AgentsRepository } from './agents.repository.js';

const errors = { 401: ErrorBody, 403: ErrorBody };
const tags = ['agent'];

/** What the toolbar's Transfer dialog lists: agents free to take a call now, and IVR workflows. */
export function registerTransferTargetRoutes(
  app: FastifyInstance,
  acd: AcdService,
  repo: AgentsRepository,
): void {
  app.get(
    '/api/transfer/agents',
    { schema: { tags, response: { 200: Type.Array(TransferAgent), ...errors } } },
    (req) => {
      const s = currentSession(req);
      return acd.transferTargets(s.workspaceId, s.userId);
    },
  );
  app.get(
    '/api/transfer/workflows',
    { schema: { tags, response: { 200: Type.Array(TransferWorkflow), ...errors } } },
    (req) => repo.transferWorkflows(currentSession(req).workspaceId),
  );
}
