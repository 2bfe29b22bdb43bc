import type { FastifyBaseLogger } from 'fastify';
import { type AcdOptions, AcdService } from '../agents/acd.service.js';
import { AgentsRepository } from '../agents/agents.repository.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { InteractionTimeline } from '../interactions/interaction-timeline.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { QueueRepository } from '../routing/queue.repository.js';

/** The ACD: agents' state, queues and routing, with the interactions' timeline it writes. */
export interface AcdRole {
  acd: AcdService;
  close(): Promise<void>;
}

export async function startAcd(deps: {
  db: Db;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  notifications: NotificationsService;
  options?: AcdOptions;
}): Promise<AcdRole> {
  const { db, bus, clock, log } = deps;
  const acd = new AcdService(
    db,
    new AgentsRepository(db),
    new QueueRepository(db),
    bus,
    clock,
    deps.notifications,
    log,
    deps.options,
  );
  await acd.start();
  const timeline = new InteractionTimeline(db, bus, clock, log);
  return {
    acd,
    async close() {
      await acd.stop();
      await timeline.stop();
    },
  };
}
