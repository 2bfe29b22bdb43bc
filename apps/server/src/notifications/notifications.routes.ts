import { ErrorBody } from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { currentSession } from '../http/access.js';
import type { NotificationsService } from './notifications.service.js';

export function registerNotificationsRoutes(app: FastifyInstance, notifications: NotificationsService): void {
  app.post(
    '/api/notifications/clear',
    { schema: { tags: ['notifications'], response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody } } },
    async (req, reply) => {
      await notifications.clear(currentSession(req).userId);
      return reply.status(204).send();
    },
  );
}
