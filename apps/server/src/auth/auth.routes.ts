import { ErrorBody, LoginBody, SessionResponse } from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../clock.js';
import { currentSession } from '../http/access.js';
import type { AuthService } from './auth.service.js';
import type { SessionsRepository } from './sessions.repository.js';

export const SESSION_COOKIE = 'parley_session';

export interface AuthRouteOptions {
  cookieSecure: boolean;
  sessionTtlMs: number;
}

/** Reads the session cookie on every request; routes then decide what they need. */
export function registerSessionLoading(
  app: FastifyInstance,
  sessions: SessionsRepository,
  clock: Clock,
): void {
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    request.session = token ? await sessions.find(token, clock.now()) : null;
  });
}

export function registerAuthRoutes(app: FastifyInstance, auth: AuthService, o: AuthRouteOptions): void {
  const cookie = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: o.cookieSecure,
  };
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      bodyLimit: 4096,
      schema: { tags: ['auth'], body: LoginBody, response: { 200: SessionResponse, ...errors } },
    },
    async (req, reply: FastifyReply) => {
      const { token, session } = await auth.login(req.body as LoginBody, req.ip);
      reply.setCookie(SESSION_COOKIE, token, { ...cookie, maxAge: Math.floor(o.sessionTtlMs / 1000) });
      return session;
    },
  );
  app.get(
    '/api/auth/session',
    { schema: { tags: ['auth'], response: { 200: SessionResponse, 401: ErrorBody } } },
    (req) => auth.describe(currentSession(req)),
  );
  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      await auth.logout(currentSession(req));
      reply.clearCookie(SESSION_COOKIE, cookie);
      return reply.status(204).send();
    },
  );
}
