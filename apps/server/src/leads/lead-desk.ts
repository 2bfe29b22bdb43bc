import { type Callback, type ConvertCampaign, type LeadSummary, NEW_RECORD } from '@parley/contract';
import { sql } from 'kysely';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { AppError, notFound } from '../http/app-error.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { claimLead } from './lead-selector.js';
import { leadLabel } from './lead-view.js';

const SEARCH_LIMIT = 50;
const OUTBOUND = ['outbound_preview', 'outbound_predictive'] as const;

export interface LeadDeskDeps {
  db: Db;
  acd: AcdService;
  bus: EventBus;
  clock: Clock;
  notifications: NotificationsService;
}

/**
 * An agent's own view of leads: the Lead Manager (G6: search the leads of their outbound
 * campaigns, choose one as their next contact), their Callbacks (G7: listed, and announced once
 * when due) and Convert to Outbound (I7: a live inbound call becomes an interaction of a lead).
 */
export class LeadDesk {
  constructor(private readonly deps: LeadDeskDeps) {}

  /** The outbound campaigns of the agent's teams. */
  outboundCampaigns(userId: string): string[] {
    return OUTBOUND.flatMap((k) => this.deps.acd.campaignsOf(userId, k).map((c) => c.id));
  }

  /**
   * Leads of `campaignIds` whose name, another column or a number matches `q` (a number as the
   * agent writes it: "0298765432" finds +61298765432).
   */
  async search(campaignIds: string[], q: string, userId: string): Promise<LeadSummary[]> {
    if (campaignIds.length === 0) return [];
    const text = `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const digits = q.replace(/\D/g, '').replace(/^0+/, '');
    const byNumber =
      digits.length >= 4
        ? sql`or exists (
      select 1 from lead_numbers n where n.lead_id = l.id and n.number like ${`%${digits}%`})`
        : sql``;
    const { rows } = await sql<{
      id: string;
      campaign_id: string;
      campaign_name: string;
      fields: Record<string, string>;
      last_outcome: string | null;
      callback_at: Date | null;
      done: boolean;
      reserved_by: string | null;
    }>`
      select l.id, l.campaign_id, c.name as campaign_name, l.fields, l.last_outcome, l.callback_at, l.done,
        l.reserved_by
      from leads l join campaigns c on c.id = l.campaign_id
      where l.campaign_id in (${sql.join(campaignIds)})
        and (exists (select 1 from json_each_text(l.fields) f where f.value ilike ${text}) ${byNumber})
      order by l.done, l.seq
      limit ${SEARCH_LIMIT}
    `.execute(this.deps.db);
    const numbers = await this.numbersOf(rows.map((r) => r.id));
    return rows.map((r) => {
      const own = numbers.get(r.id) ?? [];
      return {
        id: r.id,
        campaignId: r.campaign_id,
        campaignName: r.campaign_name,
        label: leadLabel(r.fields, own[0]),
        numbers: own,
        fields: r.fields,
        lastOutcome: r.last_outcome ?? NEW_RECORD,
        callbackAt: r.callback_at?.toISOString() ?? null,
        done: r.done,
        taken: r.reserved_by !== null && r.reserved_by !== userId,
      };
    });
  }

  /**
   * The Lead Manager's choice: the lead is reserved for the agent as their next contact (presented
   * at once when they are Available and free, else when they next are). LEAD_TAKEN when another
   * agent has it.
   */
  async choose(userId: string, leadId: string): Promise<{ campaignId: string }> {
    const { db, clock } = this.deps;
    const previews = this.deps.acd.campaignsOf(userId, 'outbound_preview').map((c) => c.id);
    const lead = await db
      .selectFrom('leads')
      .select(['campaign_id', 'done', 'reserved_by'])
      .where('id', '=', leadId)
      .executeTakeFirst();
    if (!lead || !previews.includes(lead.campaign_id)) throw notFound('Lead');
    if (lead.done) throw new AppError('LEAD_NOT_CALLABLE', 'This lead is complete');
    await claimLead(db, leadId, userId, clock.now());
    return { campaignId: lead.campaign_id };
  }

  /** The agent's callbacks: their personal ones and their campaigns' shared ones, soonest first. */
  async callbacks(userId: string): Promise<Callback[]> {
    const campaigns = this.outboundCampaigns(userId);
    const now = this.deps.clock.now();
    const rows = await this.deps.db
      .selectFrom('leads as l')
      .innerJoin('campaigns as c', 'c.id', 'l.campaign_id')
      .select(['l.id', 'l.campaign_id', 'c.name', 'l.fields', 'l.callback_at', 'l.callback_owner_id'])
      .where('l.done', '=', false)
      .where('l.callback_at', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('l.callback_owner_id', '=', userId),
          ...(campaigns.length
            ? [eb.and([eb('l.callback_owner_id', 'is', null), eb('l.campaign_id', 'in', campaigns)])]
            : []),
        ]),
      )
      .orderBy('l.callback_at')
      .limit(200)
      .execute();
    const numbers = await this.numbersOf(rows.map((r) => r.id));
    return rows.map((r) => {
      const at = r.callback_at as Date;
      return {
        leadId: r.id,
        campaignId: r.campaign_id,
        campaignName: r.name,
        label: leadLabel(r.fields, numbers.get(r.id)?.[0]),
        at: at.toISOString(),
        personal: r.callback_owner_id === userId,
        due: at <= now,
      };
    });
  }

  /** Personal callbacks that fell due are announced to their agent, once. */
  async announceDue(): Promise<void> {
    const { db, clock, notifications } = this.deps;
    const now = clock.now();
    const due = await db
      .updateTable('leads')
      .set({ callback_notified_at: now })
      .where('done', '=', false)
      .where('callback_at', '<=', now)
      .where('callback_notified_at', 'is', null)
      .where('callback_owner_id', 'is not', null)
      .returning(['id', 'fields', 'callback_owner_id', 'callback_at'])
      .execute();
    const numbers = await this.numbersOf(due.map((d) => d.id));
    for (const d of due) {
      const label = leadLabel(d.fields, numbers.get(d.id)?.[0]);
      const time = (d.callback_at as Date).toISOString().slice(11, 16);
      await notifications.notify(
        d.callback_owner_id as string,
        'info',
        `Callback due: ${label} (${time} UTC)`,
      );
    }
  }

  /** The outbound campaigns Convert to Outbound offers this agent, by the workspace's setting. */
  async convertCampaigns(userId: string, workspaceId: string): Promise<ConvertCampaign[]> {
    const { db } = this.deps;
    const ws = await db
      .selectFrom('workspaces')
      .select('convert_to_outbound')
      .where('id', '=', workspaceId)
      .executeTakeFirstOrThrow();
    if (ws.convert_to_outbound === 'none') return [];
    let q = db
      .selectFrom('campaigns')
      .select(['id', 'name'])
      .where('workspace_id', '=', workspaceId)
      .where('kind', 'in', [...OUTBOUND]);
    if (ws.convert_to_outbound === 'team') {
      const mine = this.outboundCampaigns(userId);
      if (mine.length === 0) return [];
      q = q.where('id', 'in', mine);
    }
    return q.orderBy('name').execute();
  }

  /**
   * Convert to Outbound: the agent's live inbound call becomes an interaction of `leadId` on its
   * outbound campaign (its script, fields and wrap behaviours); the lead is theirs while it lasts.
   */
  async convert(userId: string, workspaceId: string, entryId: string, leadId: string): Promise<void> {
    const { db, acd, clock } = this.deps;
    const entry = await db
      .selectFrom('queue_entries')
      .selectAll()
      .where('id', '=', entryId)
      .executeTakeFirst();
    if (!entry || entry.agent_id !== userId) throw notFound('Interaction');
    if (entry.kind !== 'voice' || entry.state !== 'busy' || entry.call_type !== null || entry.lead_id)
      throw new AppError('CONVERT_OFF', 'Only a live inbound call can be converted to outbound');
    const allowed = (await this.convertCampaigns(userId, workspaceId)).map((c) => c.id);
    if (allowed.length === 0) throw new AppError('CONVERT_OFF', 'Convert to Outbound is turned off');
    const lead = await db
      .selectFrom('leads')
      .select(['campaign_id', 'done'])
      .where('id', '=', leadId)
      .executeTakeFirst();
    if (!lead || !allowed.includes(lead.campaign_id)) throw notFound('Lead');
    const campaign = await db
      .selectFrom('campaigns')
      .select('name')
      .where('id', '=', lead.campaign_id)
      .executeTakeFirstOrThrow();
    const number = entry.customer_phone
      ? await db
          .selectFrom('lead_numbers')
          .select('id')
          .where('lead_id', '=', leadId)
          .where('number', '=', entry.customer_phone)
          .executeTakeFirst()
      : undefined;
    await db.transaction().execute(async (tx) => {
      await claimLead(tx, leadId, userId, clock.now());
      await tx
        .updateTable('queue_entries')
        // An Outcome chosen before was one of the old campaign's: the lead's campaign has its own.
        .set({
          campaign_id: lead.campaign_id,
          lead_id: leadId,
          lead_number_id: number?.id ?? null,
          chosen_wrap_code_id: null,
        })
        .where('id', '=', entryId)
        .execute();
    });
    await acd.convert(userId, entryId, { campaignId: lead.campaign_id, campaignName: campaign.name, leadId });
    this.deps.bus.publish({
      type: 'interaction.converted',
      workspaceId,
      entryId,
      kind: 'voice',
      userId,
      leadId,
      campaignId: lead.campaign_id,
    });
  }

  private async numbersOf(leadIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (leadIds.length === 0) return out;
    const rows = await this.deps.db
      .selectFrom('lead_numbers')
      .select(['lead_id', 'number'])
      .where('lead_id', 'in', leadIds)
      .orderBy('position')
      .execute();
    for (const r of rows) out.set(r.lead_id, [...(out.get(r.lead_id) ?? []), r.number]);
    return out;
  }
}
