import type { AgentState, DialLeadBody, Lead, LeadNumberBody, WrapBody } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { AppError, notFound } from '../http/app-error.js';
import type { PlacedCalls } from '../voice/placed-calls.js';
import type { LeadDesk } from './lead-desk.js';
import { type LeadSelector, refreshReady } from './lead-selector.js';
import { leadLabel, leadRules, loadLead } from './lead-view.js';
import { claimNumber } from './number-claim.js';

/** How often leads that became due (a callback, a retry, calling hours opening) are looked for. */
const DUE_CHECK_MS = 15_000;

export interface LeadWorkDeps {
  db: Db;
  acd: AcdService;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  placed: PlacedCalls;
  selector: LeadSelector;
  /** Due callbacks announced to their agents. */
  desk: LeadDesk;
  /** The server's dial plan country, for campaigns and workspaces without their own. */
  defaultCountry: string;
}

/**
 * Preview dialling (G1-G5): an Available agent on a preview campaign with nothing on the toolbar
 * is presented the next lead (`LeadSelector` reserves it for them); they dial its numbers one
 * call at a time (the calling rules checked at that moment), add or edit its numbers where the
 * campaign allows, and wrap each call: the outcome goes to the number called and to the lead
 * (complete the lead, complete the number, retry later, callback, do not call), then "Wrap Lead"
 * lets the lead go and the next one comes, "Wrap and continue with Lead" keeps it on the toolbar.
 */
export class LeadWork {
  /** Agents being presented a lead (or wrapping one): one at a time each. */
  private readonly busy = new Set<string>();
  private readonly unsubscribe: () => void;
  private cancelTick: () => void = () => {};
  private stopped = false;

  constructor(private readonly deps: LeadWorkDeps) {
    this.unsubscribe = deps.bus.subscribe((e) => {
      if (e.type !== 'agent.stateChanged') return;
      if (e.agent.status.kind === 'signed_out')
        void deps.selector.releaseAll(e.userId).catch((err) => deps.log.warn({ err }, 'leads not released'));
      else if (e.agent.status.kind === 'available' && e.agent.interactions.length === 0)
        void this.present(e.userId);
    });
  }

  /** After a restart, leads held by interactions that are gone go back; the due check starts. */
  async start(): Promise<void> {
    await sql`
      update leads set reserved_by = null, reserved_at = null
      where reserved_by is not null and id not in (
        select lead_id from queue_entries where lead_id is not null and state in ('busy', 'wrapping')
      )
    `.execute(this.deps.db);
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.cancelTick();
  }

  /** The next lead for `userId`, from the first of their preview campaigns that has one. */
  async present(userId: string, only?: { leadId: string; campaignId: string }): Promise<void> {
    if (this.busy.has(userId) || this.stopped) return;
    this.busy.add(userId);
    try {
      await this.presentNow(userId, only);
    } catch (err) {
      this.deps.log.error({ err, userId }, 'no lead could be presented');
    } finally {
      this.busy.delete(userId);
    }
  }

  /**
   * Dials one of the presented lead's numbers, or a number the agent typed (a Manual Call on the
   * lead: its campaign, its outcome on the lead only), the calling rules checked now.
   */
  async dial(userId: string, entryId: string, target: DialLeadBody): Promise<void> {
    const { db, clock } = this.deps;
    const entry = await this.entryOf(userId, entryId);
    if (entry.customer_phone)
      throw new AppError('INTERACTION_STATE', 'This call has been made: wrap it to call another number');
    const ctx = await this.leadOf(entry.lead_id);
    const number =
      'numberId' in target
        ? await db
            .selectFrom('lead_numbers')
            .selectAll()
            .where('id', '=', target.numberId)
            .where('lead_id', '=', ctx.lead.id)
            .executeTakeFirst()
        : {
            id: null,
            number: await this.e164(ctx, target.number),
            attempts: 0,
            next_call_at: null,
            completed: false,
          };
    if (!number) throw notFound('Lead number');
    const now = clock.now();
    const refusal = await claimNumber(db, {
      workspaceId: entry.workspace_id,
      lead: ctx.lead,
      number,
      rules: ctx.rules,
      now,
      dialler: false,
      record: async (tx) => {
        await tx
          .updateTable('queue_entries')
          .set({ customer_phone: number.number, lead_number_id: number.id })
          .where('id', '=', entry.id)
          .execute();
      },
    });
    if (refusal) throw new AppError('LEAD_NOT_CALLABLE', refusal.reason);
    const { callerId } = await this.deps.placed.dialOn(
      userId,
      entry.workspace_id,
      { id: entry.id, campaignId: entry.campaign_id },
      number.number,
    );
    await db
      .updateTable('queue_entries')
      .set({ platform_phone: callerId })
      .where('id', '=', entry.id)
      .execute();
  }

  /** "Add new number" on the presented lead. */
  async addNumber(userId: string, entryId: string, body: LeadNumberBody): Promise<Lead> {
    const { ctx } = await this.editable(userId, entryId);
    const number = await this.e164(ctx, body.number);
    const last = await this.deps.db
      .selectFrom('lead_numbers')
      .select(sql<number>`coalesce(max(position), -1)`.as('p'))
      .where('lead_id', '=', ctx.lead.id)
      .executeTakeFirstOrThrow();
    await this.deps.db
      .insertInto('lead_numbers')
      .values({ lead_id: ctx.lead.id, position: Number(last.p) + 1, number, label: body.label?.trim() ?? '' })
      .execute();
    return this.leadView(ctx.lead.id);
  }

  /** Edits one of the presented lead's numbers; an empty number removes it (the guide's way). */
  async updateNumber(userId: string, entryId: string, numberId: string, body: LeadNumberBody): Promise<Lead> {
    const { ctx } = await this.editable(userId, entryId);
    const number = await this.e164(ctx, body.number);
    const res = await this.deps.db
      .updateTable('lead_numbers')
      .set({ number, ...(body.label !== undefined && { label: body.label.trim() }) })
      .where('id', '=', numberId)
      .where('lead_id', '=', ctx.lead.id)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) throw notFound('Lead number');
    return this.leadView(ctx.lead.id);
  }

  async removeNumber(userId: string, entryId: string, numberId: string): Promise<Lead> {
    const { ctx, entry } = await this.editable(userId, entryId);
    if (entry.lead_number_id === numberId)
      throw new AppError('INTERACTION_STATE', 'The number of this call cannot be removed during it');
    const res = await this.deps.db
      .deleteFrom('lead_numbers')
      .where('id', '=', numberId)
      .where('lead_id', '=', ctx.lead.id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Lead number');
    return this.leadView(ctx.lead.id);
  }

  /**
   * Wraps an interaction on a lead with its outcome; undefined for any other interaction (the
   * ACD wraps it as usual). The outcome is applied to the number called and to the lead, then the
   * lead is let go (the next one comes) or, with `continueWithLead`, presented again.
   */
  async wrap(userId: string, entryId: string, body: WrapBody): Promise<AgentState | undefined> {
    const { db, acd, clock } = this.deps;
    const entry = await db
      .selectFrom('queue_entries')
      .selectAll()
      .where('id', '=', entryId)
      .executeTakeFirst();
    if (!entry?.lead_id || entry.agent_id !== userId) return undefined;
    const codeId = body.wrapCodeId ?? entry.chosen_wrap_code_id ?? undefined;
    const code = codeId
      ? await db.selectFrom('wrap_codes').selectAll().where('id', '=', codeId).executeTakeFirst()
      : undefined;
    const now = clock.now();
    if (code?.schedules_callback) {
      if (!body.callback)
        throw new AppError('CALLBACK_REQUIRED', `${code.name} needs a callback date and time`);
      if (new Date(body.callback.at) <= now)
        throw new AppError('CALLBACK_REQUIRED', 'Choose a callback time in the future');
    }
    this.busy.add(userId);
    try {
      await acd.wrap(userId, entryId, codeId);
      const ctx = await this.leadOf(entry.lead_id);
      const done = await this.applyOutcome(entry, ctx, code, body, now, userId);
      const keep = body.continueWithLead === true && !done;
      if (!keep) await this.deps.selector.release([entry.lead_id]);
      this.busy.delete(userId);
      await this.present(userId, keep ? { leadId: entry.lead_id, campaignId: entry.campaign_id } : undefined);
      return acd.stateOf(userId);
    } finally {
      this.busy.delete(userId);
    }
  }

  private async presentNow(userId: string, only?: { leadId: string; campaignId: string }): Promise<void> {
    const { acd, db, selector, clock } = this.deps;
    // Only agents of preview campaigns work leads (the due check asks every idle agent).
    if (!only && acd.campaignsOf(userId, 'outbound_preview').length === 0) return;
    // A lead the agent chose in the Lead Manager (or kept with "Wrap and continue") comes first.
    const chosen =
      only ??
      (await db
        .selectFrom('leads')
        .select(['id as leadId', 'campaign_id as campaignId'])
        .where('reserved_by', '=', userId)
        .where('done', '=', false)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('queue_entries')
                .select('id')
                .whereRef('queue_entries.lead_id', '=', 'leads.id')
                .where('queue_entries.state', 'in', ['busy', 'wrapping']),
            ),
          ),
        )
        .orderBy('reserved_at')
        .executeTakeFirst());
    if (chosen) only = chosen;
    // Callers waiting in the agent's inbound queues come before any lead.
    if (acd.queuesFor(userId).some((q) => q.campaignKind === 'inbound_voice' && q.waiting > 0)) return;
    const campaigns = only
      ? [{ id: only.campaignId }]
      : acd.campaignsOf(userId, 'outbound_preview').sort((a, b) => a.id.localeCompare(b.id));
    for (const c of campaigns) {
      if (!acd.idleAgents().includes(userId)) return;
      const campaign = await db
        .selectFrom('campaigns')
        .select(['workspace_id', 'lead_rules'])
        .where('id', '=', c.id)
        .executeTakeFirst();
      if (!campaign) continue;
      const leadId =
        only?.leadId ?? (await selector.next(userId, c.id, leadRules(campaign.lead_rules), clock.now()));
      if (!leadId) continue;
      const lead = await loadLead(db, leadId);
      const label = leadLabel(lead?.fields ?? {}, lead?.numbers[0]?.number);
      const presented = await acd.present(userId, {
        workspaceId: campaign.workspace_id,
        campaignId: c.id,
        leadId,
        label,
      });
      if (presented) return;
      await selector.release([leadId]);
      return;
    }
  }

  /**
   * Every so often, due callbacks are announced and the idle agents get the leads that became due.
   * The check's promise goes to the clock, so a test in virtual time can wait for it to finish.
   */
  private tick(): void {
    if (this.stopped) return;
    this.cancelTick = this.deps.clock.setTimer(DUE_CHECK_MS, () =>
      this.deps.desk
        .announceDue()
        .catch((err) => this.deps.log.warn({ err }, 'due callbacks not announced'))
        .then(() => Promise.all(this.deps.acd.idleAgents().map((id) => this.present(id))))
        .finally(() => this.tick()),
    );
  }

  /**
   * The outcome on the number called (its last outcome; completed by "Complete Phone Number" or
   * "do not call"; a retry time after an unanswered call or a retry outcome) and on the lead (its
   * last outcome; done; the callback, which "Complete Phone Number" leaves as it was). Returns
   * whether the lead is done.
   */
  private async applyOutcome(
    entry: { workspace_id: string; lead_number_id: string | null; ended_by: string | null },
    ctx: Awaited<ReturnType<LeadWork['leadOf']>>,
    code:
      | {
          name: string;
          completes_lead: boolean;
          completes_phone_number: boolean;
          schedules_callback: boolean;
          retry_minutes: number | null;
          do_not_call: boolean;
        }
      | undefined,
    body: WrapBody,
    now: Date,
    userId: string,
  ): Promise<boolean> {
    const { db } = this.deps;
    const minutes = (m: number) => new Date(now.getTime() + m * 60_000);
    const unanswered = entry.ended_by === 'system';
    const outcome = code?.name ?? null;
    return db.transaction().execute(async (tx) => {
      if (entry.lead_number_id) {
        const number = await tx
          .updateTable('lead_numbers')
          .set({
            last_outcome: outcome,
            ...((code?.completes_phone_number || code?.do_not_call) && { completed: true }),
            // A callback sets when the lead is called next: no retry time stands in its way.
            ...(code?.schedules_callback && body.callback
              ? { next_call_at: null }
              : code?.retry_minutes
                ? { next_call_at: minutes(code.retry_minutes) }
                : unanswered && { next_call_at: minutes(ctx.rules.retryMinutes) }),
          })
          .where('id', '=', entry.lead_number_id)
          .returning('number')
          .executeTakeFirst();
        if (code?.do_not_call && number)
          await tx
            .insertInto('do_not_call')
            .values({
              workspace_id: entry.workspace_id,
              number: number.number,
              reason: `Outcome: ${code.name}`,
            })
            .onConflict((oc) => oc.doNothing())
            .execute();
      }
      const open = await tx
        .selectFrom('lead_numbers')
        .select('id')
        .where('lead_id', '=', ctx.lead.id)
        .where('completed', '=', false)
        .executeTakeFirst();
      const done = code?.completes_lead === true || !open;
      const callback = code?.schedules_callback && body.callback;
      await tx
        .updateTable('leads')
        .set({
          done,
          ...(outcome !== null && { last_outcome: outcome }),
          ...(callback
            ? { callback_at: new Date(callback.at), callback_owner_id: callback.personal ? userId : null }
            : !code?.completes_phone_number && { callback_at: null, callback_owner_id: null }),
          ...(code?.retry_minutes && { next_call_at: minutes(code.retry_minutes) }),
        })
        .where('id', '=', ctx.lead.id)
        .execute();
      if (!done) await refreshReady(tx, [ctx.lead.id], ctx.rules);
      return done;
    });
  }

  /** The agent's presented lead interaction, in conversation (not wrapped yet). */
  private async entryOf(userId: string, entryId: string) {
    const entry = await this.deps.db
      .selectFrom('queue_entries')
      .selectAll()
      .where('id', '=', entryId)
      .executeTakeFirst();
    if (!entry?.lead_id || entry.agent_id !== userId) throw notFound('Lead on your toolbar');
    if (entry.state !== 'busy')
      throw new AppError('INTERACTION_STATE', 'This lead’s call is over: wrap it first');
    return entry as typeof entry & { lead_id: string };
  }

  private async editable(userId: string, entryId: string) {
    const entry = await this.entryOf(userId, entryId);
    const ctx = await this.leadOf(entry.lead_id);
    if (!ctx.rules.editNumbers)
      throw new AppError('FORBIDDEN_ROLE', 'This campaign does not let agents change a lead’s numbers');
    return { entry, ctx };
  }

  private async leadOf(leadId: string) {
    const { db } = this.deps;
    const lead = await db.selectFrom('leads').selectAll().where('id', '=', leadId).executeTakeFirstOrThrow();
    const campaign = await db
      .selectFrom('campaigns')
      .innerJoin('workspaces', 'workspaces.id', 'campaigns.workspace_id')
      .select(['campaigns.lead_rules', 'workspaces.dial_plan'])
      .where('campaigns.id', '=', lead.campaign_id)
      .executeTakeFirstOrThrow();
    return {
      lead,
      rules: leadRules(campaign.lead_rules),
      dialPlanCountry: campaign.dial_plan?.defaultCountry,
    };
  }

  /** A number as the agent typed it, read in the campaign's country, in E.164. */
  private async e164(ctx: Awaited<ReturnType<LeadWork['leadOf']>>, text: string): Promise<string> {
    const country = ctx.rules.defaultCountry ?? ctx.dialPlanCountry ?? this.deps.defaultCountry;
    const parsed = parsePhoneNumberFromString(text.trim(), country as CountryCode);
    if (!parsed?.isValid())
      throw new AppError('NUMBER_INVALID', `"${text.trim()}" is not a valid phone number`);
    return parsed.number;
  }

  private async leadView(leadId: string): Promise<Lead> {
    const lead = await loadLead(this.deps.db, leadId);
    if (!lead) throw notFound('Lead');
    return lead;
  }
}
