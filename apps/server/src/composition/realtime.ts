import type { FastifyInstance } from 'fastify';
import type { PauseReasonsService } from '../catalog/pause-reasons.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { type GatewayOptions, RealtimeGateway } from '../realtime/realtime.gateway.js';
import { type AcdView, ToolbarViews } from '../realtime/toolbar-views.js';
import type { WorkspaceService } from '../workspace/workspace.service.js';

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
    waitingCount: () => 0,
  };
}

/** The realtime role: toolbars' WebSockets. Returns what closes them (toolbars reconnect). */
export function startRealtime(
  app: FastifyInstance,
  deps: {
    db: Db;
    bus: EventBus;
    clock: Clock;
    acd: AcdView | undefined;
    workspace: WorkspaceService;
    pauseReasons: PauseReasonsService;
    notifications: NotificationsService;
    options: GatewayOptions;
  },
): { close(): void } {
  const { db, bus, clock } = deps;
  const gateway = new RealtimeGateway(
    new ToolbarViews(deps.acd ?? noAcd(clock), db, deps.workspace, deps.pauseReasons, deps.notifications),
    bus,
    clock,
    app.log,
    deps.options,
  );
  gateway.register(app);
  return { close: () => gateway.close() };
}
