import {
  CreateInboundNumberBody,
  CreateWorkflowBody,
  InboundNumber,
  UpdateInboundNumberBody,
  UpdateWorkflowBody,
  Uuid,
  Workflow,
  WorkspaceParams,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { ADMIN, STAFF } from '../http/access.js';
import { registerCrudRoutes } from '../http/crud-routes.js';
import { promptsDir } from '../sounds.js';
import { InboundNumbersService, WorkflowsService } from './workflows.service.js';

const ResourceParams = Type.Object({ workspaceId: Uuid, id: Uuid }, { additionalProperties: false });
const ws = '/api/workspaces/:workspaceId';

/** Administration of IVR workflows and inbound numbers (P4, D1). */
export function registerIvrRoutes(app: FastifyInstance, db: Db): void {
  const common = {
    scopeParams: WorkspaceParams,
    itemParams: ResourceParams,
    readAccess: STAFF,
    writeAccess: ADMIN,
  };
  registerCrudRoutes(
    app,
    {
      ...common,
      base: `${ws}/workflows`,
      tag: 'ivr',
      item: Workflow,
      createBody: CreateWorkflowBody,
      updateBody: UpdateWorkflowBody,
    },
    new WorkflowsService(db, promptsDir()),
  );
  registerCrudRoutes(
    app,
    {
      ...common,
      base: `${ws}/numbers`,
      tag: 'ivr',
      item: InboundNumber,
      createBody: CreateInboundNumberBody,
      updateBody: UpdateInboundNumberBody,
    },
    new InboundNumbersService(db),
  );
}
