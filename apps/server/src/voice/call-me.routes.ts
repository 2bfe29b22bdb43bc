import { CallMeBody, CallMeDefault, ErrorBody } from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { currentSession } from '../http/access.js';
import type { CallMeService } from './call-me.service.js';

/**
 * "Call me to connect": the platform rings the agent's phone; the voice state shows the outcome.
 * "Save as default" keeps the number and mode with the agent (they hot-desk), once the
 * destination has passed the dial plan.
 */
export function registerCallMeRoutes(app: FastifyInstance, db: Db, callMe: CallMeService): void {
  app.get(
    '/api/voice/call-me',
    { schema: { tags: ['agent'], response: { 200: CallMeDefault, 401: ErrorBody } } },
    async (req) => {
      const row = await db
        .selectFrom('users')
        .select('call_me_default')
        .where('id', '=', currentSession(req).userId)
        .executeTakeFirst();
      return { default: row?.call_me_default ?? null };
    },
  );

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
      if (body.saveAsDefault !== undefined) {
        const saved = body.saveAsDefault
          ? JSON.stringify({ destination: body.destination.trim(), persistent: body.persistent })
          : null;
        await db.updateTable('users').set({ call_me_default: saved }).where('id', '=', s.userId).execute();
      }
      return reply.status(202).send({ state: 'calling' });
    },
  );
}
