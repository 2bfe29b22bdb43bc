import { CreateUserBody, ResourceParams, UpdateUserBody, User, WorkspaceParams } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import { ADMIN, STAFF } from '../http/access.js';
import { registerCrudRoutes } from '../http/crud-routes.js';
import type { UsersService } from './users.service.js';

export function registerUsersRoutes(app: FastifyInstance, users: UsersService): void {
  registerCrudRoutes(
    app,
    {
      base: '/api/workspaces/:workspaceId/users',
      tag: 'users',
      scopeParams: WorkspaceParams,
      itemParams: ResourceParams,
      item: User,
      createBody: CreateUserBody,
      updateBody: UpdateUserBody,
      readAccess: STAFF,
      writeAccess: ADMIN,
    },
    users,
  );
}
