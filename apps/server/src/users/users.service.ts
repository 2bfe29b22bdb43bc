import type { CreateUserBody, UpdateUserBody, User } from '@parley/contract';
import { hashSecret } from '../auth/password.js';
import type { SessionsRepository } from '../auth/sessions.repository.js';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import type { EventBus } from '../events.js';
import { AppError, notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { assertOwned } from '../workspace/ownership.js';
import type { UsersRepository, UserWrite } from './users.repository.js';

const UNIQUE = { unique: 'That username or agent ID is already taken' };

type Scope = { workspaceId: string };

export class UsersService implements CrudService<Scope, User, CreateUserBody, UpdateUserBody> {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly notifications: NotificationsService,
    private readonly bus: EventBus,
  ) {}

  list({ workspaceId }: Scope): Promise<User[]> {
    return this.users.list(workspaceId);
  }

  async get({ workspaceId }: Scope, id: string): Promise<User> {
    const user = await this.users.get(workspaceId, id);
    if (!user) throw notFound('User');
    return user;
  }

  async create({ workspaceId }: Scope, body: CreateUserBody): Promise<User> {
    await this.checkReferences(workspaceId, body);
    const values = {
      username: body.username,
      display_name: body.displayName.trim(),
      role: body.role,
      password_hash: await hashSecret(body.password),
      agent_id: body.agentId ?? null,
      pin_hash: body.pin ? await hashSecret(body.pin) : null,
      agent_profile_id: body.agentProfileId ?? null,
    };
    const id = await withConstraints(
      () => this.users.insert(workspaceId, values, body.teamIds ?? []),
      UNIQUE,
    );
    this.bus.publish({ type: 'directory.changed', workspaceId });
    return this.get({ workspaceId }, id);
  }

  async update({ workspaceId }: Scope, id: string, body: UpdateUserBody, actorId: string): Promise<User> {
    if (id === actorId && (body.disabled === true || (body.role && body.role !== 'administrator'))) {
      throw new AppError('CONFLICT', 'You cannot disable yourself or remove your own administrator role');
    }
    await this.checkReferences(workspaceId, body);
    const values: UserWrite = {
      ...(body.username !== undefined && { username: body.username }),
      ...(body.displayName !== undefined && { display_name: body.displayName.trim() }),
      ...(body.role !== undefined && { role: body.role }),
      ...(body.password !== undefined && { password_hash: await hashSecret(body.password) }),
      ...(body.agentId !== undefined && { agent_id: body.agentId }),
      ...(body.pin !== undefined && { pin_hash: body.pin === null ? null : await hashSecret(body.pin) }),
      ...(body.agentProfileId !== undefined && { agent_profile_id: body.agentProfileId }),
      ...(body.disabled !== undefined && { disabled: body.disabled }),
    };
    const found = await withConstraints(
      () => this.users.update(workspaceId, id, values, body.teamIds),
      UNIQUE,
    );
    if (!found) throw notFound('User');
    if (body.disabled || body.password !== undefined) {
      // A new password or a disabled account ends every open session of that user.
      await this.sessions.deleteForUser(id);
      this.bus.publish({ type: 'sessions.revoked', userId: id, reason: 'disabled' });
    } else if (id !== actorId) {
      await this.notifications.notify(id, 'info', 'An administrator updated your account.');
    }
    this.bus.publish({ type: 'directory.changed', workspaceId });
    return this.get({ workspaceId }, id);
  }

  async remove({ workspaceId }: Scope, id: string, actorId: string): Promise<void> {
    if (id === actorId) throw new AppError('CONFLICT', 'You cannot delete your own account');
    if (!(await this.users.delete(workspaceId, id))) throw notFound('User');
    this.bus.publish({ type: 'sessions.revoked', userId: id, reason: 'disabled' });
    this.bus.publish({ type: 'directory.changed', workspaceId });
  }

  private async checkReferences(
    workspaceId: string,
    body: { teamIds?: string[]; agentProfileId?: string | null },
  ) {
    await assertOwned(this.db, 'teams', workspaceId, body.teamIds ?? [], 'teamIds');
    if (body.agentProfileId) {
      await assertOwned(this.db, 'agent_profiles', workspaceId, [body.agentProfileId], 'agentProfileId');
    }
  }
}
