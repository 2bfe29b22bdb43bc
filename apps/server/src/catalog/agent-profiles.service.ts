import type { AgentProfile, CreateAgentProfileBody, UpdateAgentProfileBody } from '@parley/contract';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import { notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';

type Scope = { workspaceId: string };
const CONSTRAINTS = {
  unique: 'An agent profile with that name already exists',
  foreignKey: 'Users still have this agent profile',
};

const toProfile = (r: {
  id: string;
  name: string;
  max_concurrent_chats: number;
  send_email: boolean;
}): AgentProfile => ({
  id: r.id,
  name: r.name,
  maxConcurrentChats: r.max_concurrent_chats,
  sendEmail: r.send_email,
});

export class AgentProfilesService
  implements CrudService<Scope, AgentProfile, CreateAgentProfileBody, UpdateAgentProfileBody>
{
  constructor(private readonly db: Db) {}

  async list({ workspaceId }: Scope): Promise<AgentProfile[]> {
    const rows = await this.db
      .selectFrom('agent_profiles')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
    return rows.map(toProfile);
  }

  async get({ workspaceId }: Scope, id: string): Promise<AgentProfile> {
    const row = await this.db
      .selectFrom('agent_profiles')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Agent profile');
    return toProfile(row);
  }

  async create({ workspaceId }: Scope, body: CreateAgentProfileBody): Promise<AgentProfile> {
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('agent_profiles')
          .values({
            workspace_id: workspaceId,
            name: body.name.trim(),
            ...(body.maxConcurrentChats !== undefined && { max_concurrent_chats: body.maxConcurrentChats }),
            ...(body.sendEmail !== undefined && { send_email: body.sendEmail }),
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      CONSTRAINTS,
    );
    return toProfile(row);
  }

  async update({ workspaceId }: Scope, id: string, body: UpdateAgentProfileBody): Promise<AgentProfile> {
    const row = await withConstraints(
      () =>
        this.db
          .updateTable('agent_profiles')
          .set({
            ...(body.name !== undefined && { name: body.name.trim() }),
            ...(body.maxConcurrentChats !== undefined && { max_concurrent_chats: body.maxConcurrentChats }),
            ...(body.sendEmail !== undefined && { send_email: body.sendEmail }),
          })
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst(),
      CONSTRAINTS,
    );
    if (!row) throw notFound('Agent profile');
    return toProfile(row);
  }

  async remove({ workspaceId }: Scope, id: string): Promise<void> {
    const res = await withConstraints(
      () =>
        this.db
          .deleteFrom('agent_profiles')
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', id)
          .executeTakeFirst(),
      CONSTRAINTS,
    );
    if (res.numDeletedRows === 0n) throw notFound('Agent profile');
  }
}
