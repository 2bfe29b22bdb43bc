import type { CreateTeamBody, Team, UpdateTeamBody } from '@parley/contract';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import type { EventBus } from '../events.js';
import { notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';

type Scope = { workspaceId: string };
const UNIQUE = { unique: 'A team with that name already exists' };

export class TeamsService implements CrudService<Scope, Team, CreateTeamBody, UpdateTeamBody> {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  async list({ workspaceId }: Scope): Promise<Team[]> {
    const teams = await this.db
      .selectFrom('teams')
      .select(['id', 'name'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
    const members = await this.db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['team_members.team_id', 'team_members.user_id'])
      .where('teams.workspace_id', '=', workspaceId)
      .execute();
    return teams.map((t) => ({
      ...t,
      memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.user_id),
    }));
  }

  async get(scope: Scope, id: string): Promise<Team> {
    const team = (await this.list(scope)).find((t) => t.id === id);
    if (!team) throw notFound('Team');
    return team;
  }

  async create(scope: Scope, body: CreateTeamBody): Promise<Team> {
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('teams')
          .values({ workspace_id: scope.workspaceId, name: body.name.trim() })
          .returning('id')
          .executeTakeFirstOrThrow(),
      UNIQUE,
    );
    return this.get(scope, row.id);
  }

  async update(scope: Scope, id: string, body: UpdateTeamBody): Promise<Team> {
    const res = await withConstraints(
      () =>
        this.db
          .updateTable('teams')
          .set({ ...(body.name !== undefined && { name: body.name.trim() }) })
          .where('workspace_id', '=', scope.workspaceId)
          .where('id', '=', id)
          .executeTakeFirst(),
      UNIQUE,
    );
    if (res.numUpdatedRows === 0n) throw notFound('Team');
    this.bus.publish({ type: 'directory.changed', workspaceId: scope.workspaceId });
    return this.get(scope, id);
  }

  async remove(scope: Scope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('teams')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Team');
    this.bus.publish({ type: 'directory.changed', workspaceId: scope.workspaceId });
  }
}
