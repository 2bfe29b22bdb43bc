import {
  CONTACTS_CSV_CONTENT_TYPE,
  CONTACTS_CSV_MAX_BYTES,
  ContactImportResult,
  CreateWorkspaceContactBody,
  ErrorBody,
  UpdateWorkspaceContactBody,
  WorkspaceContact,
  WorkspaceContactParams,
  WorkspaceParams,
} from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import { ADMIN, STAFF } from '../http/access.js';
import { registerCrudRoutes } from '../http/crud-routes.js';
import type { ContactsService } from './contacts.service.js';

const base = '/api/workspaces/:workspaceId/directory/contacts';
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 415: ErrorBody };

/** The workspace's own directory: administrators change it (by hand or CSV), managers read it. */
export function registerContactsRoutes(app: FastifyInstance, contacts: ContactsService): void {
  registerCrudRoutes(
    app,
    {
      base,
      tag: 'directory',
      scopeParams: WorkspaceParams,
      itemParams: WorkspaceContactParams,
      item: WorkspaceContact,
      createBody: CreateWorkspaceContactBody,
      updateBody: UpdateWorkspaceContactBody,
      readAccess: STAFF,
      writeAccess: ADMIN,
    },
    contacts,
  );
  // The CSV file is the body: its parser is confined to this one route.
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser(
      [CONTACTS_CSV_CONTENT_TYPE, 'application/csv'],
      { parseAs: 'buffer', bodyLimit: CONTACTS_CSV_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    scoped.post(
      `${base}/import`,
      {
        bodyLimit: CONTACTS_CSV_MAX_BYTES,
        config: { access: ADMIN },
        schema: {
          tags: ['directory'],
          params: WorkspaceParams,
          response: { 200: ContactImportResult, ...errors },
        },
      },
      (req) => {
        const body = Buffer.isBuffer(req.body) ? req.body : undefined;
        return contacts.import(req.params as { workspaceId: string }, body);
      },
    );
  });
}
