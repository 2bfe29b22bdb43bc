import { AgentState, DialLeadBody, ErrorBody, Lead, LeadNumberBody, Uuid } from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import { currentSession } from '../http/access.js';
import type { LeadWork } from './lead-work.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['agent'];
const params = Type.Object({ id: Uuid }, { additionalProperties: false });
const numberParams = Type.Object({ id: Uuid, numberId: Uuid }, { additionalProperties: false });

/** The agent's presented lead: dial one of its numbers, add, edit or remove its numbers. */
export function registerLeadRoutes(app: FastifyInstance, leads: LeadWork, acd: AcdService): void {
  app.post(
    '/api/interactions/:id/lead/dial',
    { schema: { tags, params, body: DialLeadBody, response: { 200: AgentState, ...errors } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const userId = currentSession(req).userId;
      await leads.dial(userId, id, (req.body as DialLeadBody).numberId);
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
