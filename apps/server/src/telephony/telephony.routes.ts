import {
  CreateSipExtensionBody,
  CreateSipTrunkBody,
  ResourceParams,
  SipExtension,
  SipTrunk,
  UpdateSipExtensionBody,
  UpdateSipTrunkBody,
  WorkspaceParams,
} from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import { ADMIN } from '../http/access.js';
import { registerCrudRoutes } from '../http/crud-routes.js';
import type { ExtensionsService, TrunksService } from './telephony.service.js';

const ws = '/api/workspaces/:workspaceId';

/** Administration of SIP trunks and desk phone extensions (P4): administrators only. */
export function registerTelephonyRoutes(
  app: FastifyInstance,
  services: { trunks: TrunksService; extensions: ExtensionsService },
): void {
  const common = {
    scopeParams: WorkspaceParams,
    itemParams: ResourceParams,
    readAccess: ADMIN,
    writeAccess: ADMIN,
    tag: 'telephony',
  };
  registerCrudRoutes(
    app,
    {
      ...common,
      base: `${ws}/trunks`,
      item: SipTrunk,
      createBody: CreateSipTrunkBody,
      updateBody: UpdateSipTrunkBody,
    },
    services.trunks,
  );
  registerCrudRoutes(
    app,
    {
      ...common,
      base: `${ws}/extensions`,
      item: SipExtension,
      createBody: CreateSipExtensionBody,
      updateBody: UpdateSipExtensionBody,
    },
    services.extensions,
  );
}
