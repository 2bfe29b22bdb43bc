import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';

export interface LeadAdminDeps {
  db: Db;
  bus: EventBus;
  clock: Clock;
  /** Where import error reports are kept (outside the web root). */
  dataDir: string;
  /** The server's default country, for campaigns and workspaces without one. */
  defaultCountry: string;
}

/**
 * Administrators' lead lists: create and list them per campaign, import leads from CSV with a
 * per-row error report, read leads; the workspace's do-not-call list. (Being built: issue #16.)
 */
export function registerLeadAdminRoutes(_app: FastifyInstance, _deps: LeadAdminDeps): void {}
