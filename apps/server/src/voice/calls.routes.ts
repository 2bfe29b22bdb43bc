import { AgentState, ErrorBody, HoldBody, RecordingBody, Uuid } from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import { currentSession } from '../http/access.js';
import type { CallsService } from './calls.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const params = Type.Object({ id: Uuid }, { additionalProperties: false });
const tags = ['agent'];

/** Call controls on the agent's own call: hold/resume (E3), stop/start recording (E1), tag it (E2). */
export function registerCallRoutes(app: FastifyInstance, calls: CallsService, acd: AcdService): void {
  app.post(
    '/api/interactions/:id/hold',
    { schema: { tags, params, body: HoldBody, response: { 200: AgentState, ...errors } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const userId = currentSession(req).userId;
      await calls.setHeld(userId, id, (req.body as HoldBody).held);
      return acd.stateOf(userId);
    },
  );
  app.post(
    '/api/interactions/:id/recording',
    { schema: { tags, params, body: RecordingBody, response: { 200: AgentState, ...errors } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const userId = currentSession(req).userId;
      await calls.setRecording(userId, id, (req.body as RecordingBody).recording);
      return acd.stateOf(userId);
    },
  );
  app.post(
    '/api/interactions/:id/recording/tags',
    {
      schema: {
        tags,
        params,
        response: { 200: Type.Object({ atMs: Type.Integer() }), ...errors },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      return { atMs: await calls.tagRecording(currentSession(req).userId, id) };
    },
  );
}
