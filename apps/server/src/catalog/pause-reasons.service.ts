import {
  AUTO_PAUSE,
  type CreatePauseReasonBody,
  type PauseReason,
  type UpdatePauseReasonBody,
} from '@parley/contract';
import { UNAVAILABLE } from '../agents/agent-state.machine.js';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import type { EventBus } from '../events.js';
import { AppError, notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';

type Scope = { workspaceId: string };
const UNIQUE = { unique: 'A pause reason with that name already exists' };
/** The system's own pauses (C2); administrators cannot define them. */
const RESERVED = [AUTO_PAUSE, UNAVAILABLE].map((n) => n.toLowerCase());

function checkName(name: string | undefined): string | undefined {
  const trimmed = name?.trim();
  if (trimmed !== undefined && RESERVED.includes(trimmed.toLowerCase())) {
    throw new AppError('CONFLICT', `"${trimmed}" is reserved for the system`);
  }
  return trimmed;
}

export class PauseReasonsService
  implements CrudService<Scope, PauseReason, CreatePauseReasonBody, UpdatePauseReasonBody>
{
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  list({ workspaceId }: Scope): Promise<PauseReason[]> {
    return this.db
      .selectFrom('pause_reasons')
      .select(['id', 'name', 'position'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('position')
      .orderBy('name')
      .execute();
  }

  async get({ workspaceId }: Scope, id: string): Promise<PauseReason> {
    const row = await this.db
      .selectFrom('pause_reasons')
      .select(['id', 'name', 'position'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Pause reason');
    return row;
  }

  async create({ workspaceId }: Scope, body: CreatePauseReasonBody): Promise<PauseReason> {
    const name = checkName(body.name) ?? body.name;
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('pause_reasons')
          .values({
            workspace_id: workspaceId,
            name,
            ...(body.position !== undefined && { position: body.position }),
          })
          .returning(['id', 'name', 'position'])
          .executeTakeFirstOrThrow(),
      UNIQUE,
    );
    this.bus.publish({ type: 'pauseReasons.changed', workspaceId });
    return row;
  }

  async update({ workspaceId }: Scope, id: string, body: UpdatePauseReasonBody): Promise<PauseReason> {
    const name = checkName(body.name);
    const row = await withConstraints(
      () =>
        this.db
          .updateTable('pause_reasons')
          .set({
            ...(name !== undefined && { name }),
            ...(body.position !== undefined && { position: body.position }),
          })
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', id)
          .returning(['id', 'name', 'position'])
          .executeTakeFirst(),
      UNIQUE,
    );
    if (!row) throw notFound('Pause reason');
    this.bus.publish({ type: 'pauseReasons.changed', workspaceId });
    return row;
  }

  async remove({ workspaceId }: Scope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('pause_reasons')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Pause reason');
    this.bus.publish({ type: 'pauseReasons.changed', workspaceId });
  }
}
