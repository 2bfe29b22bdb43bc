import type { Campaign, CreateCampaignBody, LeadRules, UpdateCampaignBody } from '@parley/contract';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import { audit, checkInfoMessage, predictiveSettings } from '../dialler/dialler-audit.js';
import type { EventBus } from '../events.js';
import { AppError, notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';
import { isTimeZone } from '../leads/calling-rules.js';
import { refreshCampaignReady } from '../leads/lead-selector.js';
import { leadRules } from '../leads/lead-view.js';
import { assertOwned } from '../workspace/ownership.js';

type Scope = { workspaceId: string };
const UNIQUE = { unique: 'A campaign with that name already exists' };

/** Calling rules as given, once their time zone is one the server knows. */
function checkedRules(rules: LeadRules): LeadRules {
  if (!isTimeZone(rules.timeZone))
    throw new AppError('VALIDATION_FAILED', `"${rules.timeZone}" is not a time zone`, {
      details: [{ path: '/leadRules/timeZone', message: 'not an IANA time zone' }],
    });
  return rules;
}

export class CampaignsService
  implements CrudService<Scope, Campaign, CreateCampaignBody, UpdateCampaignBody>
{
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  async list({ workspaceId }: Scope, onlyId?: string): Promise<Campaign[]> {
    let query = this.db
      .selectFrom('campaigns')
      .select(['id', 'name', 'kind', 'script', 'caller_id', 'ring_seconds', 'lead_rules', 'predictive'])
      .where('workspace_id', '=', workspaceId);
    if (onlyId) query = query.where('id', '=', onlyId);
    const campaigns = await query.orderBy('name').execute();
    if (campaigns.length === 0) return [];
    const links = await this.db
      .selectFrom('campaign_teams')
      .select(['campaign_id', 'team_id'])
      .where(
        'campaign_id',
        'in',
        campaigns.map((c) => c.id),
      )
      .execute();
    return campaigns.map(({ caller_id, ring_seconds, lead_rules, predictive, ...c }) => ({
      ...c,
      callerId: caller_id,
      ringSeconds: ring_seconds,
      leadRules: leadRules(lead_rules),
      predictive: predictiveSettings(predictive),
      teamIds: links.filter((l) => l.campaign_id === c.id).map((l) => l.team_id),
    }));
  }

  async get(scope: Scope, id: string): Promise<Campaign> {
    const [campaign] = await this.list(scope, id);
    if (!campaign) throw notFound('Campaign');
    return campaign;
  }

  async create(scope: Scope, body: CreateCampaignBody): Promise<Campaign> {
    await assertOwned(this.db, 'teams', scope.workspaceId, body.teamIds ?? [], 'teamIds');
    if (body.predictive) await checkInfoMessage(this.db, undefined, body.predictive);
    const id = await withConstraints(
      () =>
        this.db.transaction().execute(async (tx) => {
          const row = await tx
            .insertInto('campaigns')
            .values({
              workspace_id: scope.workspaceId,
              name: body.name.trim(),
              kind: body.kind,
              script: body.script ?? '',
              caller_id: body.callerId ?? null,
              ...(body.ringSeconds !== undefined && { ring_seconds: body.ringSeconds }),
              ...(body.leadRules !== undefined && {
                lead_rules: JSON.stringify(checkedRules(body.leadRules)),
              }),
              ...(body.predictive !== undefined && { predictive: JSON.stringify(body.predictive) }),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await setTeams(tx, row.id, body.teamIds ?? []);
          return row.id;
        }),
      UNIQUE,
    );
    this.bus.publish({ type: 'directory.changed', workspaceId: scope.workspaceId });
    return this.get(scope, id);
  }

  async update(scope: Scope, id: string, body: UpdateCampaignBody, actorId?: string): Promise<Campaign> {
    await assertOwned(this.db, 'teams', scope.workspaceId, body.teamIds ?? [], 'teamIds');
    if (body.predictive) await checkInfoMessage(this.db, id, body.predictive);
    const before = await this.get(scope, id);
    const found = await withConstraints(
      () =>
        this.db.transaction().execute(async (tx) => {
          const changes = {
            ...(body.name !== undefined && { name: body.name.trim() }),
            ...(body.script !== undefined && { script: body.script }),
            ...(body.callerId !== undefined && { caller_id: body.callerId }),
            ...(body.ringSeconds !== undefined && { ring_seconds: body.ringSeconds }),
            ...(body.leadRules !== undefined && { lead_rules: JSON.stringify(checkedRules(body.leadRules)) }),
            ...(body.predictive !== undefined && { predictive: JSON.stringify(body.predictive) }),
          };
          // A PATCH may only reassign teams: then there is no column to set, only a row to find.
          const found = Object.keys(changes).length
            ? (
                await tx
                  .updateTable('campaigns')
                  .set(changes)
                  .where('workspace_id', '=', scope.workspaceId)
                  .where('id', '=', id)
                  .executeTakeFirst()
              ).numUpdatedRows > 0n
            : (await tx
                .selectFrom('campaigns')
                .select('id')
                .where('workspace_id', '=', scope.workspaceId)
                .where('id', '=', id)
                .executeTakeFirst()) !== undefined;
          if (!found) return false;
          if (body.teamIds) await setTeams(tx, id, body.teamIds);
          // Attempt limits decide which leads may be called again.
          if (body.leadRules !== undefined) await refreshCampaignReady(tx, id, body.leadRules);
          if (before.kind === 'outbound_predictive')
            await this.auditSettings(tx, scope, before, body, actorId);
          return true;
        }),
      UNIQUE,
    );
    if (!found) throw notFound('Campaign');
    this.bus.publish({ type: 'directory.changed', workspaceId: scope.workspaceId });
    return this.get(scope, id);
  }

  /**
   * A predictive campaign's settings that pace or restrict its dialling (its predictive settings,
   * no-answer time, calling rules, teams) changed: the change goes into the dialler's audit log,
   * before and after, with who made it.
   */
  private async auditSettings(
    tx: Db,
    scope: Scope,
    before: Campaign,
    body: UpdateCampaignBody,
    actorId: string | undefined,
  ): Promise<void> {
    const watched = ['predictive', 'ringSeconds', 'leadRules', 'teamIds', 'callerId'] as const;
    const changed = watched.filter(
      (k) => body[k] !== undefined && JSON.stringify(body[k]) !== JSON.stringify(before[k]),
    );
    if (changed.length === 0) return;
    await audit(tx, [
      {
        workspaceId: scope.workspaceId,
        campaignId: before.id,
        campaignName: body.name ?? before.name,
        at: new Date(),
        kind: 'settings',
        actorId: actorId ?? null,
        detail: Object.fromEntries(changed.map((k) => [k, { before: before[k], after: body[k] }])),
      },
    ]);
  }

  async remove(scope: Scope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('campaigns')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Campaign');
    this.bus.publish({ type: 'directory.changed', workspaceId: scope.workspaceId });
  }
}

async function setTeams(tx: Db, campaignId: string, teamIds: string[]): Promise<void> {
  await tx.deleteFrom('campaign_teams').where('campaign_id', '=', campaignId).execute();
  if (teamIds.length) {
    await tx
      .insertInto('campaign_teams')
      .values(teamIds.map((team_id) => ({ campaign_id: campaignId, team_id })))
      .execute();
  }
}
