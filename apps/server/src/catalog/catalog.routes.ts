import {
  AgentProfile,
  Campaign,
  CampaignParams,
  CreateAgentProfileBody,
  CreateCampaignBody,
  CreatePauseReasonBody,
  CreateTeamBody,
  CreateTransferDestinationBody,
  CreateWrapCodeBody,
  PauseReason,
  ResourceParams,
  Team,
  TransferDestination,
  TransferDestinationParams,
  UpdateAgentProfileBody,
  UpdateCampaignBody,
  UpdatePauseReasonBody,
  UpdateTeamBody,
  UpdateTransferDestinationBody,
  UpdateWrapCodeBody,
  WorkspaceParams,
  WrapCode,
  WrapCodeParams,
} from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import { ADMIN, STAFF } from '../http/access.js';
import { registerCrudRoutes } from '../http/crud-routes.js';
import type { AgentProfilesService } from './agent-profiles.service.js';
import type { CampaignsService } from './campaigns.service.js';
import type { PauseReasonsService } from './pause-reasons.service.js';
import type { TeamsService } from './teams.service.js';
import type { TransferPoolService } from './transfer-pool.service.js';
import type { WrapCodesService } from './wrap-codes.service.js';

export interface CatalogServices {
  teams: TeamsService;
  agentProfiles: AgentProfilesService;
  pauseReasons: PauseReasonsService;
  campaigns: CampaignsService;
  wrapCodes: WrapCodesService;
  transferPool: TransferPoolService;
}

const ws = '/api/workspaces/:workspaceId';
const inWorkspace = { scopeParams: WorkspaceParams, itemParams: ResourceParams, writeAccess: ADMIN };

/** Administration of what the guide says "your administrator" configures (P1-P3). */
export function registerCatalogRoutes(app: FastifyInstance, s: CatalogServices): void {
  registerCrudRoutes(
    app,
    {
      ...inWorkspace,
      base: `${ws}/teams`,
      tag: 'teams',
      item: Team,
      createBody: CreateTeamBody,
      updateBody: UpdateTeamBody,
      readAccess: STAFF,
    },
    s.teams,
  );
  registerCrudRoutes(
    app,
    {
      ...inWorkspace,
      base: `${ws}/agent-profiles`,
      tag: 'agent profiles',
      item: AgentProfile,
      createBody: CreateAgentProfileBody,
      updateBody: UpdateAgentProfileBody,
      readAccess: STAFF,
    },
    s.agentProfiles,
  );
  registerCrudRoutes(
    app,
    {
      ...inWorkspace,
      base: `${ws}/pause-reasons`,
      tag: 'pause reasons',
      item: PauseReason,
      createBody: CreatePauseReasonBody,
      updateBody: UpdatePauseReasonBody,
      readAccess: 'signed-in',
    },
    s.pauseReasons,
  );
  registerCrudRoutes(
    app,
    {
      ...inWorkspace,
      base: `${ws}/campaigns`,
      tag: 'campaigns',
      item: Campaign,
      createBody: CreateCampaignBody,
      updateBody: UpdateCampaignBody,
      readAccess: STAFF,
    },
    s.campaigns,
  );
  registerCrudRoutes(
    app,
    {
      base: `${ws}/campaigns/:campaignId/wrap-codes`,
      tag: 'wrap codes',
      scopeParams: CampaignParams,
      itemParams: WrapCodeParams,
      item: WrapCode,
      createBody: CreateWrapCodeBody,
      updateBody: UpdateWrapCodeBody,
      readAccess: STAFF,
      writeAccess: ADMIN,
    },
    s.wrapCodes,
  );
  registerCrudRoutes(
    app,
    {
      base: `${ws}/campaigns/:campaignId/transfer-pool`,
      tag: 'transfer pools',
      scopeParams: CampaignParams,
      itemParams: TransferDestinationParams,
      item: TransferDestination,
      createBody: CreateTransferDestinationBody,
      updateBody: UpdateTransferDestinationBody,
      readAccess: STAFF,
      writeAccess: ADMIN,
    },
    s.transferPool,
  );
}
