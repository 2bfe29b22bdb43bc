import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { loadSecretKey, SecretBox } from '../security/secrets.js';
import { workspaceDialPlan } from '../voice/dial-plan.js';
import { ContactsRepository } from './contacts.repository.js';
import { registerContactsRoutes } from './contacts.routes.js';
import { ContactsService, type DefaultCountry } from './contacts.service.js';
import { registerDirectoryRoutes } from './directory.routes.js';
import { DirectoryService } from './directory.service.js';
import { GraphProvider } from './graph.provider.js';
import { GraphSettingsService } from './graph-settings.service.js';
import { GraphTokens } from './graph-token.js';
import { GraphUsers } from './graph-users.js';
import { SearchRateLimit } from './search-rate-limit.js';
import { WorkspaceContactsProvider } from './workspace-contacts.provider.js';

/** The directory (F2) in the API role: its services, its two sources and its routes. */
export function registerDirectory(
  app: FastifyInstance,
  deps: { config: Config; db: Db; clock: Clock },
): void {
  const { config, db, clock } = deps;
  const serverPlan = {
    defaultCountry: config.dialDefaultCountry,
    allowed: config.dialAllowedPrefixes,
    blocked: config.dialBlockedPrefixes,
    sipTrusted: () => false,
  };
  const defaultCountry: DefaultCountry = async (workspaceId) =>
    (await workspaceDialPlan(db, workspaceId, serverPlan)).defaultCountry;
  const box = new SecretBox(loadSecretKey({ secretKey: config.secretKey, dataDir: config.dataDir }));
  const contacts = new ContactsRepository(db);
  const graphSettings = new GraphSettingsService(db, box);
  const graph = new GraphProvider(
    graphSettings,
    new GraphTokens(config.graphAuthorityHost, app.log),
    new GraphUsers(config.graphBaseUrl, clock, app.log),
    clock,
  );
  const directory = new DirectoryService(
    [new WorkspaceContactsProvider(contacts), graph],
    defaultCountry,
    new SearchRateLimit(clock),
  );
  registerContactsRoutes(app, new ContactsService(contacts, defaultCountry));
  registerDirectoryRoutes(app, { directory, graphSettings, graph });
}
