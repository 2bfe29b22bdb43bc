import type {
  CreateTransferDestinationBody,
  TransferDestination,
  UpdateTransferDestinationBody,
} from '@parley/contract';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import { AppError, notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';
import { checkDestination, type DialPlan, workspaceDialPlan } from '../voice/dial-plan.js';
import { assertCampaignOf } from '../workspace/ownership.js';

type Scope = { workspaceId: string; campaignId: string };
const UNIQUE = { unique: 'This campaign’s transfer pool already has a destination with that name' };
const NUMBER_KEY = 'transfer_destinations_number_key';
const COLUMNS = ['id', 'campaign_id', 'name', 'number', 'position'] as const;

type Row = { id: string; campaign_id: string; name: string; number: string; position: number };
const toDestination = (r: Row): TransferDestination => ({
  id: r.id,
  campaignId: r.campaign_id,
  name: r.name,
  number: r.number,
  position: r.position,
});

/** The same number twice in one pool (after normalising) is refused with DUPLICATE_NUMBER. */
async function numberOnce<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
    const numberClash =
      String(e?.code) === '23505' &&
      (e.constraint === NUMBER_KEY || String(e.message ?? '').includes(NUMBER_KEY));
    if (numberClash)
      throw new AppError('DUPLICATE_NUMBER', 'That number is already in this campaign’s transfer pool', {
        details: [{ path: 'body/number', message: 'already in the pool' }],
      });
    throw err;
  }
}

/**
 * A campaign's transfer pool (I3): the named numbers its agents pick from in the transfer dialog.
 * A number is kept in E.164 as the workspace's dial plan reads it, and one the dial plan refuses
 * is refused here (DIAL_PLAN_REFUSED); the dial plan applies again when the call is placed.
 */
export class TransferPoolService
  implements
    CrudService<Scope, TransferDestination, CreateTransferDestinationBody, UpdateTransferDestinationBody>
{
  /** `plan`: the server's dial plan, for workspaces without their own. */
  constructor(
    private readonly db: Db,
    private readonly plan: DialPlan,
  ) {}

  /** The number in E.164, or why the workspace's dial plan will not call it. */
  private async normalise(workspaceId: string, number: string): Promise<string> {
    if (/^\s*sips?:/i.test(number))
      throw new AppError('VALIDATION_FAILED', 'A transfer pool holds phone numbers, not SIP addresses', {
        details: [{ path: 'body/number', message: 'not a phone number' }],
      });
    const plan = await workspaceDialPlan(this.db, workspaceId, this.plan);
    const dest = checkDestination(number, { ...plan, sipTrusted: () => false });
    if (dest.kind !== 'number') throw new AppError('DIAL_PLAN_REFUSED', 'Not a phone number');
    return dest.e164;
  }

  private async toColumns(workspaceId: string, body: UpdateTransferDestinationBody) {
    return {
      ...(body.name !== undefined && { name: body.name.trim() }),
      ...(body.number !== undefined && { number: await this.normalise(workspaceId, body.number) }),
      ...(body.position !== undefined && { position: body.position }),
    };
  }

  async list(scope: Scope): Promise<TransferDestination[]> {
    await assertCampaignOf(this.db, scope);
    const rows = await this.db
      .selectFrom('transfer_destinations')
      .select(COLUMNS)
      .where('campaign_id', '=', scope.campaignId)
      .orderBy('position')
      .orderBy('name')
      .execute();
    return rows.map(toDestination);
  }

  async get(scope: Scope, id: string): Promise<TransferDestination> {
    const row = await this.db
      .selectFrom('transfer_destinations')
      .select(COLUMNS)
      .where('workspace_id', '=', scope.workspaceId)
      .where('campaign_id', '=', scope.campaignId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Transfer destination');
    return toDestination(row);
  }

  async create(scope: Scope, body: CreateTransferDestinationBody): Promise<TransferDestination> {
    await assertCampaignOf(this.db, scope);
    const columns = await this.toColumns(scope.workspaceId, body);
    const row = await withConstraints(
      () =>
        numberOnce(() =>
          this.db
            .insertInto('transfer_destinations')
            .values({
              workspace_id: scope.workspaceId,
              campaign_id: scope.campaignId,
              name: body.name.trim(),
              number: columns.number ?? '',
              ...columns,
            })
            .returning(COLUMNS)
            .executeTakeFirstOrThrow(),
        ),
      UNIQUE,
    );
    return toDestination(row);
  }

  async update(scope: Scope, id: string, body: UpdateTransferDestinationBody): Promise<TransferDestination> {
    const columns = await this.toColumns(scope.workspaceId, body);
    const row = await withConstraints(
      () =>
        numberOnce(() =>
          this.db
            .updateTable('transfer_destinations')
            .set(columns)
            .where('workspace_id', '=', scope.workspaceId)
            .where('campaign_id', '=', scope.campaignId)
            .where('id', '=', id)
            .returning(COLUMNS)
            .executeTakeFirst(),
        ),
      UNIQUE,
    );
    if (!row) throw notFound('Transfer destination');
    return toDestination(row);
  }

  async remove(scope: Scope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('transfer_destinations')
      .where('workspace_id', '=', scope.workspaceId)
      .where('campaign_id', '=', scope.campaignId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Transfer destination');
  }
}
