import {
  type AgentState,
  AUTO_PAUSE,
  type CampaignKind,
  type ContactKind,
  type DialCampaign,
  type DialProgress,
  type EnqueueContactBody,
  type QueueEntry,
  type QueueSummary,
  type StatusChoice,
  type VoiceState,
  type WaitingChat,
} from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import { assertCampaignWrapCode } from '../catalog/wrap-codes.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { QueueEntryRow } from '../db/schema.js';
import type { DomainEvent, EndedBy, EventBus } from '../events.js';
import { AppError, notFound } from '../http/app-error.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { compareContacts } from '../routing/contact-queue.js';
import type { CallDetails, QueueRepository } from '../routing/queue.repository.js';
import { Router } from '../routing/router.js';
import type { RoutableContact } from '../routing/router-types.js';
import {
  AgentStateMachine,
  type InteractionPatch,
  type MachineEvent,
  UNAVAILABLE,
} from './agent-state.machine.js';
import { type AgentsRepository, parseNextStatus, type RoutingProfile } from './agents.repository.js';

/** A call transferred to one agent by name (Transfer > Agent). */
export interface DirectedOffer {
  workspaceId: string;
  campaignId: string;
  label: string;
  call?: CallDetails;
  /** The transferring agent's display name, shown on the receiving toolbar. */
  transferredBy: string;
  transferredFromEntryId?: string;
  /** What the transferring agent wrote for the receiving one (the Transfer Notes). */
  transferNotes?: string;
  /** An Agent Call: a colleague calls this agent (the card shows the caller's name, not a transfer). */
  callType?: 'agent';
}

/** A call an agent places: a Manual Call under one of their campaigns, or an Agent Call. */
export interface PlacedCallSpec {
  workspaceId: string;
  campaignId: string;
  callType: 'manual' | 'agent';
  label: string;
  call?: CallDetails;
  dial: DialProgress;
}

export interface AcdOptions {
  disconnectGraceMs?: number;
  maxEmails?: number;
}

interface CampaignInfo {
  name: string;
  kind: CampaignKind;
  workspaceId: string;
}

interface Agent {
  machine: AgentStateMachine;
  workspaceId: string;
  /** Persisting and publishing this agent's changes, one after another. */
  chain: Promise<void>;
}

const CONTACT_KIND: Record<CampaignKind, ContactKind> = {
  inbound_voice: 'voice',
  outbound_preview: 'voice',
  outbound_predictive: 'voice',
  chat: 'chat',
  email: 'email',
};

/** The Chat Panel lists this many waiting chats at most (the count says how many more wait). */
export const WAITING_CHATS_SHOWN = 50;

/** A chat handed back to its queue waits before everything else there (a predictive call's 100 too). */
const HANDED_BACK_PRIORITY = 100;

/** An agent on a campaign with something on their toolbar (`AcdService.campaignAgents`). */
export interface CampaignAgentBusy {
  userId: string;
  /** Every interaction they hold is in wrap-up: the calls have ended. */
  wrapping: boolean;
}

/**
 * The ACD role: agent state machines, the queues and the router. Every change is persisted
 * before it is published; every offer is reserved in the database first.
 */
export class AcdService {
  private readonly agents = new Map<string, Agent>();
  private readonly profiles = new Map<string, RoutingProfile>();
  private readonly campaigns = new Map<string, CampaignInfo>();
  private readonly ringTimeouts = new Map<string, number>();
  private readonly entries = new Map<string, QueueEntryRow>();
  /** The last state published per agent: snapshots show it, so no event can be older. */
  private readonly published = new Map<string, AgentState>();
  private readonly router = new Router();
  private dispatching: Promise<void> | undefined;
  private dispatchAgain = false;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;
  private readonly maxEmails: number;
  private readonly graceMs: number;

  constructor(
    private readonly db: Db,
    private readonly repo: AgentsRepository,
    private readonly queue: QueueRepository,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
    private readonly log: FastifyBaseLogger,
    options: AcdOptions = {},
  ) {
    this.maxEmails = options.maxEmails ?? 1;
    this.graceMs = options.disconnectGraceMs ?? 30_000;
  }

  /** Rebuilds from the database: queues keep their order; agents come back paused (safe). */
  async start(): Promise<void> {
    const workspaces = await this.db.selectFrom('workspaces').select('id').execute();
    for (const w of workspaces) await this.reloadWorkspace(w.id);
    const unfinished = await this.queue.unfinished();
    // A transfer was for one agent, whom the restart paused: it ends rather than waits for another.
    const ringing = (e: QueueEntryRow) => e.state === 'waiting' || e.state === 'offered';
    for (const e of unfinished.filter((e) => ringing(e) && e.transferred_by !== null))
      await this.queue.abandon(e.id, this.clock.now(), 'system');
    const routed = unfinished.filter((e) => e.transferred_by === null);
    const offered = routed.filter((e) => e.state === 'offered');
    await this.queue.requeue(
      offered.map((e) => e.id),
      this.clock.now(),
    );
    for (const row of await this.repo.loadAll()) {
      if (row.status_kind === 'signed_out') continue;
      const held = unfinished.filter(
        (e) => e.agent_id === row.user_id && (e.state === 'busy' || e.state === 'wrapping'),
      );
      this.createAgent(row.user_id, row.workspace_id, {
        status: { kind: 'paused', reasonId: null, reasonName: UNAVAILABLE, detail: 'Server restarted' },
        since: this.clock.now(),
        voice: 'none',
        interactions: held.map((e) => this.toInteraction(e, e.state === 'busy' ? 'busy' : 'wrapping')),
        nextStatus: parseNextStatus(row.next_status),
        idleSince: row.idle_since,
      });
      await this.persist(row.user_id, true);
    }
    for (const e of routed) if (ringing(e)) this.addToQueue({ ...e, state: 'waiting', agent_id: null });
    this.unsubscribe = this.bus.subscribe((event) => {
      this.handle(event).catch((err) => this.log.error({ err, event: event.type }, 'acd event failed'));
    });
    this.scheduleDispatch();
  }

  /** Stops routing: no new dispatch starts, and what is running is awaited before returning. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const a of this.agents.values()) a.machine.close();
    await this.settled();
  }

  stateOf(userId: string): AgentState {
    return (
      this.published.get(userId) ??
      this.agents.get(userId)?.machine.state ?? {
        status: { kind: 'signed_out' },
        since: this.clock.now().toISOString(),
        voice: 'none',
        interactions: [],
        nextStatus: null,
      }
    );
  }

  /** The queues of the campaigns this user serves, with what waits in them. */
  queuesFor(userId: string): QueueSummary[] {
    const profile = this.profiles.get(userId);
    if (!profile) return [];
    return [...profile.campaignIds]
      .map((id) => {
        const c = this.campaigns.get(id);
        const stats = this.router.queueStats(id);
        return {
          campaignId: id,
          campaignName: c?.name ?? '',
          campaignKind: c?.kind ?? 'chat',
          waiting: stats.waiting,
          oldestSince:
            stats.oldestEnqueuedAt === null ? null : new Date(stats.oldestEnqueuedAt).toISOString(),
        };
      })
      .sort((a, b) => a.campaignName.localeCompare(b.campaignName));
  }

  /**
   * The chats waiting in the queues of the campaigns this agent serves: the first `limit` in
   * queue order (priority, then arrival), and how many there are. Reads the router's own queues:
   * the first few of each campaign, whatever the queue's length.
   */
  waitingChatsFor(userId: string, limit = WAITING_CHATS_SHOWN): { chats: WaitingChat[]; total: number } {
    const profile = this.profiles.get(userId);
    if (!profile) return { chats: [], total: 0 };
    let total = 0;
    const first: RoutableContact[] = [];
    for (const campaignId of profile.campaignIds) {
      const waiting = this.router.waiting(campaignId, 'chat', limit);
      total += waiting.total;
      first.push(...waiting.first);
    }
    const chats: WaitingChat[] = [];
    for (const c of first.sort(compareContacts).slice(0, limit)) {
      const e = this.entries.get(c.id);
      if (!e?.chat_id) continue;
      chats.push({
        interactionId: e.id,
        chatId: e.chat_id,
        campaignId: e.campaign_id,
        campaignName: this.campaigns.get(e.campaign_id)?.name ?? '',
        contactName: e.label,
        waitingSince: e.enqueued_at.toISOString(),
      });
    }
    return { chats, total };
  }

  /** How many chats (or emails) wait in the queues this agent serves (pushed to the toolbar as it changes). */
  waitingCount(userId: string, kind: 'chat' | 'email' = 'chat'): number {
    const profile = this.profiles.get(userId);
    let total = 0;
    for (const campaignId of profile?.campaignIds ?? [])
      total += this.router.waiting(campaignId, kind, 0).total;
    return total;
  }

  /**
   * The Chat Panel, the Email Queue icon: the agent takes a waiting chat or email of one of their
   * campaigns, Available or paused, within their limit and holding no call; it is theirs and
   * accepted at once.
   */
  async take(userId: string, entryId: string): Promise<AgentState> {
    const agent = this.agents.get(userId);
    const profile = this.profiles.get(userId);
    const entry = this.entries.get(entryId);
    const kind = entry?.kind;
    if (
      !agent ||
      !profile ||
      !entry ||
      kind === undefined ||
      kind === 'voice' ||
      !profile.campaignIds.has(entry.campaign_id)
    )
      throw notFound(kind === 'email' ? 'Waiting email' : 'Waiting chat');
    await agent.chain;
    this.assertRoomFor(agent, profile, kind);
    const now = this.clock.now();
    const taken = await this.queue.take(entryId, userId, this.capacityOf(profile), now);
    if (!taken) throw new AppError('INTERACTION_STATE', `That ${kind} is no longer waiting`);
    this.router.remove(entryId);
    entry.state = 'busy';
    entry.agent_id = userId;
    entry.accepted_at = now;
    try {
      agent.machine.take(
        {
          id: entryId,
          campaignId: entry.campaign_id,
          campaignName: this.campaigns.get(entry.campaign_id)?.name ?? '',
          label: entry.label,
        },
        kind,
      );
    } catch (err) {
      // Signed out meanwhile: the contact waits again at its place.
      await this.db
        .updateTable('queue_entries')
        .set({ state: 'waiting', agent_id: null, accepted_at: null, state_since: now })
        .where('id', '=', entryId)
        .execute();
      entry.state = 'waiting';
      entry.agent_id = null;
      this.addToQueue(entry);
      throw err;
    }
    await agent.chain;
    const base = { workspaceId: entry.workspace_id, entryId, kind, userId };
    this.bus.publish({ type: 'queues.changed', workspaceId: entry.workspace_id });
    this.bus.publish({ type: 'interaction.accepted', ...base });
    return agent.machine.state;
  }

  /**
   * The Email Queue icon: the agent takes the email that has waited longest (priority first) in
   * the queues of their email campaigns. Another agent taking it first moves on to the next.
   */
  async takeNextEmail(userId: string): Promise<AgentState> {
    const profile = this.profiles.get(userId);
    const agent = this.agents.get(userId);
    if (!profile || !agent) throw new AppError('EMAIL_QUEUE_EMPTY', 'No email is waiting');
    this.assertRoomFor(agent, profile, 'email');
    for (let tries = 0; tries < 5; tries++) {
      const first: RoutableContact[] = [];
      for (const campaignId of profile.campaignIds)
        first.push(...this.router.waiting(campaignId, 'email', 1).first);
      const next = first.sort(compareContacts)[0];
      if (!next) break;
      try {
        return await this.take(userId, next.id);
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'INTERACTION_STATE')) throw err;
      }
    }
    throw new AppError('EMAIL_QUEUE_EMPTY', 'No email is waiting');
  }

  /**
   * Send Email: a new email interaction of the agent's on one of their email campaigns, in
   * conversation from the start whatever their status, within their email limit.
   */
  async composeEmail(
    userId: string,
    spec: { workspaceId: string; campaignId: string; label: string; threadId: string },
  ): Promise<{ id: string }> {
    const agent = this.agents.get(userId);
    const profile = this.profiles.get(userId);
    const campaign = this.campaigns.get(spec.campaignId);
    if (!agent || !profile || agent.workspaceId !== spec.workspaceId) throw notFound('Agent');
    if (campaign?.kind !== 'email' || !profile.campaignIds.has(spec.campaignId))
      throw new AppError('EMAIL_SEND_DISABLED', 'That campaign is not an email campaign of your teams');
    await agent.chain;
    this.assertRoomFor(agent, profile, 'email');
    const row = await this.queue.insertOwnedEmail(
      {
        workspaceId: spec.workspaceId,
        campaignId: spec.campaignId,
        kind: 'email',
        label: spec.label,
        priority: 0,
        at: this.clock.now(),
        email: { threadId: spec.threadId, messageId: null },
      },
      userId,
      this.capacityOf(profile),
    );
    if (!row) throw new AppError('EMAIL_LIMIT_REACHED', 'Finish the email you have open first');
    try {
      agent.machine.take(
        { id: row.id, campaignId: spec.campaignId, campaignName: campaign.name, label: spec.label },
        'email',
      );
    } catch (err) {
      await this.queue.discardPlaced(row.id);
      throw err;
    }
    this.entries.set(row.id, row);
    await agent.chain;
    this.bus.publish({
      type: 'interaction.accepted',
      workspaceId: spec.workspaceId,
      entryId: row.id,
      kind: 'email',
      userId,
    });
    return { id: row.id };
  }

  /** Whether the agent may take one more chat or email now; else a stable code. */
  private assertRoomFor(agent: Agent, profile: { maxChats: number }, kind: 'chat' | 'email'): void {
    const load = agent.machine.load();
    if (load.voice > 0)
      throw new AppError(
        'CALL_IN_PROGRESS',
        `Finish your call before taking ${kind === 'chat' ? 'a chat' : 'an email'}`,
      );
    if (kind === 'chat' && load.chat >= profile.maxChats)
      throw new AppError('CHAT_LIMIT_REACHED', `You already have ${profile.maxChats} chats`);
    if (kind === 'email' && load.email >= this.maxEmails)
      throw new AppError('EMAIL_LIMIT_REACHED', 'Finish the email you have open first');
  }

  private capacityOf(profile: { maxChats: number }) {
    return { maxChats: profile.maxChats, maxEmails: this.maxEmails };
  }

  /**
   * The agent's chat in conversation goes back to its queue's head with its transcript (they
   * signed out or lost their toolbar): a new entry of the same chat; theirs ends by the system.
   */
  async handBack(userId: string, entryId: string): Promise<QueueEntryRow | undefined> {
    const agent = this.agents.get(userId);
    const row = await this.queue.handBack(entryId, userId, this.clock.now(), HANDED_BACK_PRIORITY);
    if (!row) return undefined;
    this.entries.delete(entryId);
    if (agent?.machine.state.interactions.some((i) => i.id === entryId)) agent.machine.release(entryId);
    await agent?.chain;
    const base = { workspaceId: row.workspace_id, kind: 'chat' as const, userId };
    this.bus.publish({ type: 'interaction.ended', ...base, entryId, by: 'system' });
    this.bus.publish({ type: 'interaction.wrapped', ...base, entryId, wrapCodeId: null });
    this.addToQueue(row);
    this.bus.publish({
      type: 'interaction.queued',
      workspaceId: row.workspace_id,
      entryId: row.id,
      kind: 'chat',
    });
    this.bus.publish({ type: 'queues.changed', workspaceId: row.workspace_id });
    this.scheduleDispatch();
    return row;
  }

  async setStatus(userId: string, workspaceId: string, choice: StatusChoice): Promise<AgentState> {
    const agent = this.agentFor(userId, workspaceId);
    const reasonName = await this.reasonName(workspaceId, choice);
    agent.machine.choose(choice, reasonName);
    await agent.chain;
    return agent.machine.state;
  }

  /** The campaigns an agent may record a Manual Call under: the voice campaigns of their teams. */
  dialCampaigns(userId: string): DialCampaign[] {
    const profile = this.profiles.get(userId);
    if (!profile) return [];
    return [...profile.campaignIds]
      .flatMap((id) => {
        const c = this.campaigns.get(id);
        return c && CONTACT_KIND[c.kind] === 'voice' ? [{ id, name: c.name }] : [];
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * A call the agent places: an interaction of theirs at once, in conversation from the start
   * (its card shows the dialling), never queued. From a pause, with voice connected, no other
   * call live, under a voice campaign of their teams; the database has the last word on the
   * first two (a placed call and an offer cannot cross).
   */
  async place(userId: string, spec: PlacedCallSpec): Promise<{ id: string }> {
    const { workspaceId, campaignId, label } = spec;
    const agent = this.agents.get(userId);
    const paused = new AppError('NOT_PAUSED', 'Change your status to a pause state to make a call');
    if (!agent || agent.workspaceId !== workspaceId) throw paused;
    await agent.chain;
    agent.machine.assertCanPlace();
    const campaign = this.campaigns.get(campaignId);
    if (!campaign || !this.dialCampaigns(userId).some((c) => c.id === campaignId))
      throw new AppError('CAMPAIGN_NOT_ASSIGNED', 'That campaign is not a voice campaign of your teams');
    const row = await this.queue.insertOwned(
      {
        workspaceId,
        campaignId,
        kind: 'voice',
        label,
        priority: 0,
        at: this.clock.now(),
        callType: spec.callType,
        ...(spec.call && { call: spec.call }),
      },
      userId,
      'paused',
    );
    if (!row) throw paused;
    try {
      agent.machine.place({
        id: row.id,
        callType: spec.callType,
        campaignId,
        campaignName: campaign.name,
        label,
        dial: spec.dial,
      });
    } catch (err) {
      await this.queue.discardPlaced(row.id);
      throw err;
    }
    this.entries.set(row.id, row);
    await agent.chain;
    return { id: row.id };
  }

  /**
   * A preview lead for an Available agent with voice and nothing on their toolbar: an interaction
   * of theirs at once (its numbers to dial on the information panel). Undefined when the agent
   * may not take it now (the database has the last word, as for an offer).
   */
  async present(
    userId: string,
    spec: { workspaceId: string; campaignId: string; leadId: string; label: string },
  ): Promise<{ id: string } | undefined> {
    const agent = this.agents.get(userId);
    const campaign = this.campaigns.get(spec.campaignId);
    if (!agent || !campaign || agent.workspaceId !== spec.workspaceId) return undefined;
    await agent.chain;
    if (!agent.machine.canOffer('voice') || agent.machine.state.interactions.length > 0) return undefined;
    const row = await this.queue.insertOwned(
      {
        workspaceId: spec.workspaceId,
        campaignId: spec.campaignId,
        kind: 'voice',
        label: spec.label,
        priority: 0,
        at: this.clock.now(),
        callType: 'preview',
        leadId: spec.leadId,
      },
      userId,
      'available',
    );
    if (!row) return undefined;
    if (!agent.machine.presentLead({ ...spec, id: row.id, campaignName: campaign.name })) {
      await this.queue.discardPlaced(row.id);
      return undefined;
    }
    this.entries.set(row.id, row);
    await agent.chain;
    return { id: row.id };
  }

  /** Convert to Outbound: the agent's interaction moves to a lead's outbound campaign. */
  async convert(
    userId: string,
    entryId: string,
    to: { campaignId: string; campaignName: string; leadId: string },
  ): Promise<void> {
    const agent = this.agents.get(userId);
    if (!agent) throw notFound('Interaction');
    agent.machine.convert(entryId, to);
    const entry = this.entries.get(entryId);
    if (entry) entry.campaign_id = to.campaignId;
    await agent.chain;
  }

  /** The agents who are Available with voice and nothing on their toolbar (a lead may go to them). */
  idleAgents(): string[] {
    return [...this.agents].flatMap(([id, a]) =>
      a.machine.canOffer('voice') && a.machine.state.interactions.length === 0 ? [id] : [],
    );
  }

  /**
   * The agents of a campaign's teams who are Available: free ones (voice connected, nothing on
   * their toolbar: a call would go straight to them) and busy ones, talking or wrapping up.
   * Paused and signed-out agents are not counted.
   */
  campaignAgents(campaignId: string): { free: string[]; busy: CampaignAgentBusy[] } {
    const free: string[] = [];
    const busy: CampaignAgentBusy[] = [];
    for (const [id, agent] of this.agents) {
      const m = agent.machine;
      if (m.state.status.kind !== 'available' || !this.profiles.get(id)?.campaignIds.has(campaignId))
        continue;
      if (m.state.interactions.length === 0) {
        if (m.canOffer('voice')) free.push(id);
        continue;
      }
      busy.push({ userId: id, wrapping: m.state.interactions.every((i) => i.state === 'wrapping') });
    }
    return { free, busy };
  }

  /** The campaigns of the agent's teams of one kind (the preview campaigns a lead may come from). */
  campaignsOf(userId: string, kind: CampaignKind): { id: string; workspaceId: string }[] {
    const profile = this.profiles.get(userId);
    if (!profile) return [];
    return [...profile.campaignIds].flatMap((id) => {
      const c = this.campaigns.get(id);
      return c?.kind === kind ? [{ id, workspaceId: c.workspaceId }] : [];
    });
  }

  /** The voice connection as the media and SIP roles see it (B4 input). */
  async setVoice(userId: string, workspaceId: string, voice: VoiceState): Promise<void> {
    const agent = this.agentFor(userId, workspaceId);
    agent.machine.setVoice(voice);
    await agent.chain;
  }

  async accept(userId: string, entryId: string): Promise<AgentState> {
    return this.step(userId, entryId, 'offered', 'busy', (m) => m.accept(entryId));
  }

  async end(userId: string, entryId: string, by: EndedBy = 'agent'): Promise<AgentState> {
    return this.step(userId, entryId, 'busy', 'wrapping', (m) => m.end(entryId), { endedBy: by });
  }

  /**
   * The customer's side ended (caller hung up, chat left): waiting or ringing, the contact is
   * abandoned; in conversation, the agent goes to wrap-up.
   */
  async customerLeft(entryId: string, by: EndedBy = 'customer'): Promise<void> {
    const current = await this.queue.get(entryId);
    if (!current) return;
    if (current.state === 'busy' && current.agent_id) {
      await this.end(current.agent_id, entryId, by);
      return;
    }
    const abandoned = await this.queue.abandon(entryId, this.clock.now(), by);
    if (!abandoned) return;
    this.router.remove(entryId);
    this.entries.delete(entryId);
    const agent = current?.agent_id ? this.agents.get(current.agent_id) : undefined;
    agent?.machine.withdraw(entryId);
    this.bus.publish({ type: 'queues.changed', workspaceId: abandoned.workspace_id });
    this.bus.publish({
      type: 'interaction.abandoned',
      workspaceId: abandoned.workspace_id,
      entryId,
      kind: abandoned.kind,
      by,
      ...(current?.agent_id && { userId: current.agent_id }),
    });
    await agent?.chain;
  }

  /**
   * Call facts shown on the agent's interaction: held, recording, the second line (consult or
   * conference) and the announcement playing; null removes the last two.
   */
  async annotate(userId: string, entryId: string, patch: InteractionPatch) {
    const agent = this.agents.get(userId);
    if (!agent) return;
    agent.machine.annotate(entryId, patch);
    await agent.chain;
  }

  async wrap(userId: string, entryId: string, chosen: string | undefined): Promise<AgentState> {
    const entry = await this.queue.get(entryId);
    // Without a code in the request, the Outcome the agent chose beforehand (information panel).
    const wrapCodeId = chosen ?? entry?.chosen_wrap_code_id ?? undefined;
    if (!wrapCodeId && entry) {
      const codes = await this.db
        .selectFrom('wrap_codes')
        .select('id')
        .where('campaign_id', '=', entry.campaign_id)
        .limit(1)
        .execute();
      if (codes.length > 0) throw new AppError('OUTCOME_REQUIRED', 'Choose an Outcome before wrapping');
    }
    if (wrapCodeId && entry) await assertCampaignWrapCode(this.db, entry.campaign_id, wrapCodeId);
    const agent = this.agents.get(userId);
    const workspaceId = agent?.workspaceId ?? '';
    const names = new Map<string, string>();
    const next = agent?.machine.state.nextStatus;
    if (next?.kind === 'paused')
      names.set(next.reasonId, (await this.reasonName(workspaceId, next)) ?? 'Paused');
    return this.step(
      userId,
      entryId,
      'wrapping',
      'done',
      (m) => m.wrap(entryId, (c) => (c.kind === 'paused' ? names.get(c.reasonId) : undefined)),
      { ...(wrapCodeId !== undefined && { wrapCodeId }) },
    );
  }

  async enqueue(
    workspaceId: string,
    body: EnqueueContactBody,
    call?: CallDetails,
    extra: {
      predictive?: { leadId: string; leadNumberId: string | null };
      chatId?: string;
      email?: { threadId: string; messageId: string | null };
    } = {},
  ): Promise<QueueEntry> {
    const { predictive, chatId, email } = extra;
    const campaign = this.campaigns.get(body.campaignId);
    if (!campaign || campaign.workspaceId !== workspaceId) throw notFound('Campaign');
    const row = await this.queue.insert({
      workspaceId,
      campaignId: body.campaignId,
      kind: CONTACT_KIND[campaign.kind],
      label: body.label,
      priority: body.priority ?? 0,
      at: this.clock.now(),
      ...(call && { call }),
      ...(predictive && { callType: 'predictive', lead: predictive }),
      ...(chatId && { chatId }),
      ...(email && { email }),
    });
    this.addToQueue(row);
    this.bus.publish({ type: 'interaction.queued', workspaceId, entryId: row.id, kind: row.kind });
    this.bus.publish({ type: 'queues.changed', workspaceId });
    this.scheduleDispatch();
    return {
      id: row.id,
      campaignId: row.campaign_id,
      kind: row.kind,
      label: row.label,
      priority: row.priority,
      enqueuedAt: row.enqueued_at.toISOString(),
      state: row.state,
    };
  }

  /**
   * A call transferred to one agent by name: a queue entry of its own, reserved for that agent
   * as a routed offer is (their stored status, voice and load) and offered to them only; it never
   * waits in a queue. Withdrawn (ring timeout, the agent paused), it is abandoned by the system:
   * call control takes the customer back on `interaction.withdrawn`.
   */
  async offerTo(toUserId: string, offer: DirectedOffer): Promise<{ id: string }> {
    const { workspaceId, campaignId, label } = offer;
    const campaign = this.campaigns.get(campaignId);
    if (!campaign || campaign.workspaceId !== workspaceId) throw notFound('Campaign');
    const profile = this.profiles.get(toUserId);
    if (!profile || profile.workspaceId !== workspaceId) throw notFound('Agent');
    const unavailable = new AppError('AGENT_UNAVAILABLE', `${profile.name} is not available`);
    const kind = CONTACT_KIND[campaign.kind];
    const agent = this.agents.get(toUserId);
    if (!agent) throw unavailable;
    await agent.chain; // the reservation reads the agent's stored state: let it catch up
    if (!agent.machine.canOffer(kind)) throw unavailable;
    const ringMs = (this.ringTimeouts.get(workspaceId) ?? 20) * 1000;
    const now = this.clock.now();
    const transfer = {
      by: offer.transferredBy,
      ...(offer.transferredFromEntryId !== undefined && { fromEntryId: offer.transferredFromEntryId }),
      ...(offer.transferNotes !== undefined && { notes: offer.transferNotes }),
    };
    const row = await this.queue.insertReserved(
      {
        workspaceId,
        campaignId,
        kind,
        label,
        priority: 0,
        at: now,
        transfer,
        ...(offer.call && { call: offer.call }),
        ...(offer.callType && { callType: offer.callType }),
      },
      toUserId,
      { maxChats: profile.maxChats, maxEmails: this.maxEmails },
      new Date(now.getTime() + ringMs),
    );
    if (!row) throw unavailable;
    this.entries.set(row.id, row);
    const offered = agent.machine.offer({
      id: row.id,
      kind,
      campaignId,
      campaignName: campaign.name,
      label,
      ringTimeoutMs: ringMs,
      ...(offer.callType ? { callType: offer.callType } : { transferredBy: offer.transferredBy }),
    });
    if (!offered) {
      this.entries.delete(row.id);
      await this.queue.discardTransfer(row.id);
      throw unavailable;
    }
    this.bus.publish({ type: 'interaction.queued', workspaceId, entryId: row.id, kind });
    this.bus.publish({ type: 'interaction.offered', workspaceId, entryId: row.id, kind, userId: toUserId });
    return { id: row.id };
  }

  /**
   * Who a call may be transferred to now: the workspace's other agents who are Available with
   * voice connected and hold nothing else (a voice offer needs the agent free), by name.
   */
  transferTargets(workspaceId: string, exceptUserId: string): { id: string; name: string }[] {
    const targets: { id: string; name: string }[] = [];
    for (const [id, agent] of this.agents) {
      const profile = this.profiles.get(id);
      const m = agent.machine;
      if (id === exceptUserId || !profile || profile.workspaceId !== workspaceId) continue;
      if (m.canOffer('voice') && m.state.interactions.length === 0) targets.push({ id, name: profile.name });
    }
    return targets.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Resolves when every dispatch started so far has finished (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.dispatching) await this.dispatching;
    await Promise.all([...this.agents.values()].map((a) => a.chain));
  }

  private async step(
    userId: string,
    entryId: string,
    from: 'offered' | 'busy' | 'wrapping',
    to: 'busy' | 'wrapping' | 'done',
    change: (m: AgentStateMachine) => void,
    extra: { wrapCodeId?: string; endedBy?: EndedBy } = {},
  ): Promise<AgentState> {
    const agent = this.agents.get(userId);
    if (!agent) throw notFound('Interaction');
    const kind = agent.machine.state.interactions.find((i) => i.id === entryId)?.kind;
    change(agent.machine); // validates the step against the agent's own state first
    const moved = await this.queue.advance(entryId, userId, from, to, this.clock.now(), extra);
    if (!moved) this.log.warn({ entryId, from, to }, 'queue entry was not in the expected state');
    const entry = this.entries.get(entryId);
    if (entry) entry.state = to === 'done' ? 'done' : to;
    if (to === 'done') this.entries.delete(entryId);
    await agent.chain;
    if (moved && kind) {
      const base = { workspaceId: agent.workspaceId, entryId, kind, userId };
      if (to === 'busy') this.bus.publish({ type: 'interaction.accepted', ...base });
      if (to === 'wrapping')
        this.bus.publish({ type: 'interaction.ended', ...base, by: extra.endedBy ?? 'agent' });
      if (to === 'done')
        this.bus.publish({ type: 'interaction.wrapped', ...base, wrapCodeId: extra.wrapCodeId ?? null });
    }
    // The finished contact leaves the agent's stored load only now; a dispatch that ran on the
    // agent's new status before this write was refused by the database and must run again.
    if (to === 'done') this.scheduleDispatch();
    return agent.machine.state;
  }

  private agentFor(userId: string, workspaceId: string): Agent {
    const agent = this.agents.get(userId);
    if (agent) return agent;
    const created = this.createAgent(userId, workspaceId, {});
    return created;
  }

  private createAgent(
    userId: string,
    workspaceId: string,
    init: ConstructorParameters<typeof AgentStateMachine>[1],
  ) {
    const machine = new AgentStateMachine(this.clock, init, this.graceMs);
    const agent: Agent = { machine, workspaceId, chain: Promise.resolve() };
    this.agents.set(userId, agent);
    machine.onEvent((e) => this.onMachineEvent(userId, agent, e));
    return agent;
  }

  private onMachineEvent(userId: string, agent: Agent, e: MachineEvent): void {
    if (e.type === 'offersWithdrawn') {
      for (const entryId of e.interactionIds) {
        const kind = this.entries.get(entryId)?.kind;
        if (kind)
          this.bus.publish({
            type: 'interaction.withdrawn',
            workspaceId: agent.workspaceId,
            entryId,
            kind,
            userId,
          });
      }
    }
    const work =
      e.type === 'changed'
        ? () => this.afterChange(userId, agent, e)
        : () => this.takeBack(e.interactionIds, agent.workspaceId, userId);
    agent.chain = agent.chain
      .then(work)
      .catch((err) => this.log.error({ err, userId }, 'agent change failed'));
  }

  /** Persist, then publish, then route. */
  private async afterChange(
    userId: string,
    agent: Agent,
    { state, statusChanged, timeStateChanged }: Extract<MachineEvent, { type: 'changed' }>,
  ) {
    await this.repo.save(userId, agent.workspaceId, state, agent.machine.idleSince, timeStateChanged);
    this.published.set(userId, state);
    this.bus.publish({ type: 'agent.stateChanged', userId, workspaceId: agent.workspaceId, agent: state });
    const s = state.status;
    if (statusChanged && s.kind === 'paused' && s.reasonName === AUTO_PAUSE) {
      await this.notifications.notify(
        userId,
        'warning',
        `Auto Pause: ${s.detail ?? 'no answer'}. Choose Available when you are ready.`,
      );
    }
    this.syncAgent(userId);
    this.scheduleDispatch();
  }

  private async persist(userId: string, timeStateChanged: boolean): Promise<void> {
    const agent = this.agents.get(userId);
    if (!agent) return;
    await this.repo.save(
      userId,
      agent.workspaceId,
      agent.machine.state,
      agent.machine.idleSince,
      timeStateChanged,
    );
  }

  /** Offers taken back: a transfer, for this agent only, is abandoned; the others wait again. */
  private async takeBack(ids: string[], workspaceId: string, userId: string): Promise<void> {
    const isTransfer = (id: string) => (this.entries.get(id)?.transferred_by ?? null) !== null;
    const routed = ids.filter((id) => !isTransfer(id));
    if (routed.length) await this.putBack(routed, workspaceId);
    for (const id of ids.filter(isTransfer)) {
      this.entries.delete(id);
      const abandoned = await this.queue.abandon(id, this.clock.now(), 'system');
      if (abandoned)
        this.bus.publish({
          type: 'interaction.abandoned',
          workspaceId,
          entryId: id,
          kind: abandoned.kind,
          by: 'system',
          userId,
        });
    }
  }

  /** Offers taken back go to the queue again, at their original place. */
  private async putBack(ids: string[], workspaceId: string): Promise<void> {
    const rows = await this.queue.requeue(ids, this.clock.now());
    for (const row of rows) this.addToQueue(row);
    this.bus.publish({ type: 'queues.changed', workspaceId });
    this.scheduleDispatch();
  }

  private addToQueue(row: QueueEntryRow): void {
    this.entries.set(row.id, row);
    this.router.enqueue({
      id: row.id,
      campaignId: row.campaign_id,
      kind: row.kind,
      priority: row.priority,
      enqueuedAt: row.enqueued_at.getTime(),
      seq: Number(row.seq),
    });
  }

  private syncAgent(userId: string): void {
    const agent = this.agents.get(userId);
    const profile = this.profiles.get(userId);
    if (!agent || !profile) {
      this.router.removeAgent(userId);
      return;
    }
    const m = agent.machine;
    this.router.upsertAgent({
      id: userId,
      campaignIds: profile.campaignIds,
      available: m.isAvailable,
      voiceReady: m.state.voice === 'connected',
      load: m.load(),
      maxChats: profile.maxChats,
      maxEmails: this.maxEmails,
      idleSince: m.idleSince.getTime(),
    });
  }

  private scheduleDispatch(): void {
    if (this.stopped) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = this.dispatch()
      .catch((err) => this.log.error({ err }, 'dispatch failed'))
      .finally(() => {
        this.dispatching = undefined;
      });
  }

  private async dispatch(): Promise<void> {
    do {
      this.dispatchAgain = false;
      for (const { contactId, agentId } of this.router.plan()) await this.offer(contactId, agentId);
    } while (this.dispatchAgain);
  }

  private async offer(contactId: string, agentId: string): Promise<void> {
    const entry = this.entries.get(contactId);
    const agent = this.agents.get(agentId);
    const profile = this.profiles.get(agentId);
    if (!entry || !agent || !profile || !this.router.has(contactId)) return;
    const ringMs = (this.ringTimeouts.get(entry.workspace_id) ?? 20) * 1000;
    const now = this.clock.now();
    const reserved = await this.queue.reserve(
      contactId,
      agentId,
      { maxChats: profile.maxChats, maxEmails: this.maxEmails },
      now,
      new Date(now.getTime() + ringMs),
    );
    if (!reserved) {
      // Another router took the contact, or the agent's stored state disagrees: re-read.
      const row = await this.queue.get(contactId);
      if (row?.state !== 'waiting') this.router.remove(contactId);
      return;
    }
    this.router.remove(contactId);
    this.bus.publish({ type: 'queues.changed', workspaceId: entry.workspace_id });
    const offered = agent.machine.offer({
      id: contactId,
      kind: entry.kind,
      campaignId: entry.campaign_id,
      campaignName: this.campaigns.get(entry.campaign_id)?.name ?? '',
      label: entry.label,
      ringTimeoutMs: ringMs,
      ...(entry.call_type === 'predictive' && { callType: 'predictive' as const }),
      ...(entry.lead_id && { leadId: entry.lead_id }),
    });
    if (!offered) {
      await this.putBack([contactId], entry.workspace_id);
      return;
    }
    entry.state = 'offered';
    entry.agent_id = agentId;
    this.bus.publish({
      type: 'interaction.offered',
      workspaceId: entry.workspace_id,
      entryId: contactId,
      kind: entry.kind,
      userId: agentId,
    });
  }

  private toInteraction(e: QueueEntryRow, state: 'busy' | 'wrapping') {
    return {
      id: e.id,
      kind: e.kind,
      state,
      campaignId: e.campaign_id,
      campaignName: this.campaigns.get(e.campaign_id)?.name ?? '',
      label: e.label,
      since: e.state_since.toISOString(),
      ...(e.transferred_by !== null && { transferredBy: e.transferred_by }),
    };
  }

  private async reasonName(workspaceId: string, choice: StatusChoice): Promise<string | undefined> {
    if (choice.kind !== 'paused') return undefined;
    const name = await this.repo.pauseReasonName(workspaceId, choice.reasonId);
    if (!name) throw new AppError('VALIDATION_FAILED', 'Unknown pause reason');
    return name;
  }

  private async reloadWorkspace(workspaceId: string): Promise<void> {
    const ws = await this.db
      .selectFrom('workspaces')
      .select('agent_ring_timeout_seconds')
      .where('id', '=', workspaceId)
      .executeTakeFirst();
    if (ws) this.ringTimeouts.set(workspaceId, ws.agent_ring_timeout_seconds);
    const campaigns = await this.db
      .selectFrom('campaigns')
      .select(['id', 'name', 'kind'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    for (const c of campaigns) this.campaigns.set(c.id, { name: c.name, kind: c.kind, workspaceId });
    for (const p of await this.repo.routingProfiles(workspaceId)) {
      this.profiles.set(p.userId, p);
      this.syncAgent(p.userId);
    }
  }

  private async handle(event: DomainEvent): Promise<void> {
    switch (event.type) {
      case 'toolbar.connected':
        this.agentFor(event.userId, event.workspaceId).machine.toolbarConnected();
        return;
      case 'toolbar.disconnected':
        this.agents.get(event.userId)?.machine.toolbarDisconnected();
        return;
      case 'sessions.revoked': {
        const left = await this.db
          .selectFrom('sessions')
          .select('token_hash')
          .where('user_id', '=', event.userId)
          .where('expires_at', '>', this.clock.now())
          .executeTakeFirst();
        if (!left) this.agents.get(event.userId)?.machine.signOut();
        return;
      }
      case 'directory.changed':
      case 'workspace.settingsChanged':
        await this.reloadWorkspace(event.workspaceId);
        this.bus.publish({ type: 'queues.changed', workspaceId: event.workspaceId });
        this.scheduleDispatch();
        return;
      default:
        return;
    }
  }
}
