import type { FastifyInstance } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import { AgentsRepository } from '../agents/agents.repository.js';
import { registerAgentRoutes } from '../agents/agents.routes.js';
import { registerTransferTargetRoutes } from '../agents/transfer-targets.routes.js';
import { registerAuthRoutes } from '../auth/auth.routes.js';
import { AuthService } from '../auth/auth.service.js';
import { FailureCounts } from '../auth/failure-counts.js';
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottlePolicy } from '../auth/login-throttle.js';
import type { SessionsRepository } from '../auth/sessions.repository.js';
import { AgentProfilesService } from '../catalog/agent-profiles.service.js';
import { AnnouncementsService } from '../catalog/announcements.service.js';
import { registerCampaignMediaRoutes } from '../catalog/campaign-media.routes.js';
import { CampaignsService } from '../catalog/campaigns.service.js';
import { registerCatalogRoutes } from '../catalog/catalog.routes.js';
import type { PauseReasonsService } from '../catalog/pause-reasons.service.js';
import { TeamsService } from '../catalog/teams.service.js';
import { TransferPoolService } from '../catalog/transfer-pool.service.js';
import { WrapCodesService } from '../catalog/wrap-codes.service.js';
import { registerChat } from '../chat/chat.routes.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { registerDiallerRoutes } from '../dialler/dialler.routes.js';
import { registerDirectory } from '../directory/directory.module.js';
import { registerEmail } from '../email/email.routes.js';
import type { EventBus } from '../events.js';
import { registerAgentInteractionRoutes } from '../interactions/agent-interaction.routes.js';
import { registerInteractionRoutes } from '../interactions/interactions.routes.js';
import { registerIvrRoutes } from '../ivr/ivr.routes.js';
import { registerLeadRoutes } from '../leads/lead.routes.js';
import { registerLeadAdminRoutes } from '../leads/lead-admin.routes.js';
import { registerNotificationsRoutes } from '../notifications/notifications.routes.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { registerTelephonyRoutes } from '../telephony/telephony.routes.js';
import { ExtensionsService, NO_TELEPHONY_STATUS, TrunksService } from '../telephony/telephony.service.js';
import { UsersRepository } from '../users/users.repository.js';
import { registerUsersRoutes } from '../users/users.routes.js';
import { UsersService } from '../users/users.service.js';
import { registerCallInRoutes } from '../voice/call-in.routes.js';
import { registerCallMeRoutes } from '../voice/call-me.routes.js';
import { CallRateLimit, type CallRatePolicy } from '../voice/call-rate-limit.js';
import { registerCallRoutes } from '../voice/calls.routes.js';
import { registerPhoneRoutes } from '../voice/phone.routes.js';
import { registerWorkspaceRoutes } from '../workspace/workspace.routes.js';
import type { WorkspaceService } from '../workspace/workspace.service.js';
import type { VoiceRole } from './voice.js';

export interface ApiDeps {
  config: Config;
  db: Db;
  bus: EventBus;
  clock: Clock;
  sessions: SessionsRepository;
  notifications: NotificationsService;
  workspace: WorkspaceService;
  pauseReasons: PauseReasonsService;
  acd: AcdService | undefined;
  voice: VoiceRole | undefined;
  throttle?: ThrottlePolicy;
  callRate?: CallRatePolicy;
}

/**
 * The API role: every HTTP route. Returns what stops its work in the background: the hourly
 * upkeep, and lead imports (marked IMPORT_INTERRUPTED after their current batch).
 */
export function registerApi(app: FastifyInstance, deps: ApiDeps): { close(): Promise<void> } {
  const { config, db, bus, clock, notifications, acd, voice } = deps;
  const sessionTtlMs = config.sessionTtlHours * 3_600_000;
  const usersRepo = new UsersRepository(db);
  const throttle = new LoginThrottle(db, clock, deps.throttle ?? DEFAULT_THROTTLE);
  const auth = new AuthService(db, usersRepo, deps.sessions, throttle, bus, clock, sessionTtlMs);
  registerAuthRoutes(app, auth, { cookieSecure: config.cookieSecure, sessionTtlMs });
  registerUsersRoutes(app, new UsersService(db, usersRepo, deps.sessions, notifications, bus));
  registerWorkspaceRoutes(app, deps.workspace);
  // The server's dial plan, for workspaces without their own (SIP addresses are not pooled).
  const transferPool = new TransferPoolService(db, {
    defaultCountry: config.dialDefaultCountry,
    allowed: config.dialAllowedPrefixes,
    blocked: config.dialBlockedPrefixes,
    sipTrusted: () => false,
  });
  registerCatalogRoutes(app, {
    teams: new TeamsService(db, bus),
    agentProfiles: new AgentProfilesService(db),
    pauseReasons: deps.pauseReasons,
    campaigns: new CampaignsService(db, bus),
    wrapCodes: new WrapCodesService(db),
    transferPool,
  });
  registerCampaignMediaRoutes(app, {
    db,
    transferPool,
    announcements: new AnnouncementsService(db, config.dataDir, app.log),
  });
  registerDirectory(app, { config, db, clock });
  const leadAdmin = registerLeadAdminRoutes(app, {
    db,
    bus,
    clock,
    dataDir: config.dataDir,
    defaultCountry: config.dialDefaultCountry,
  });
  registerNotificationsRoutes(app, notifications);
  if (acd)
    registerAgentRoutes(
      app,
      acd,
      new AgentsRepository(db),
      clock,
      (id) => voice?.calls.assertToolbarMayAccept(id),
      voice && ((userId, id, body) => voice.leads.wrap(userId, id, body)),
    );
  if (acd) registerTransferTargetRoutes(app, acd, new AgentsRepository(db));
  registerInteractionRoutes(app, db);
  registerIvrRoutes(app, db);
  const sip = voice?.sip;
  registerTelephonyRoutes(app, {
    trunks: new TrunksService(
      db,
      bus,
      () => sip?.status ?? NO_TELEPHONY_STATUS,
      async () => sip?.reloadTrunks(),
    ),
    extensions: new ExtensionsService(db, config.sipRealm, clock),
  });
  registerAgentInteractionRoutes(app, db);
  if (acd && voice) {
    registerCallRoutes(app, voice.calls, acd);
    registerDiallerRoutes(app, { db, dialler: voice.dialler });
    registerLeadRoutes(app, voice.leads, voice.desk, acd);
    registerCallInRoutes(app, db, clock);
    if (voice.callMe) registerCallMeRoutes(app, db, voice.callMe);
    registerPhoneRoutes(app, db, voice.calls, new CallRateLimit(clock, deps.callRate));
  }
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  const chat = acd
    ? registerChat(app, {
        db,
        acd,
        bus,
        clock,
        log: app.log,
        dataDir: config.dataDir,
        secretKey: config.secretKey,
        socketsPerSource: config.chatSocketsPerSource,
        startsPerMinute: config.chatStartsPerMinute,
      })
    : undefined;
  const email = acd
    ? registerEmail(app, {
        db,
        acd,
        bus,
        clock,
        log: app.log,
        dataDir: config.dataDir,
        secretKey: config.secretKey,
        smtpPort: config.emailSmtpPort,
        smtpHost: config.emailSmtpHost,
      })
    : undefined;
  const upkeep = pruneFailureCounts(app, new FailureCounts(db, clock), clock);
  return {
    async close() {
      chat?.close();
      await email?.close();
      upkeep.close();
      await leadAdmin.close();
    },
  };
}

/** Once an hour, failure counts of secrets older than a day that block nothing are forgotten. */
function pruneFailureCounts(app: FastifyInstance, failures: FailureCounts, clock: Clock): { close(): void } {
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
  return {
    close() {
      stopped = true;
      cancel();
    },
  };
}
