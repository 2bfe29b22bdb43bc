import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import { ErrorBody, PHONE_PATH } from '@parley/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import { type AcdOptions, AcdService } from './agents/acd.service.js';
import { AgentsRepository } from './agents/agents.repository.js';
import { registerAgentRoutes } from './agents/agents.routes.js';
import { registerAuthRoutes, registerSessionLoading } from './auth/auth.routes.js';
import { AuthService } from './auth/auth.service.js';
import { FailureCounts } from './auth/failure-counts.js';
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottlePolicy } from './auth/login-throttle.js';
import { SessionsRepository } from './auth/sessions.repository.js';
import { AgentProfilesService } from './catalog/agent-profiles.service.js';
import { CampaignsService } from './catalog/campaigns.service.js';
import { registerCatalogRoutes } from './catalog/catalog.routes.js';
import { PauseReasonsService } from './catalog/pause-reasons.service.js';
import { TeamsService } from './catalog/teams.service.js';
import { WrapCodesService } from './catalog/wrap-codes.service.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { type EventBus, InProcessEventBus } from './events.js';
import { registerAccessControl } from './http/access.js';
import { registerErrorHandling, sendError } from './http/error-handler.js';
import { registerAgentInteractionRoutes } from './interactions/agent-interaction.routes.js';
import { InteractionTimeline } from './interactions/interaction-timeline.js';
import { registerInteractionRoutes } from './interactions/interactions.routes.js';
import { registerIvrRoutes } from './ivr/ivr.routes.js';
import { MediaPool } from './media/worker/media-pool.js';
import { registerNotificationsRoutes } from './notifications/notifications.routes.js';
import { NotificationsService } from './notifications/notifications.service.js';
import { type GatewayOptions, RealtimeGateway } from './realtime/realtime.gateway.js';
import type { AcdView } from './realtime/toolbar-views.js';
import { ToolbarViews } from './realtime/toolbar-views.js';
import { QueueRepository } from './routing/queue.repository.js';
import type { Dialogs } from './sip/dialog/dialogs.js';
import { SipTransport } from './sip/transport/sip-transport.js';
import { TrunkRegistrations } from './sip/uac/trunk-registration.js';
import { InboundCalls } from './sip/uas/inbound-calls.js';
import { Registrar } from './sip/uas/registrar.js';
import { basicHandler, SipServer } from './sip/uas/sip-server.js';
import { parseCidr, sourceGuard } from './sip/uas/source-guard.js';
import { DbBindings } from './telephony/phone-bindings.js';
import { registerTelephonyRoutes } from './telephony/telephony.routes.js';
import {
  ExtensionsService,
  NO_TELEPHONY_STATUS,
  phoneAccount,
  type TelephonyStatus,
  TrunksService,
} from './telephony/telephony.service.js';
import { TrunkDirectory } from './telephony/trunk-directory.js';
import { UsersRepository } from './users/users.repository.js';
import { registerUsersRoutes } from './users/users.routes.js';
import { UsersService } from './users/users.service.js';
import { registerCallInRoutes } from './voice/call-in.routes.js';
import { CallInService } from './voice/call-in.service.js';
import { registerCallMeRoutes } from './voice/call-me.routes.js';
import { CallMeService } from './voice/call-me.service.js';
import { CallRateLimit, type CallRatePolicy } from './voice/call-rate-limit.js';
import { registerCallRoutes } from './voice/calls.routes.js';
import { CallsService } from './voice/calls.service.js';
import { Outbound } from './voice/outbound.js';
import { registerPhoneRoutes } from './voice/phone.routes.js';
import { WebConnectService } from './voice/web-connect.service.js';
import { registerWorkspaceRoutes } from './workspace/workspace.routes.js';
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

/** Without the ACD role in this process a toolbar sees a signed-out agent and no queues. */
function noAcd(clock: Clock): AcdView {
  return {
    stateOf: () => ({
      status: { kind: 'signed_out' },
      since: clock.now().toISOString(),
      voice: 'none',
      interactions: [],
      nextStatus: null,
    }),
    queuesFor: () => [],
  };
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
  });

  app.decorate('sipPort', undefined);
  registerErrorHandling(app);
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
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  const sessions = new SessionsRepository(db);
  registerSessionLoading(app, sessions, clock);
  registerAccessControl(app);

  const usersRepo = new UsersRepository(db);
  const notifications = new NotificationsService(db, bus, clock);
  const workspace = new WorkspaceService(db, bus);
  const pauseReasons = new PauseReasonsService(db, bus);
  const sessionTtlMs = config.sessionTtlHours * 3_600_000;
  const agentsRepo = new AgentsRepository(db);
  const acd = config.roles.includes('acd')
    ? new AcdService(db, agentsRepo, new QueueRepository(db), bus, clock, notifications, app.log, deps.acd)
    : undefined;
  if (acd) {
    await acd.start();
    const timeline = new InteractionTimeline(db, bus, clock, app.log);
    app.addHook('onClose', async () => {
      await acd.stop();
      await timeline.stop();
    });
  }

  // Voice: media workers, Web Connect legs and call control, beside the ACD they deliver for.
  let voice: { webConnect: WebConnectService; calls: CallsService; callMe?: CallMeService } | undefined;
  let telephonyStatus: TelephonyStatus | undefined;
  let reloadTrunks: (() => Promise<void>) | undefined;
  if (acd && config.roles.includes('media') && config.roles.includes('realtime')) {
    const pool = new MediaPool(config.mediaWorkers);
    const webConnect = new WebConnectService(pool, acd, bus, app.log, config.mediaAddresses);
    const calls = new CallsService(db, pool, acd, webConnect, bus, clock, app.log, {
      dataDir: config.dataDir,
      addresses: config.mediaAddresses,
    });
    calls.callIn = new CallInService(db, calls.playback, webConnect, clock, app.log);
    await calls.start();
    voice = { webConnect, calls };
    let sip: SipTransport | undefined;
    let dialogs: Dialogs | undefined;
    if (config.sipPort !== undefined) {
      sip = new SipTransport(config.sipAddress);
      app.sipPort = await sip.listen(config.sipPort);
      const mediaAddress = config.mediaAddresses[0] ?? '127.0.0.1';
      const trusted = config.sipTrustedSources.map(parseCidr);
      const trunks = new TrunkDirectory(db, bus, trusted, (err) =>
        app.log.error({ err }, 'trunks not reloaded'),
      );
      const inbound = new InboundCalls(sip, pool, clock, mediaAddress, calls, (address) =>
        trunks.bySource(address),
      );
      dialogs = inbound.dialogs;
      const registrar = new Registrar(
        config.sipRealm,
        clock,
        (username) => phoneAccount(db, username),
        new DbBindings(db),
        new FailureCounts(db, clock),
      );
      const registrations = new TrunkRegistrations(inbound.sipClient, sip, clock, mediaAddress, (err) =>
        app.log.warn({ err }, 'trunk registration failed'),
      );
      trunks.onChange((list) => registrations.sync(list));
      await trunks.reload();
      reloadTrunks = () => trunks.reload();
      const guarded = sourceGuard(
        {
          trusted: (address) => trunks.trusted(address),
          perSecond: config.sipInviteRate,
          burst: config.sipInviteRate * 2,
        },
        clock,
        registrar.handler(inbound.handler(basicHandler)),
      );
      new SipServer(sip, clock, guarded, (ack) => inbound.ack(ack));
      telephonyStatus = {
        trunkRegistration: (id) => registrations.state(id),
      };
      const outbound = new Outbound({
        db,
        transport: sip,
        dialogs: inbound.dialogs,
        client: inbound.sipClient,
        pool,
        clock,
        mediaAddress,
        plan: {
          defaultCountry: config.dialDefaultCountry,
          allowed: config.dialAllowedPrefixes,
          blocked: config.dialBlockedPrefixes,
          sipTrusted: (host) => trunks.trusted(host),
        },
        trunks,
        registrar,
        outboundProxy: config.sipOutboundProxy,
      });
      calls.outbound = outbound;
      voice.callMe = new CallMeService({
        outbound,
        webConnect,
        acd,
        notifications,
        log: app.log,
        playback: calls.playback,
      });
      calls.callMe = voice.callMe;
      app.addHook('onClose', async () => {
        registrations.stop();
        trunks.stop();
      });
    }
    app.addHook('onClose', async () => {
      await calls.stop();
      await webConnect.stop(); // then agents' voice paths: their phones are hung up
      await dialogs?.settle(2000); // callers hung up by the shutdown get their BYE answered
      await sip?.close();
      await pool.stop();
    });
  }

  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => {
    await db.selectFrom('workspaces').select('id').limit(1).execute();
    return { status: 'ok' };
  });

  if (config.roles.includes('api')) {
    pruneFailureCounts(app, new FailureCounts(db, clock), clock);
    const throttle = new LoginThrottle(db, clock, deps.throttle ?? DEFAULT_THROTTLE);
    const auth = new AuthService(db, usersRepo, sessions, throttle, bus, clock, sessionTtlMs);
    registerAuthRoutes(app, auth, { cookieSecure: config.cookieSecure, sessionTtlMs });
    registerUsersRoutes(app, new UsersService(db, usersRepo, sessions, notifications, bus));
    registerWorkspaceRoutes(app, workspace);
    registerCatalogRoutes(app, {
      teams: new TeamsService(db, bus),
      agentProfiles: new AgentProfilesService(db),
      pauseReasons,
      campaigns: new CampaignsService(db, bus),
      wrapCodes: new WrapCodesService(db),
    });
    registerNotificationsRoutes(app, notifications);
    if (acd)
      registerAgentRoutes(app, acd, agentsRepo, clock, (id) => voice?.calls.assertToolbarMayAccept(id));
    registerInteractionRoutes(app, db);
    registerIvrRoutes(app, db);
    const status = () => telephonyStatus ?? NO_TELEPHONY_STATUS;
    registerTelephonyRoutes(app, {
      trunks: new TrunksService(db, bus, status, async () => reloadTrunks?.()),
      extensions: new ExtensionsService(db, config.sipRealm, clock),
    });
    registerAgentInteractionRoutes(app, db);
    if (acd && voice) {
      registerCallRoutes(app, voice.calls, acd);
      registerCallInRoutes(app, db, clock);
      if (voice.callMe) registerCallMeRoutes(app, db, voice.callMe);
      registerPhoneRoutes(app, db, voice.calls, new CallRateLimit(clock, deps.callRate));
    }
    app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
      app.swagger(),
    );
  }

  if (config.roles.includes('realtime')) {
    const gateway = new RealtimeGateway(
      new ToolbarViews(acd ?? noAcd(clock), db, workspace, pauseReasons, notifications),
      bus,
      clock,
      app.log,
      deps.gateway,
    );
    gateway.register(app);
    app.addHook('preClose', async () => gateway.close());
    if (voice) gateway.voice = voice.webConnect;
  }

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

/** Once an hour, failure counts of secrets older than a day that block nothing are forgotten. */
function pruneFailureCounts(app: FastifyInstance, failures: FailureCounts, clock: Clock): void {
  let stopped = false;
  let cancel = () => {};
  const schedule = () => {
    cancel = clock.setTimer(3600_000, () => {
      failures
        .prune(24 * 3600_000)
        .catch((err) => app.log.warn({ err }, 'failure counts not pruned'))
        .finally(() => {
          if (!stopped) schedule();
        });
    });
  };
  schedule();
  app.addHook('onClose', async () => {
    stopped = true;
    cancel();
  });
}
