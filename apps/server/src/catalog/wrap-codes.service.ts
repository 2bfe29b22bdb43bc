import type { CreateWrapCodeBody, UpdateWrapCodeBody, WrapCode } from '@parley/contract';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import { AppError, notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';
import { assertCampaignOf } from '../workspace/ownership.js';

type Scope = { workspaceId: string; campaignId: string };
const UNIQUE = { unique: 'This campaign already has a wrap code with that name' };
const COLUMNS = [
  'id',
  'campaign_id',
  'name',
  'completes_lead',
  'completes_phone_number',
  'schedules_callback',
  'retry_minutes',
  'do_not_call',
  'position',
] as const;

type Row = {
  id: string;
  campaign_id: string;
  name: string;
  completes_lead: boolean;
  completes_phone_number: boolean;
  schedules_callback: boolean;
  retry_minutes: number | null;
  do_not_call: boolean;
  position: number;
};
const toWrapCode = (r: Row): WrapCode => ({
  id: r.id,
  campaignId: r.campaign_id,
  name: r.name,
  completesLead: r.completes_lead,
  completesPhoneNumber: r.completes_phone_number,
  schedulesCallback: r.schedules_callback,
  retryMinutes: r.retry_minutes,
  doNotCall: r.do_not_call,
  position: r.position,
});

function toColumns(body: UpdateWrapCodeBody) {
  return {
    ...(body.name !== undefined && { name: body.name.trim() }),
    ...(body.completesLead !== undefined && { completes_lead: body.completesLead }),
    ...(body.completesPhoneNumber !== undefined && { completes_phone_number: body.completesPhoneNumber }),
    ...(body.schedulesCallback !== undefined && { schedules_callback: body.schedulesCallback }),
    ...(body.retryMinutes !== undefined && { retry_minutes: body.retryMinutes }),
    ...(body.doNotCall !== undefined && { do_not_call: body.doNotCall }),
    ...(body.position !== undefined && { position: body.position }),
  };
}

/** Refuses a wrap code that is not one of the campaign's outcomes (VALIDATION_FAILED). */
export async function assertCampaignWrapCode(db: Db, campaignId: string, wrapCodeId: string): Promise<void> {
  const code = await db
    .selectFrom('wrap_codes')
    .select('id')
    .where('id', '=', wrapCodeId)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  if (!code)
    throw new AppError('VALIDATION_FAILED', 'That outcome is not one of this campaign’s wrap codes', {
      details: [{ path: '/wrapCodeId', message: 'not a wrap code of the campaign' }],
    });
}

/** Wrap codes (outcomes) belong to one campaign. */
export class WrapCodesService
  implements CrudService<Scope, WrapCode, CreateWrapCodeBody, UpdateWrapCodeBody>
{
  constructor(private readonly db: Db) {}

  async list(scope: Scope): Promise<WrapCode[]> {
    await assertCampaignOf(this.db, scope);
    const rows = await this.db
      .selectFrom('wrap_codes')
      .select(COLUMNS)
      .where('campaign_id', '=', scope.campaignId)
      .orderBy('position')
      .orderBy('name')
      .execute();
    return rows.map(toWrapCode);
  }

  async get(scope: Scope, id: string): Promise<WrapCode> {
    const row = await this.db
      .selectFrom('wrap_codes')
      .select(COLUMNS)
      .where('workspace_id', '=', scope.workspaceId)
      .where('campaign_id', '=', scope.campaignId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Wrap code');
    return toWrapCode(row);
  }

  async create(scope: Scope, body: CreateWrapCodeBody): Promise<WrapCode> {
    await assertCampaignOf(this.db, scope);
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('wrap_codes')
          .values({
            workspace_id: scope.workspaceId,
            campaign_id: scope.campaignId,
            name: body.name,
            ...toColumns(body),
          })
          .returning(COLUMNS)
          .executeTakeFirstOrThrow(),
      UNIQUE,
    );
    return toWrapCode(row);
  }

  async update(scope: Scope, id: string, body: UpdateWrapCodeBody): Promise<WrapCode> {
    const row = await withConstraints(
      () =>
        this.db
          .updateTable('wrap_codes')
          .set(toColumns(body))
          .where('workspace_id', '=', scope.workspaceId)
          .where('campaign_id', '=', scope.campaignId)
          .where('id', '=', id)
          .returning(COLUMNS)
          .executeTakeFirst(),
      UNIQUE,
    );
    if (!row) throw notFound('Wrap code');
    return toWrapCode(row);
  }

  async remove(scope: Scope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('wrap_codes')
      .where('workspace_id', '=', scope.workspaceId)
      .where('campaign_id', '=', scope.campaignId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Wrap code');
  }
}
