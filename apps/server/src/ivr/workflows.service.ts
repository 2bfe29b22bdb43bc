import { existsSync } from 'node:fs';
import path from 'node:path';
import type {
  CreateInboundNumberBody,
  CreateWorkflowBody,
  InboundNumber,
  UpdateInboundNumberBody,
  UpdateWorkflowBody,
  Workflow,
  WorkflowDefinition,
} from '@parley/contract';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import { AppError, notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';
import { validateWorkflow } from './workflow-validate.js';

type Scope = { workspaceId: string };

/** Prompts are WAVs in `promptsDir`, named without the extension. */
export function promptExists(promptsDir: string, name: string): boolean {
  return /^[a-z0-9-]+$/.test(name) && existsSync(path.join(promptsDir, `${name}.wav`));
}

/** IVR workflows (D1, P4): stored as data, checked on every save. */
export class WorkflowsService
  implements CrudService<Scope, Workflow, CreateWorkflowBody, UpdateWorkflowBody>
{
  constructor(
    private readonly db: Db,
    private readonly promptsDir: string,
  ) {}

  async list({ workspaceId }: Scope): Promise<Workflow[]> {
    const rows = await this.db
      .selectFrom('workflows')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      definition: r.definition,
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  async get(scope: Scope, id: string): Promise<Workflow> {
    const found = (await this.list(scope)).find((w) => w.id === id);
    if (!found) throw notFound('Workflow');
    return found;
  }

  async create(scope: Scope, body: CreateWorkflowBody): Promise<Workflow> {
    await this.check(scope.workspaceId, body.definition);
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('workflows')
          .values({
            workspace_id: scope.workspaceId,
            name: body.name.trim(),
            definition: JSON.stringify(body.definition),
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      { unique: 'A workflow with that name already exists' },
    );
    return this.get(scope, row.id);
  }

  async update(scope: Scope, id: string, body: UpdateWorkflowBody): Promise<Workflow> {
    if (body.definition) await this.check(scope.workspaceId, body.definition);
    const res = await withConstraints(
      () =>
        this.db
          .updateTable('workflows')
          .set({
            ...(body.name !== undefined && { name: body.name.trim() }),
            ...(body.definition !== undefined && { definition: JSON.stringify(body.definition) }),
            updated_at: new Date(),
          })
          .where('workspace_id', '=', scope.workspaceId)
          .where('id', '=', id)
          .executeTakeFirst(),
      { unique: 'A workflow with that name already exists' },
    );
    if (res.numUpdatedRows === 0n) throw notFound('Workflow');
    return this.get(scope, id);
  }

  async remove(scope: Scope, id: string): Promise<void> {
    const res = await withConstraints(
      () =>
        this.db
          .deleteFrom('workflows')
          .where('workspace_id', '=', scope.workspaceId)
          .where('id', '=', id)
          .executeTakeFirst(),
      { foreignKey: 'Numbers still run this workflow' },
    );
    if (res.numDeletedRows === 0n) throw notFound('Workflow');
  }

  private async check(workspaceId: string, def: WorkflowDefinition): Promise<void> {
    const campaigns = await this.db
      .selectFrom('campaigns')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', 'inbound_voice')
      .execute();
    const ids = new Set(campaigns.map((c) => c.id));
    const problems = validateWorkflow(def, {
      prompt: (name) => promptExists(this.promptsDir, name),
      campaign: (id) => ids.has(id),
    });
    if (problems.length)
      throw new AppError('VALIDATION_FAILED', 'The workflow is not valid', {
        details: problems.map((p) => ({ path: `/definition${p.path}`, message: p.message })),
      });
  }
}

/** Inbound numbers ("voice channels", P4): where calls to each number go. */
export class InboundNumbersService
  implements CrudService<Scope, InboundNumber, CreateInboundNumberBody, UpdateInboundNumberBody>
{
  constructor(private readonly db: Db) {}

  async list({ workspaceId }: Scope): Promise<InboundNumber[]> {
    const rows = await this.db
      .selectFrom('inbound_numbers')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('number')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      name: r.name,
      purpose: r.purpose,
      workflowId: r.workflow_id,
      campaignId: r.campaign_id,
      webPhone: r.web_phone,
    }));
  }

  async get(scope: Scope, id: string): Promise<InboundNumber> {
    const found = (await this.list(scope)).find((n) => n.id === id);
    if (!found) throw notFound('Number');
    return found;
  }

  async create(scope: Scope, body: CreateInboundNumberBody): Promise<InboundNumber> {
    if ((body.purpose ?? 'customer') === 'customer' && !body.campaignId)
      throw new AppError('VALIDATION_FAILED', 'A customer number needs a campaign', {
        details: [{ path: '/campaignId', message: 'required for customer numbers' }],
      });
    await this.checkRefs(scope.workspaceId, body);
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('inbound_numbers')
          .values({
            workspace_id: scope.workspaceId,
            number: body.number,
            name: body.name.trim(),
            campaign_id: body.campaignId ?? null,
            workflow_id: body.workflowId ?? null,
            ...(body.purpose !== undefined && { purpose: body.purpose }),
            ...(body.webPhone !== undefined && { web_phone: body.webPhone }),
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      { unique: 'That number is already in use' },
    );
    return this.get(scope, row.id);
  }

  async update(scope: Scope, id: string, body: UpdateInboundNumberBody): Promise<InboundNumber> {
    await this.checkRefs(scope.workspaceId, body);
    const res = await withConstraints(
      () =>
        this.db
          .updateTable('inbound_numbers')
          .set({
            ...(body.number !== undefined && { number: body.number }),
            ...(body.name !== undefined && { name: body.name.trim() }),
            ...(body.campaignId !== undefined && { campaign_id: body.campaignId }),
            ...(body.workflowId !== undefined && { workflow_id: body.workflowId }),
            ...(body.webPhone !== undefined && { web_phone: body.webPhone }),
            ...(body.purpose !== undefined && { purpose: body.purpose }),
          })
          .where('workspace_id', '=', scope.workspaceId)
          .where('id', '=', id)
          .executeTakeFirst(),
      { unique: 'That number is already in use' },
    );
    if (res.numUpdatedRows === 0n) throw notFound('Number');
    return this.get(scope, id);
  }

  async remove(scope: Scope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('inbound_numbers')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Number');
  }

  private async checkRefs(workspaceId: string, body: UpdateInboundNumberBody): Promise<void> {
    const details: { path: string; message: string }[] = [];
    if (body.campaignId !== undefined) {
      const c = await this.db
        .selectFrom('campaigns')
        .select('kind')
        .where('id', '=', body.campaignId)
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst();
      if (c?.kind !== 'inbound_voice')
        details.push({ path: '/campaignId', message: 'not an inbound voice campaign of this workspace' });
    }
    if (body.workflowId) {
      const w = await this.db
        .selectFrom('workflows')
        .select('id')
        .where('id', '=', body.workflowId)
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst();
      if (!w) details.push({ path: '/workflowId', message: 'not a workflow of this workspace' });
    }
    if (details.length)
      throw new AppError('VALIDATION_FAILED', 'The number refers to unknown items', { details });
  }
}
