import { CallMeBody, ErrorBody } from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { currentSession } from '../http/access.js';
import type { CallMeService } from './call-me.service.js';

/** "Call me to connect": the platform rings the agent's phone; the voice state shows the outcome. */
export function registerCallMeRoutes(app: FastifyInstance, callMe: CallMeService): void {
  app.post(
    '/api/voice/call-me',
    {
      schema: {
        tags: ['agent'],
        body: CallMeBody,
        response: {
          202: Type.Object({ state: Type.Literal('calling') }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const s = currentSession(req);
      const body = req.body as CallMeBody;
      await callMe.start(s.userId, s.workspaceId, body.destination, body.persistent);
      return reply.status(202).send({ state: 'calling' });
    },
  );
}
