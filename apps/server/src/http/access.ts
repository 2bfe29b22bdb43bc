import { timingSafeEqual } from 'node:crypto';
import { CSRF_HEADER, type Role } from '@parley/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthSession } from '../auth/sessions.repository.js';
import { AppError } from './app-error.js';

/** Who may call a route: nobody signed in needed, any signed-in user (default), or some roles. */
export type Access = 'public' | 'signed-in' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * A public route other websites' pages call (the chat widget's uploads): the route checks
     * the Origin itself, against what it serves.
     */
    crossOrigin?: boolean;
  }
  interface FastifyRequest {
    session: AuthSession | null;
  }
}

export const ADMIN: readonly Role[] = ['administrator'];
export const STAFF: readonly Role[] = ['manager', 'administrator'];

export function currentSession(request: FastifyRequest): AuthSession {
  if (!request.session) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return request.session;
}

/**
 * Checks sign-in, role and workspace before the body is even read, so a caller without rights
 * learns nothing from validation errors. Every route under /api/workspaces/:workspaceId is
 * confined to the caller's own workspace.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A browser names the page that sent a request; one from another site is refused. */
export function foreignOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

export function registerAccessControl(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    // API routes need a signed-in caller unless they say otherwise; the toolbar's files do not.
    const isApi = request.routeOptions.url?.startsWith('/api/') ?? false;
    const access = request.is404
      ? 'public'
      : (request.routeOptions.config.access ?? (isApi ? 'signed-in' : 'public'));
    const changesState = !SAFE_METHODS.has(request.method);
    if (access === 'public') {
      if (changesState && foreignOrigin(request) && !request.routeOptions.config.crossOrigin) {
        throw new AppError('CSRF_FAILED', 'Cross-site request refused');
      }
      return;
    }
    const session = currentSession(request);
    if (changesState) {
      // Synchronizer token: only our own pages, which read it from /api/auth/session, can send it.
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken) || foreignOrigin(request)) {
        throw new AppError('CSRF_FAILED', `Missing or wrong ${CSRF_HEADER} header`);
      }
    }
    if (access !== 'signed-in' && !access.includes(session.role)) {
      throw new AppError('FORBIDDEN_ROLE', `This needs the role ${access.join(' or ')}`);
    }
    const params = request.params as { workspaceId?: string } | undefined;
    if (params?.workspaceId !== undefined && params.workspaceId !== session.workspaceId) {
      throw new AppError('FORBIDDEN_WORKSPACE', 'That workspace is not yours');
    }
  });
}
