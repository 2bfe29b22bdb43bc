import type { Readable } from 'node:stream';
import type {
  CreateLeadListBody,
  Lead,
  LeadImport,
  LeadImportQuery,
  LeadList,
  LeadPage,
  LeadPageQuery,
} from '@parley/contract';
import { sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import { AppError, notFound } from '../http/app-error.js';
import type { LeadImportsService } from './lead-import.service.js';
import { leadImportTarget } from './lead-import-leads.js';
import { leadRules, toLead } from './lead-view.js';

type Scope = { workspaceId: string };
const OUTBOUND = ['outbound_preview', 'outbound_predictive'] as const;
const UNIQUE = { unique: 'This campaign already has a lead list with that name' };

/** The country a workspace's numbers are read in: its dial plan's, else the server's. */
export type WorkspaceCountry = (workspaceId: string) => Promise<string>;

/**
 * Lead lists of outbound campaigns, their leads (read a page at a time, by the order they were
 * added) and the CSV import into a list.
 */
export class LeadListsService {
  constructor(
    private readonly db: Db,
    private readonly imports: LeadImportsService,
    private readonly workspaceCountry: WorkspaceCountry,
    private readonly clock: Clock,
  ) {}

  async list(scope: Scope, campaignId?: string, onlyId?: string): Promise<LeadList[]> {
    let q = this.db
      .selectFrom('lead_lists as ll')
      .select([
        'll.id',
        'll.campaign_id',
        'll.name',
        'll.created_at',
        sql<string>`(select count(*) from leads l where l.list_id = ll.id)`.as('leads'),
      ])
      .where('ll.workspace_id', '=', scope.workspaceId);
    if (campaignId) q = q.where('ll.campaign_id', '=', campaignId);
    if (onlyId) q = q.where('ll.id', '=', onlyId);
    const rows = await q.orderBy('ll.name').orderBy('ll.id').execute();
    return rows.map((r) => ({
      id: r.id,
      campaignId: r.campaign_id,
      name: r.name,
      leads: Number(r.leads),
      createdAt: r.created_at.toISOString(),
    }));
  }

  async get(scope: Scope, id: string): Promise<LeadList> {
    const [list] = await this.list(scope, undefined, id);
    if (!list) throw notFound('Lead list');
    return list;
  }

  /** A list of one of the workspace's outbound campaigns (CAMPAIGN_NOT_OUTBOUND for another kind). */
  async create(scope: Scope, body: CreateLeadListBody): Promise<LeadList> {
    const campaign = await this.db
      .selectFrom('campaigns')
      .select(['id', 'name', 'kind'])
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', body.campaignId)
      .executeTakeFirst();
    if (!campaign)
      throw new AppError('VALIDATION_FAILED', 'Unknown campaignId', {
        details: [{ path: 'body/campaignId', message: `no such item: ${body.campaignId}` }],
      });
    if (!(OUTBOUND as readonly string[]).includes(campaign.kind))
      throw new AppError(
        'CAMPAIGN_NOT_OUTBOUND',
        `"${campaign.name}" is a campaign of kind ${campaign.kind}: lead lists belong to outbound campaigns (outbound_preview, outbound_predictive)`,
      );
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('lead_lists')
          .values({ workspace_id: scope.workspaceId, campaign_id: campaign.id, name: body.name.trim() })
          .returning('id')
          .executeTakeFirstOrThrow(),
      UNIQUE,
    );
    return this.get(scope, row.id);
  }

  /** Deletes the list with its leads and its imports' reports; not while an import into it runs. */
  async remove(scope: Scope, id: string): Promise<void> {
    await this.get(scope, id);
    if (await this.imports.isRunning(scope.workspaceId, id))
      throw new AppError('IMPORT_RUNNING', 'An import into this list is running: wait for it to finish');
    const imports = await this.db.selectFrom('lead_imports').select('id').where('list_id', '=', id).execute();
    const res = await this.db
      .deleteFrom('lead_lists')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Lead list');
    await this.imports.removeFiles(
      scope.workspaceId,
      imports.map((i) => i.id),
    );
  }

  /** A page of the list's leads with their numbers, in the order they were added. */
  async leads(scope: Scope, listId: string, query: LeadPageQuery): Promise<LeadPage> {
    await this.get(scope, listId);
    const limit = Number(query.limit ?? 100);
    let q = this.db
      .selectFrom('leads')
      .selectAll()
      .select(sql<string>`seq::text`.as('seq_text'))
      .where('list_id', '=', listId);
    if (query.after) q = q.where('seq', '>', query.after);
    const rows = await q
      .orderBy('seq')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const numbers = page.length
      ? await this.db
          .selectFrom('lead_numbers')
          .selectAll()
          .where(
            'lead_id',
            'in',
            page.map((l) => l.id),
          )
          .execute()
      : [];
    return {
      leads: page.map((l) =>
        toLead(
          l,
          numbers.filter((n) => n.lead_id === l.id),
        ),
      ),
      next: rows.length > limit ? (page.at(-1)?.seq_text ?? null) : null,
    };
  }

  async lead(scope: Scope, listId: string, leadId: string): Promise<Lead> {
    const lead = await this.db
      .selectFrom('leads')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .where('list_id', '=', listId)
      .where('id', '=', leadId)
      .executeTakeFirst();
    if (!lead) throw notFound('Lead');
    const numbers = await this.db
      .selectFrom('lead_numbers')
      .selectAll()
      .where('lead_id', '=', leadId)
      .execute();
    return toLead(lead, numbers);
  }

  /** The list's imports, newest first. */
  async listImports(scope: Scope, listId: string): Promise<LeadImport[]> {
    await this.get(scope, listId);
    return this.imports.list(scope, listId);
  }

  /**
   * Starts a CSV import into the list: numbers are read in the campaign's country (its lead
   * rules, else the workspace's dial plan, else the server's), zones fall back to the campaign's.
   */
  async import(
    scope: Scope,
    listId: string,
    query: LeadImportQuery,
    upload: { body: Readable; contentLength?: number | undefined; userId: string },
  ): Promise<LeadImport> {
    const phone = [query.phone].flat();
    const taken = [...phone, query.timeZone, query.priority].filter((c) => c !== undefined);
    const twice = taken.find(
      (c, i) => taken.findIndex((o) => o.trim().toLowerCase() === c.trim().toLowerCase()) !== i,
    );
    if (twice !== undefined)
      throw new AppError('VALIDATION_FAILED', `The column "${twice}" is mapped twice`, {
        details: [{ path: 'querystring', message: `"${twice}" is named twice` }],
      });
    const list = await this.db
      .selectFrom('lead_lists as ll')
      .innerJoin('campaigns as c', 'c.id', 'll.campaign_id')
      .select(['ll.id', 'll.campaign_id', 'c.lead_rules'])
      .where('ll.workspace_id', '=', scope.workspaceId)
      .where('ll.id', '=', listId)
      .executeTakeFirst();
    if (!list) throw notFound('Lead list');
    const rules = leadRules(list.lead_rules);
    const country = rules.defaultCountry ?? (await this.workspaceCountry(scope.workspaceId));
    const mapping = {
      phone,
      timeZone: query.timeZone ?? null,
      priority: query.priority ?? null,
      delimiter: query.delimiter ?? ',',
    };
    return this.imports.start({
      workspaceId: scope.workspaceId,
      kind: 'leads',
      listId,
      mapping,
      delimiter: mapping.delimiter,
      userId: upload.userId,
      body: upload.body,
      contentLength: upload.contentLength,
      target: leadImportTarget({
        workspaceId: scope.workspaceId,
        campaignId: list.campaign_id,
        listId,
        mapping,
        reading: { country, campaignZone: rules.timeZone, year: this.clock.now().getUTCFullYear() },
      }),
    });
  }
}
