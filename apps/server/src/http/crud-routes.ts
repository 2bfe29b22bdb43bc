import { ErrorBody } from '@parley/contract';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type Access, currentSession } from './access.js';

/** The operations behind a collection of workspace resources. `scope` holds the path parameters. */
export interface CrudService<Scope, T, C, U> {
  list(scope: Scope): Promise<T[]>;
  get(scope: Scope, id: string): Promise<T>;
  create(scope: Scope, body: C, actorId: string): Promise<T>;
  update(scope: Scope, id: string, body: U, actorId: string): Promise<T>;
  remove(scope: Scope, id: string, actorId: string): Promise<void>;
}

export interface CrudOptions {
  /** e.g. /api/workspaces/:workspaceId/teams */
  base: string;
  tag: string;
  scopeParams: TSchema;
  itemParams: TSchema;
  item: TSchema;
  createBody: TSchema;
  updateBody: TSchema;
  readAccess: Access;
  writeAccess: Access;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/**
 * List, read, create, update and delete routes for one resource: thin handlers over a service.
 * Schemas are validated before the handler runs, so the casts below only name what was checked.
 */
export function registerCrudRoutes<Scope extends { workspaceId: string }, T, C, U>(
  app: FastifyInstance,
  o: CrudOptions,
  service: CrudService<Scope, T, C, U>,
): void {
  const item = `${o.base}/:id`;
  const tags = [o.tag];
  const split = (params: unknown) => {
    const { id, ...scope } = params as Scope & { id: string };
    return { id, scope: scope as unknown as Scope };
  };
  app.get(
    o.base,
    {
      config: { access: o.readAccess },
      schema: { tags, params: o.scopeParams, response: { 200: Type.Array(o.item) } },
    },
    (req) => service.list(req.params as Scope),
  );
  app.get(
    item,
    {
      config: { access: o.readAccess },
      schema: { tags, params: o.itemParams, response: { 200: o.item, ...errors } },
    },
    (req) => {
      const { id, scope } = split(req.params);
      return service.get(scope, id);
    },
  );
  app.post(
    o.base,
    {
      config: { access: o.writeAccess },
      schema: { tags, params: o.scopeParams, body: o.createBody, response: { 201: o.item, ...errors } },
    },
    async (req, reply) => {
      const created = await service.create(req.params as Scope, req.body as C, currentSession(req).userId);
      return reply.status(201).send(created);
    },
  );
  app.patch(
    item,
    {
      config: { access: o.writeAccess },
      schema: { tags, params: o.itemParams, body: o.updateBody, response: { 200: o.item, ...errors } },
    },
    (req) => {
      const { id, scope } = split(req.params);
      return service.update(scope, id, req.body as U, currentSession(req).userId);
    },
  );
  app.delete(
    item,
    {
      config: { access: o.writeAccess },
      schema: { tags, params: o.itemParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const { id, scope } = split(req.params);
      await service.remove(scope, id, currentSession(req).userId);
      return reply.status(204).send();
    },
  );
}
