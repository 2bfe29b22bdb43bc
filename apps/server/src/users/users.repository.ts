import type { SessionUser, User } from '@parley/contract';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { UserRow } from '../db/schema.js';

export type UserWrite = Partial<
  Pick<
    UserRow,
    | 'username'
    | 'display_name'
    | 'role'
    | 'password_hash'
    | 'agent_id'
    | 'pin_hash'
    | 'agent_profile_id'
    | 'disabled'
  >
>;

export class UsersRepository {
  constructor(private readonly db: Db) {}

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where(sql<string>`lower(username)`, '=', username.trim().toLowerCase())
      .executeTakeFirst();
  }

  findRow(workspaceId: string, id: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async list(workspaceId: string): Promise<User[]> {
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('username')
      .execute();
    const teams = await this.db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['team_members.user_id', 'team_members.team_id'])
      .where('teams.workspace_id', '=', workspaceId)
      .execute();
    return rows.map((row) =>
      toUser(
        row,
        teams.filter((t) => t.user_id === row.id).map((t) => t.team_id),
      ),
    );
  }

  async get(workspaceId: string, id: string): Promise<User | undefined> {
    const row = await this.findRow(workspaceId, id);
    if (!row) return undefined;
    const teams = await this.db
      .selectFrom('team_members')
      .select('team_id')
      .where('user_id', '=', id)
      .execute();
    return toUser(
      row,
      teams.map((t) => t.team_id),
    );
  }

  async insert(
    workspaceId: string,
    values: Required<Pick<UserWrite, 'username' | 'display_name' | 'role' | 'password_hash'>> & UserWrite,
    teamIds: string[],
  ): Promise<string> {
    return this.db.transaction().execute(async (tx) => {
      const { id } = await tx
        .insertInto('users')
        .values({
          workspace_id: workspaceId,
          agent_id: null,
          pin_hash: null,
          agent_profile_id: null,
          ...values,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await replaceTeams(tx, id, teamIds);
      return id;
    });
  }

  async update(
    workspaceId: string,
    id: string,
    values: UserWrite,
    teamIds: string[] | undefined,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable('users')
        .set({ ...values, updated_at: new Date() })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return false;
      if (teamIds) await replaceTeams(tx, id, teamIds);
      return true;
    });
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('users')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }
}

async function replaceTeams(tx: Db, userId: string, teamIds: string[]): Promise<void> {
  await tx.deleteFrom('team_members').where('user_id', '=', userId).execute();
  if (teamIds.length) {
    await tx
      .insertInto('team_members')
      .values(teamIds.map((team_id) => ({ team_id, user_id: userId })))
      .execute();
  }
}

/** What a toolbar knows of its own user. */
export function toSessionUser(
  row: Pick<UserRow, 'id' | 'username' | 'display_name' | 'role' | 'agent_id'>,
): SessionUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    agentId: row.agent_id,
  };
}

export function toUser(row: UserRow, teamIds: string[]): User {
  return {
    ...toSessionUser(row),
    hasPin: row.pin_hash !== null,
    agentProfileId: row.agent_profile_id,
    teamIds,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
  };
}
