import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import { ErrorBody, PHONE_PATH } from '@parley/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AcdOptions } from './agents/acd.service.js';
import { registerSessionLoading } from './auth/auth.routes.js';
import type { ThrottlePolicy } from './auth/login-throttle.js';
import { SessionsRepository } from './auth/sessions.repository.js';
import { PauseReasonsService } from './catalog/pause-reasons.service.js';
import { registerChatScript } from './chat/chat-script.route.js';
import { type Clock, systemClock } from './clock.js';
import { startAcd } from './composition/acd.js';
import { registerApi } from './composition/api.js';
import { startRealtime } from './composition/realtime.js';
import { ShutdownSequence } from './composition/shutdown.js';
import { startVoice } from './composition/voice.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { type EventBus, InProcessEventBus } from './events.js';
import { registerAccessControl } from './http/access.js';
import { registerErrorHandling, sendError } from './http/error-handler.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { httpServerLimits } from './http/server-limits.js';
import { NotificationsService } from './notifications/notifications.service.js';
import type { GatewayOptions } from './realtime/realtime.gateway.js';
import type { CallRatePolicy } from './voice/call-rate-limit.js';
import { WorkspaceService } from './workspace/workspace.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The SIP port in use, when this process runs SIP. */
    sipPort: number | undefined;
  }
}

export interface AppDeps {
  config: Config;
  db: Db;
  clock?: Clock;
  bus?: EventBus;
  throttle?: ThrottlePolicy;
  gateway?: GatewayOptions;
  acd?: AcdOptions;
  callRate?: CallRatePolicy;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const BODY_LIMIT = 256 * 1024;

function findBuilt(...candidates: string[]): string | undefined {
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
}

function findWebDir(config: Config): string | undefined {
  return findBuilt(config.webDir ?? path.resolve(here, '../../web/dist'));
}

/** Builds the HTTP server with the roles the config names; nothing listens until the caller says. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  const bus = deps.bus ?? new InProcessEventBus();
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
    },
    bodyLimit: BODY_LIMIT,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    forceCloseConnections: true,
    // Behind a reverse proxy or load balancer: the client's address from X-Forwarded-For, so
    // limits per address (sign-in, the web phone, chat) see customers, not the proxy.
    ...(config.trustProxy.length > 0 && { trustProxy: config.trustProxy }),
    ...httpServerLimits(),
  });

  app.decorate('sipPort', undefined);
  registerErrorHandling(app);
  registerSecurityHeaders(app, { cookieSecure: config.cookieSecure, frameAncestors: config.frameAncestors });
  // The API speaks JSON only; a form or plain-text body is refused with UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Parley contact centre API', version: '0.1.0' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'parley_session' } } },
      security: [{ session: [] }],
    },
  });
  app.addSchema(ErrorBody);
  await app.register(fastifyCookie);
  const log = app.log;
  // Each role is started with what it needs and adds its close() here; a later role failing to
  // start closes the earlier ones, so a failed start leaves no process or port behind.
  const shutdown = new ShutdownSequence(log);
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 64 * 1024 },
    // The shutdown sequence runs here, in place of the plugin's own preClose, which would drop
    // every WebSocket first (close code 1005): so toolbars get the realtime channel's 1001 and
    // callers on the web phone are told their call ended while their sockets are open. Fastify
    // then stops HTTP (new requests get 503 from now on); the database closes in main.
    preClose: async function (this: FastifyInstance) {
      await shutdown.run();
      for (const socket of this.websocketServer.clients) socket.close(1001, 'server shutting down');
    },
  });

  const sessions = new SessionsRepository(db);
  registerSessionLoading(app, sessions, clock);
  registerAccessControl(app);

  const notifications = new NotificationsService(db, bus, clock);
  const workspace = new WorkspaceService(db, bus);
  const pauseReasons = new PauseReasonsService(db, bus);
  const roles = new Set(config.roles);
  try {
    const acdRole = roles.has('acd')
      ? await startAcd({ db, bus, clock, log, notifications, options: deps.acd })
      : undefined;
    if (acdRole) shutdown.add('acd', () => acdRole.close());
    const voice =
      acdRole && roles.has('media') && roles.has('realtime')
        ? await startVoice({ config, db, bus, clock, log, acd: acdRole.acd, notifications })
        : undefined;
    if (voice) {
      shutdown.add('voice', () => voice.close());
      app.sipPort = voice.sip?.port;
    }
    if (roles.has('api')) {
      const api = registerApi(app, {
        config,
        db,
        bus,
        clock,
        sessions,
        notifications,
        workspace,
        pauseReasons,
        acd: acdRole?.acd,
        voice,
        throttle: deps.throttle,
        callRate: deps.callRate,
      });
      shutdown.add('api', () => api.close());
    }
    if (roles.has('realtime')) {
      const realtime = startRealtime(app, {
        db,
        bus,
        clock,
        acd: acdRole?.acd,
        workspace,
        pauseReasons,
        notifications,
        options: { ...deps.gateway, ...(voice && { voice: voice.webConnect }) },
      });
      // Started last, so closed first: toolbars are told (1001) and reconnect to the next
      // process, where they resume.
      shutdown.add('realtime', () => realtime.close());
    }
  } catch (err) {
    await shutdown.run();
    throw err;
  }
  // Shutdown is one sequence, newest role first: toolbars' channels, the API's upkeep and lead
  // imports, then voice (calls hung up and closed while the ACD still records them), then the
  // ACD. It runs from the WebSocket plugin's preClose (above); an app closed before it was ever
  // ready runs no preClose, so onClose runs it too (once: the second call waits on the first).
  app.addHook('onClose', async () => shutdown.run());

  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => {
    await db.selectFrom('workspaces').select('id').limit(1).execute();
    return { status: 'ok' };
  });

  const webDir = config.roles.includes('api') ? findWebDir(config) : undefined;
  if (webDir) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false });
  }
  const widgetDir = config.roles.includes('api')
    ? findBuilt(path.resolve(here, '../../widget/dist'))
    : undefined;
  if (widgetDir) {
    // The customer web phone, a page of its own.
    await app.register(fastifyStatic, { root: widgetDir, prefix: PHONE_PATH, decorateReply: false });
  }
  if (config.roles.includes('api')) {
    // The web chat widget (chat.js), which other websites load; built beside the web phone.
    registerChatScript(app, path.resolve(here, '../../widget/dist/chat.js'));
  }
  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0] ?? '';
    if (webDir && req.method === 'GET' && !pathname.startsWith('/api/') && pathname !== '/healthz') {
      // The toolbar is a single-page app: its routes (/, /help, ...) all load index.html.
      return reply.type('text/html').sendFile('index.html');
    }
    return sendError(reply, 'ROUTE_NOT_FOUND', `No route ${req.method} ${pathname}`);
  });

  return app;
}
