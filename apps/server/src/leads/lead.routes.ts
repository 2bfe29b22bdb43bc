import {
  AgentState,
  Callback,
  ConvertBody,
  ConvertCampaign,
  DialLeadBody,
  ErrorBody,
  Lead,
  LeadNumberBody,
  LeadSearchQuery,
  LeadSummary,
  Uuid,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import { currentSession } from '../http/access.js';
import type { LeadDesk } from './lead-desk.js';
import type { LeadWork } from './lead-work.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['agent'];
const params = Type.Object({ id: Uuid }, { additionalProperties: false });
const numberParams = Type.Object({ id: Uuid, numberId: Uuid }, { additionalProperties: false });

/**
 * The agent's leads: the presented lead (dial one of its numbers, add, edit or remove its
 * numbers), the Lead Manager (search, choose as the next contact), Callbacks, and Convert to
 * Outbound on a live inbound call.
 */
export function registerLeadRoutes(
  app: FastifyInstance,
  leads: LeadWork,
  desk: LeadDesk,
  acd: AcdService,
): void {
  app.get(
    '/api/leads/search',
    { schema: { tags, querystring: LeadSearchQuery, response: { 200: Type.Array(LeadSummary), ...errors } } },
    (req) => {
      const { q, campaignId } = req.query as LeadSearchQuery;
      const userId = currentSession(req).userId;
      const mine = desk.outboundCampaigns(userId);
      return desk.search(campaignId ? mine.filter((c) => c === campaignId) : mine, q, userId);
    },
  );
  app.post(
    '/api/leads/:id/choose',
    { schema: { tags, params, response: { 200: AgentState, ...errors } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const userId = currentSession(req).userId;
      await desk.choose(userId, id);
      await leads.present(userId);
      return acd.stateOf(userId);
    },
  );
  app.get('/api/callbacks', { schema: { tags, response: { 200: Type.Array(Callback), ...errors } } }, (req) =>
    desk.callbacks(currentSession(req).userId),
  );
  app.get(
    '/api/interactions/:id/convert/campaigns',
    { schema: { tags, params, response: { 200: Type.Array(ConvertCampaign), ...errors } } },
    (req) => {
      const s = currentSession(req);
      return desk.convertCampaigns(s.userId, s.workspaceId);
    },
  );
  app.get(
    '/api/interactions/:id/convert/leads',
    {
      schema: {
        tags,
        params,
        querystring: LeadSearchQuery,
        response: { 200: Type.Array(LeadSummary), ...errors },
      },
    },
    async (req) => {
      const s = currentSession(req);
      const { q, campaignId } = req.query as LeadSearchQuery;
      const allowed = (await desk.convertCampaigns(s.userId, s.workspaceId)).map((c) => c.id);
      return desk.search(campaignId ? allowed.filter((c) => c === campaignId) : allowed, q, s.userId);
    },
  );
  app.post(
    '/api/interactions/:id/convert',
    { schema: { tags, params, body: ConvertBody, response: { 200: AgentState, ...errors } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const s = currentSession(req);
      await desk.convert(s.userId, s.workspaceId, id, (req.body as ConvertBody).leadId);
      return acd.stateOf(s.userId);
    },
  );
  app.post(
    '/api/interactions/:id/lead/dial',
    { schema: { tags, params, body: DialLeadBody, response: { 200: AgentState, ...errors } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const userId = currentSession(req).userId;
      await leads.dial(userId, id, req.body as DialLeadBody);
      return acd.stateOf(userId);
    },
  );
  app.post(
    '/api/interactions/:id/lead/numbers',
    { schema: { tags, params, body: LeadNumberBody, response: { 200: Lead, ...errors } } },
    (req) => {
      const { id } = req.params as { id: string };
      return leads.addNumber(currentSession(req).userId, id, req.body as LeadNumberBody);
    },
  );
  app.put(
    '/api/interactions/:id/lead/numbers/:numberId',
    { schema: { tags, params: numberParams, body: LeadNumberBody, response: { 200: Lead, ...errors } } },
    (req) => {
      const { id, numberId } = req.params as { id: string; numberId: string };
      return leads.updateNumber(currentSession(req).userId, id, numberId, req.body as LeadNumberBody);
    },
  );
  app.delete(
    '/api/interactions/:id/lead/numbers/:numberId',
    { schema: { tags, params: numberParams, response: { 200: Lead, ...errors } } },
    (req) => {
      const { id, numberId } = req.params as { id: string; numberId: string };
      return leads.removeNumber(currentSession(req).userId, id, numberId);
    },
  );
}
