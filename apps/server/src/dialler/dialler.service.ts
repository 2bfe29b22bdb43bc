import { statSync } from 'node:fs';
import path from 'node:path';
import type { DiallerCampaignStats, LeadRules, PredictiveSettings } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { type LeadSelector, refreshReady } from '../leads/lead-selector.js';
import { leadLabel, leadRules } from '../leads/lead-view.js';
import { claimNumber } from '../leads/number-claim.js';
import { soundsDir } from '../sounds.js';
import type { PredictiveCalls, PredictiveDial, PredictiveOutcome } from '../voice/predictive-calls.js';
import { type AuditEntry, audit, predictiveSettings } from './dialler-audit.js';
import {
  AnswerRate,
  chanceFreeWithin,
  chanceStillAnswered,
  decide,
  type HandleMeans,
  type PacingDecision,
  type PacingInput,
  RollingCounts,
} from './pacing.js';

/** How often every predictive campaign is paced, besides after each call's outcome. */
const TICK_MS = 1000;
/** From the answer, how long an answered call may wait for an agent before it is abandoned. */
export const GRACE_MS = 2000;
const DAY_MS = 86_400_000;
const THIRTY_DAYS_MS = 30 * DAY_MS;
/** The means start from a prior worth this many calls, so the first few do not swing them. */
const PRIOR_WEIGHT = 20;
const PRIOR_HANDLE: HandleMeans = { talkMs: 270_000, wrapMs: 30_000 };
/** After "no way out" (no trunk, SIP down), a campaign waits this long before dialling again. */
const NO_ROUTE_BACKOFF_MS = 30_000;
/** The most leads one decision looks through for a number it may call. */
const MAX_LEADS_TRIED = 20;

const STOCK_MESSAGE = 'prompts/dialler-information';

/** A predictive campaign as the dialler keeps it: what it measured, what is in flight. */
interface Paced {
  id: string;
  workspaceId: string;
  name: string;
  rules: LeadRules;
  settings: PredictiveSettings;
  ringMs: number;
  callerId: string | null;
  info: PredictiveDial['infoMessage'];
  rate: AnswerRate;
  ringSum: number;
  ringCount: number;
  /** Connected calls' talk (answer to hang-up) and wrap-up (hang-up to wrapped) times today. */
  talkSum: number;
  talkCount: number;
  wrapSum: number;
  wrapCount: number;
  day: RollingCounts;
  month: RollingCounts;
  /** Calls ringing: their dialler_calls id and dial time. */
  ringing: Map<string, number>;
  today: { date: string; dialled: number; answered: number; connected: number; abandoned: number };
  mode: PacingDecision['mode'];
  agents: number;
  freeAgents: number;
  pausedUntil: number;
  placing: boolean;
  /** The last decision wanted calls and found no lead to call. */
  nothingToCall: boolean;
  loadedAt: number;
}

export interface DiallerDeps {
  db: Db;
  acd: AcdService;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  selector: LeadSelector;
  calls: PredictiveCalls;
}

/**
 * The predictive dialler (H1, H2): every second, and after each call's outcome, each predictive
 * campaign with agents Available on it is paced by the pure pacing module (`pacing.ts`, the same
 * code the simulator runs), and the calls it asks for are placed: the next lead by the lead model's
 * selection, its first number the calling rules allow now (checked at dial time, under the
 * number's lock), dialled through the trunk. Outcomes feed back: the answer rate, ring and handle
 * times measured today, and the abandonment windows (a rolling 24 hours and 30 days, counted from
 * `dialler_calls`, so a restart keeps them). Every decision that places calls, every abandon and
 * every settings change goes into the audit log (`dialler_audit`).
 */
export class DiallerService {
  private readonly campaigns = new Map<string, Paced>();
  /** Connected calls, by interaction: for the handle time when the agent wraps. */
  private readonly connected = new Map<string, { campaignId: string; atMs: number; endedAtMs?: number }>();
  private readonly pending = new Set<Promise<unknown>>();
  private cancelTick: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  private ticking: Promise<void> | undefined;

  constructor(private readonly deps: DiallerDeps) {}

  /** Leads and numbers a stopped server left in the dialler's hands go back; then pacing starts. */
  async start(): Promise<void> {
    const { db, clock } = this.deps;
    await db
      .updateTable('dialler_calls')
      .set({ outcome: 'failed', reason: 'the server stopped during the call', ended_at: clock.now() })
      .where('outcome', '=', 'ringing')
      .execute();
    await db
      .updateTable('leads')
      .set({ reserved_by: null, reserved_at: null })
      .where(
        'reserved_by',
        'in',
        db.selectFrom('campaigns').select('id').where('kind', '=', 'outbound_predictive'),
      )
      .execute();
    this.unsubscribe = this.deps.bus.subscribe((e) => {
      if (e.type === 'interaction.ended') this.ended(e.entryId);
      if (e.type === 'interaction.wrapped') this.wrapped(e.entryId);
      if (e.type === 'directory.changed') for (const c of this.campaigns.values()) c.loadedAt = 0;
    });
    this.schedule();
  }

  /** No more decisions; calls already placed go on (call control gives them up at its shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTick?.();
    this.unsubscribe?.();
    await this.ticking;
  }

  /**
   * Resolves when every call placed so far has had its outcome recorded, and the pacing those
   * outcomes set off has run (calls it placed meanwhile are not waited for: they may ring long).
   */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await this.ticking;
  }

  /** Paces every predictive campaign now (a test's virtual clock, or after an outcome). */
  tick(): Promise<void> {
    if (!this.ticking)
      this.ticking = this.paceAll()
        .catch((err) => this.deps.log.error({ err }, 'predictive pacing failed'))
        .finally(() => {
          this.ticking = undefined;
        });
    return this.ticking;
  }

  /** The live figures of the workspace's predictive campaigns (the managers' view). */
  async stats(workspaceId: string, campaignIds?: Set<string>): Promise<DiallerCampaignStats[]> {
    const rows = await this.deps.db
      .selectFrom('campaigns')
      .select(['id'])
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', 'outbound_predictive')
      .orderBy('name')
      .execute();
    const out: DiallerCampaignStats[] = [];
    for (const r of rows) {
      if (campaignIds && !campaignIds.has(r.id)) continue;
      const c = await this.campaign(r.id);
      if (c) out.push(this.figures(c));
    }
    return out;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.cancelTick = this.deps.clock.setTimer(TICK_MS, () => {
      void this.tick().finally(() => this.schedule());
    });
  }

  private async paceAll(): Promise<void> {
    const rows = await this.deps.db
      .selectFrom('campaigns')
      .select('id')
      .where('kind', '=', 'outbound_predictive')
      .execute();
    for (const { id } of rows) {
      if (this.stopped) return;
      const { free, busy } = this.deps.acd.campaignAgents(id);
      const known = this.campaigns.get(id);
      if (!known && free.length + busy.length === 0) continue;
      const c = await this.campaign(id);
      if (c) await this.pace(c, free.length, busy);
    }
  }

  /** One decision for one campaign, and the calls it asks for. */
  private async pace(c: Paced, free: number, busy: { wrapping: boolean }[]): Promise<void> {
    const now = this.deps.clock.now().getTime();
    c.agents = free + busy.length;
    c.freeAgents = free;
    if (c.placing || c.agents === 0 || now < c.pausedUntil) return;
    const means: HandleMeans = {
      talkMs: (c.talkSum + PRIOR_WEIGHT * PRIOR_HANDLE.talkMs) / (c.talkCount + PRIOR_WEIGHT),
      wrapMs: (c.wrapSum + PRIOR_WEIGHT * PRIOR_HANDLE.wrapMs) / (c.wrapCount + PRIOR_WEIGHT),
    };
    const meanRing = (c.ringSum + PRIOR_WEIGHT * (c.ringMs / 2)) / (c.ringCount + PRIOR_WEIGHT);
    const p = c.rate.value;
    c.day.advance(now);
    c.month.advance(now);
    const input: PacingInput = {
      freeAgents: free,
      soonFree: busy.map((b) => chanceFreeWithin(b.wrapping, means, meanRing)),
      inFlight: [...c.ringing.values()].map((at) => chanceStillAnswered(now - at, p, meanRing)),
      answerRate: p,
      windows: [c.day.counts(), c.month.counts()],
      cap: c.settings.abandonCap,
      agents: c.agents,
      maxLinesPerAgent: c.settings.maxLinesPerAgent,
    };
    const decision = decide(input);
    const changed = decision.mode !== c.mode;
    c.mode = decision.mode;
    if (decision.dial === 0 && !changed) return;
    c.placing = true;
    try {
      const placed = decision.dial > 0 ? await this.placeCalls(c, decision.dial) : 0;
      // Out of leads to call: the first such decision is kept, not one every second after it.
      const nothing = decision.dial > 0 && placed === 0;
      const repeat = nothing && c.nothingToCall && !changed;
      c.nothingToCall = nothing;
      if (repeat) return;
      await audit(this.deps.db, [
        this.entry(c, 'decision', {
          input: {
            freeAgents: input.freeAgents,
            soonFree: input.soonFree.length,
            soonFreeExpected: round(input.soonFree.reduce((a, b) => a + b, 0)),
            inFlight: input.inFlight.length,
            inFlightExpected: round(input.inFlight.reduce((a, b) => a + b, 0)),
            answerRate: round(input.answerRate),
            wrapping: busy.filter((b) => b.wrapping).length,
            meanTalkMs: Math.round(means.talkMs),
            meanWrapMs: Math.round(means.wrapMs),
            meanRingMs: Math.round(meanRing),
            windows: { '24 hours': input.windows[0], '30 days': input.windows[1] },
            cap: input.cap,
            agents: input.agents,
            maxLinesPerAgent: input.maxLinesPerAgent,
          },
          decision: {
            dial: decision.dial,
            mode: decision.mode,
            expectedAnswers: round(decision.expectedAnswers),
            expectedAbandons: round(decision.expectedAbandons),
            allowance: round(decision.allowance),
          },
          placed,
        }),
      ]);
    } finally {
      c.placing = false;
    }
  }

  /** Up to `n` calls: each the next lead's first number that may be called now. */
  private async placeCalls(c: Paced, n: number): Promise<number> {
    const { selector, clock } = this.deps;
    let placed = 0;
    for (let tried = 0; placed < n && tried < MAX_LEADS_TRIED; tried++) {
      const now = clock.now();
      const leadId = await selector.next(c.id, c.id, c.rules, now);
      if (!leadId) break;
      if (await this.dialLead(c, leadId, now)) placed++;
    }
    return placed;
  }

  /** Dials the lead's first number the rules allow now; false (the lead let go) if none. */
  private async dialLead(c: Paced, leadId: string, now: Date): Promise<boolean> {
    const { db, selector } = this.deps;
    const lead = await db.selectFrom('leads').selectAll().where('id', '=', leadId).executeTakeFirstOrThrow();
    const numbers = await db
      .selectFrom('lead_numbers')
      .selectAll()
      .where('lead_id', '=', leadId)
      .orderBy('position')
      .execute();
    for (const number of numbers) {
      let callId = '';
      const refusal = await claimNumber(db, {
        workspaceId: c.workspaceId,
        lead,
        number,
        rules: c.rules,
        now,
        dialler: true,
        record: async (tx) => {
          const row = await tx
            .insertInto('dialler_calls')
            .values({
              workspace_id: c.workspaceId,
              campaign_id: c.id,
              lead_id: leadId,
              lead_number_id: number.id,
              number: number.number,
              dialled_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          callId = row.id;
        },
      });
      if (refusal) continue;
      const dial: PredictiveDial = {
        workspaceId: c.workspaceId,
        campaignId: c.id,
        leadId,
        leadNumberId: number.id,
        number: number.number,
        label: leadLabel(lead.fields, number.number),
        callerId: c.callerId,
        ringMs: c.ringMs,
        graceMs: GRACE_MS,
        infoMessage: c.info,
      };
      c.ringing.set(callId, now.getTime());
      c.today.dialled++;
      const outcome = this.deps.calls
        .place({ ...dial, onAnswer: (at) => this.answered(c, callId, now, at) })
        .catch((err): PredictiveOutcome => {
          this.deps.log.error({ err, leadId }, 'a predictive call failed');
          return { kind: 'unanswered', status: 500, reason: 'the call could not be placed' };
        })
        .then((o) => this.record(c, callId, dial, now, o))
        .catch(async (err) => {
          this.deps.log.error({ err, leadId }, 'a predictive call’s outcome was not recorded');
          await selector.release([leadId]).catch(() => undefined);
        });
      this.pending.add(outcome);
      void outcome.finally(() => {
        this.pending.delete(outcome);
        if (!this.stopped) void this.tick();
      });
      return true;
    }
    // Nothing of it may be called now: its ready time says when, and it goes back.
    await refreshReady(db, [leadId], c.rules);
    await selector.release([leadId]);
    return false;
  }

  /** The call answered: it leaves the ringing ones, and the answer rate and ring time learn of it. */
  private answered(c: Paced, callId: string, dialled: Date, at: Date): void {
    c.ringing.delete(callId);
    c.rate.record(true, dialled.getTime(), at.getTime());
    c.ringSum += at.getTime() - dialled.getTime();
    c.ringCount++;
    c.today.answered++;
  }

  /** What became of a call: on its row, its number and lead, the windows, the audit log. */
  private async record(c: Paced, callId: string, d: PredictiveDial, dialled: Date, o: PredictiveOutcome) {
    const { db, clock, selector } = this.deps;
    const now = clock.now();
    c.ringing.delete(callId);
    const minutes = (m: number) => new Date(now.getTime() + m * 60_000);
    if (o.kind === 'unanswered' || o.kind === 'refused') {
      const outcome = o.kind === 'refused' ? 'refused' : unansweredOutcome(o.status);
      // Only the called line's answers (busy, no answer, unreachable, declined) say something of
      // the answer rate. Anything else is a failure of ours or the carrier's (no way out, 5xx, an
      // odd refusal): it stops the campaign a while rather than spend leads' attempts on it.
      const ours = o.kind === 'refused' ? o.code !== 'DIAL_PLAN_REFUSED' : !CALLED_LINE.has(o.status);
      if (o.kind === 'unanswered' && !ours) c.rate.record(false, dialled.getTime(), now.getTime());
      if (ours) c.pausedUntil = now.getTime() + NO_ROUTE_BACKOFF_MS;
      await db
        .updateTable('dialler_calls')
        .set({ outcome, reason: o.reason, ended_at: now })
        .where('id', '=', callId)
        .execute();
      const shown = SHOWN[outcome];
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('lead_numbers')
          .set({
            last_outcome: shown,
            // A number the dial plan forbids is never called again; the others after the retry time.
            ...(o.kind === 'refused' && o.code === 'DIAL_PLAN_REFUSED'
              ? { completed: true }
              : { next_call_at: minutes(c.rules.retryMinutes) }),
          })
          .where('id', '=', d.leadNumberId)
          .execute();
        await tx.updateTable('leads').set({ last_outcome: shown }).where('id', '=', d.leadId).execute();
        await refreshReady(tx, [d.leadId], c.rules);
      });
      await selector.release([d.leadId]);
      return;
    }
    if (o.kind === 'connected') {
      c.day.add(o.answeredAt.getTime(), false);
      c.month.add(o.answeredAt.getTime(), false);
      c.today.connected++;
      this.connected.set(o.entryId, { campaignId: c.id, atMs: o.connectedAt.getTime() });
      await db
        .updateTable('dialler_calls')
        .set({
          outcome: 'connected',
          answered_at: o.answeredAt,
          connected_at: o.connectedAt,
          agent_id: o.userId || null,
          entry_id: o.entryId,
          waited_ms: o.connectedAt.getTime() - o.answeredAt.getTime(),
        })
        .where('id', '=', callId)
        .execute();
      // The agent has the lead now: their wrap lets it go (and their sign-out, if it comes first).
      if (o.userId)
        await db.updateTable('leads').set({ reserved_by: o.userId }).where('id', '=', d.leadId).execute();
      return;
    }
    c.day.add(o.answeredAt.getTime(), true);
    c.month.add(o.answeredAt.getTime(), true);
    c.today.abandoned++;
    const lockedUntil = new Date(now.getTime() + c.settings.lockoutHours * 3_600_000);
    // The call's row, the number's lockout, the lead let go and the audit entry in one
    // transaction: the report and the lockout never disagree.
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('dialler_calls')
        .set({
          outcome: 'abandoned',
          answered_at: o.answeredAt,
          ended_at: now,
          entry_id: o.entryId,
          waited_ms: o.waitedMs,
          message_played: o.messagePlayed,
          reason: o.hungUp
            ? 'the person answering hung up before an agent was free'
            : 'no agent was free within 2 s',
        })
        .where('id', '=', callId)
        .execute();
      await tx
        .updateTable('lead_numbers')
        .set({ last_outcome: 'Abandoned', dialler_locked_until: lockedUntil })
        .where('id', '=', d.leadNumberId)
        .execute();
      await tx
        .updateTable('leads')
        .set({ last_outcome: 'Abandoned', reserved_by: null, reserved_at: null })
        .where('id', '=', d.leadId)
        .execute();
      await refreshReady(tx, [d.leadId], c.rules);
      await audit(tx, [
        this.entry(c, 'abandon', {
          callId,
          number: d.number,
          leadId: d.leadId,
          dialledAt: dialled.toISOString(),
          answeredAt: o.answeredAt.toISOString(),
          waitedMs: o.waitedMs,
          messagePlayed: o.messagePlayed,
          hungUp: o.hungUp,
          lockedUntil: lockedUntil.toISOString(),
          windows: { '24 hours': c.day.counts(), '30 days': c.month.counts() },
        }),
      ]);
    });
  }

  /** A connected call's conversation ended: its row gets the time, the campaign a talk time. */
  private ended(entryId: string): void {
    const known = this.connected.get(entryId);
    if (!known) return;
    const now = this.deps.clock.now().getTime();
    known.endedAtMs = now;
    const c = this.campaigns.get(known.campaignId);
    if (c) {
      c.talkSum += now - known.atMs;
      c.talkCount++;
    }
    void this.deps.db
      .updateTable('dialler_calls')
      .set({ ended_at: this.deps.clock.now() })
      .where('entry_id', '=', entryId)
      .where('ended_at', 'is', null)
      .execute()
      .catch((err) => this.deps.log.warn({ err, entryId }, 'a predictive call’s end was not recorded'));
  }

  /** An agent wrapped a predictive call: the time from its end is a wrap-up time. */
  private wrapped(entryId: string): void {
    const known = this.connected.get(entryId);
    if (!known) return;
    this.connected.delete(entryId);
    const c = this.campaigns.get(known.campaignId);
    if (!c || known.endedAtMs === undefined) return;
    c.wrapSum += this.deps.clock.now().getTime() - known.endedAtMs;
    c.wrapCount++;
  }

  /**
   * A campaign's state: its settings (read again every minute and after a change), and, the first
   * time, its windows and today's measures from `dialler_calls`.
   */
  private async campaign(id: string): Promise<Paced | undefined> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const known = this.campaigns.get(id);
    if (known && now.getTime() - known.loadedAt < 60_000 && known.today.date === day(now)) return known;
    const row = await db
      .selectFrom('campaigns')
      .select(['id', 'workspace_id', 'name', 'lead_rules', 'predictive', 'ring_seconds', 'caller_id', 'kind'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (row?.kind !== 'outbound_predictive') {
      this.campaigns.delete(id);
      return undefined;
    }
    const settings = predictiveSettings(row.predictive);
    const info = await this.infoMessage(id, settings);
    if (known) {
      Object.assign(known, {
        name: row.name,
        rules: leadRules(row.lead_rules),
        settings,
        ringMs: row.ring_seconds * 1000,
        callerId: row.caller_id,
        info,
        loadedAt: now.getTime(),
      });
      if (known.today.date !== day(now))
        known.today = { date: day(now), dialled: 0, answered: 0, connected: 0, abandoned: 0 };
      return known;
    }
    const c: Paced = {
      id,
      workspaceId: row.workspace_id,
      name: row.name,
      rules: leadRules(row.lead_rules),
      settings,
      ringMs: row.ring_seconds * 1000,
      callerId: row.caller_id,
      info,
      rate: new AnswerRate(),
      ringSum: 0,
      ringCount: 0,
      talkSum: 0,
      talkCount: 0,
      wrapSum: 0,
      wrapCount: 0,
      day: new RollingCounts(DAY_MS),
      month: new RollingCounts(THIRTY_DAYS_MS),
      ringing: new Map(),
      today: { date: day(now), dialled: 0, answered: 0, connected: 0, abandoned: 0 },
      mode: 'idle',
      agents: 0,
      freeAgents: 0,
      pausedUntil: 0,
      placing: false,
      nothingToCall: false,
      loadedAt: now.getTime(),
    };
    const answered = await db
      .selectFrom('dialler_calls')
      .select(['answered_at', 'outcome'])
      .where('campaign_id', '=', id)
      .where('answered_at', '>', new Date(now.getTime() - THIRTY_DAYS_MS))
      .orderBy('answered_at')
      .execute();
    for (const a of answered) {
      const at = (a.answered_at as Date).getTime();
      c.day.add(at, a.outcome === 'abandoned');
      c.month.add(at, a.outcome === 'abandoned');
    }
    const today = await db
      .selectFrom('dialler_calls')
      .select(['dialled_at', 'answered_at', 'connected_at', 'ended_at', 'outcome'])
      .where('campaign_id', '=', id)
      .where('dialled_at', '>=', new Date(`${day(now)}T00:00:00Z`))
      .where('outcome', '!=', 'ringing')
      .orderBy('dialled_at')
      .execute();
    for (const t of today) {
      c.today.dialled++;
      if (t.outcome === 'refused') continue;
      c.rate.record(t.answered_at !== null);
      if (t.answered_at) {
        c.today.answered++;
        c.ringSum += t.answered_at.getTime() - t.dialled_at.getTime();
        c.ringCount++;
      }
      if (t.outcome === 'connected') c.today.connected++;
      // Talk times survive a restart; wrap-up times are not stored, so they start again from the prior.
      if (t.connected_at && t.ended_at) {
        c.talkSum += t.ended_at.getTime() - t.connected_at.getTime();
        c.talkCount++;
      }
      if (t.outcome === 'abandoned') c.today.abandoned++;
    }
    this.campaigns.set(id, c);
    return c;
  }

  /** The campaign's own recorded message if it chose one, else the stock one. */
  private async infoMessage(
    campaignId: string,
    s: PredictiveSettings,
  ): Promise<PredictiveDial['infoMessage']> {
    if (s.infoMessageId) {
      const own = await this.deps.db
        .selectFrom('announcements')
        .select(['path', 'duration_ms'])
        .where('id', '=', s.infoMessageId)
        .where('campaign_id', '=', campaignId)
        .executeTakeFirst();
      if (own) return { source: { kind: 'file', path: own.path }, durationMs: own.duration_ms };
    }
    const file = path.join(soundsDir(), `${STOCK_MESSAGE}.wav`);
    // 8 kHz, 16-bit mono: 16,000 bytes a second after the 44-byte header.
    const durationMs = Math.round(((statSync(file).size - 44) / 16_000) * 1000);
    return { source: { kind: 'file', path: file }, durationMs };
  }

  private figures(c: Paced): DiallerCampaignStats {
    const now = this.deps.clock.now().getTime();
    c.day.advance(now);
    c.month.advance(now);
    const window = (name: '24 hours' | '30 days', w: RollingCounts) => {
      const { answered, abandoned } = w.counts();
      const live = answered + abandoned;
      return { name, answered: live, abandoned, rate: live ? abandoned / live : 0 };
    };
    const { free, busy } = this.deps.acd.campaignAgents(c.id);
    const agents = free.length + busy.length;
    return {
      campaignId: c.id,
      name: c.name,
      agents,
      freeAgents: free.length,
      inFlight: c.ringing.size,
      dialLevel: agents ? round(c.ringing.size / agents) : 0,
      answerRate: round(c.rate.estimate),
      mode: c.mode,
      cap: c.settings.abandonCap,
      windows: [window('24 hours', c.day), window('30 days', c.month)],
      today: {
        dialled: c.today.dialled,
        answered: c.today.answered,
        connected: c.today.connected,
        abandoned: c.today.abandoned,
      },
      updatedAt: new Date(now).toISOString(),
    };
  }

  private entry(c: Paced, kind: AuditEntry['kind'], detail: Record<string, unknown>): AuditEntry {
    return {
      workspaceId: c.workspaceId,
      campaignId: c.id,
      campaignName: c.name,
      at: this.deps.clock.now(),
      kind,
      detail,
    };
  }
}

/** SIP statuses that are the called line's own answer, not a failure on the way to it. */
const CALLED_LINE = new Set([408, 480, 487, 486, 600, 404, 410, 484, 604, 603]);

/** A call that was not answered, by its SIP status: busy, no answer, or failed (unreachable, declined, errors). */
function unansweredOutcome(status: number): 'busy' | 'no answer' | 'failed' {
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480 || status === 487) return 'no answer';
  return 'failed';
}

/** The number's and the lead's Last Outcome after a call that reached nobody. */
const SHOWN = {
  busy: 'Busy',
  'no answer': 'No Answer',
  failed: 'Failed',
  refused: 'Refused by the dial plan',
};

const day = (d: Date) => d.toISOString().slice(0, 10);
const round = (x: number) => Math.round(x * 10_000) / 10_000;
