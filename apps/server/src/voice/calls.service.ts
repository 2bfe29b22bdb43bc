import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EndedBy, EventBus, InteractionEvent } from '../events.js';
import { AppError } from '../http/app-error.js';
import type { MediaPool } from '../media/worker/media-pool.js';
import type { MediaWorker } from '../media/worker/media-worker-client.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { Call, type Caller, startHoldMusic } from './call/call.js';
import { publishOnCall } from './call/call-events.js';
import { CallRegistry } from './call/call-registry.js';
import { CallAnnouncements } from './call-announcements.js';
import { CallRecordings } from './call-recordings.js';
import { CallSupervision } from './call-supervision.js';
import { CallTransfers, TRANSFER_RING_MS } from './call-transfers.js';
import { type Arrival, IvrCalls } from './ivr-calls.js';
import type { Outbound } from './outbound.js';
import { PlacedCalls } from './placed-calls.js';
import type { Playback } from './playback.js';
import { PredictiveCalls } from './predictive-calls.js';
import type { AgentMedia, CallAnswering, WebConnectService } from './web-connect.service.js';

/** Agents' own calls to a dial-in number: identified by ID and PIN, then their voice path (B1). */
export interface CallIn {
  start(
    caller: Caller,
    workspaceId: string,
    leg: { worker: MediaWorker; endpointId: string },
    from: string,
  ): void;
  digit(endpointId: string, digit: string): void;
  /** The phone hung up; true if it was an agent's call-in leg. */
  hungUp(endpointId: string): boolean;
}

export type { Caller } from './call/call.js';

/** Agents' phones the platform called (B2): their hang-up ends the agent's voice path. */
export interface CallMeHangUps {
  hungUp(ref: string): boolean;
}

export interface CallsOptions {
  dataDir: string;
  addresses: string[];
  /** Stock sounds to one leg, waiting for them to end; shared with call-in and call-me. */
  playback: Playback;
  /** Agents calling in to connect (B1), when a dial-in number can reach this process. */
  callIn?: CallIn;
  callMe?: CallMeHangUps;
  /** Calls the platform places (IVR transfers, transfers and consults to numbers), when SIP runs here. */
  outbound?: Outbound;
  /** Managers told when an agent asks for help (Agent Assist). */
  notifications: NotificationsService;
  /** How long a number rings for a transfer or consult (TRANSFER_RING_SECONDS). */
  transferRingMs?: number;
}

/** The highest priority: a caller put back in the queue is taken next. */
const FRONT_OF_QUEUE = 100;

/** The longest the closing notice plays before a shutdown hangs callers up. */
const CLOSING_NOTICE_MS = 5000;

/**
 * Call control: the registry of calls (`Call`, which owns its legs, bridge, music and recording)
 * and the operations on them. A caller goes through the number's IVR workflow, then waits in the
 * campaign's queue with music; an offer goes straight onto a persistent agent's leg after a
 * beep, or rings a non-persistent agent's Web Connect tab; accepted, the call bridges caller and
 * agent and records; hold moves the caller out to music. docs/call-model.md.
 */
export class CallsService implements CallAnswering {
  private readonly calls = new CallRegistry();
  /** Transfers, consults and conferences: the moves that bring in another party. */
  readonly transfers: CallTransfers;
  /** Play Announcement on a live call. */
  readonly announcements: CallAnnouncements;
  /** Each call's recording: started at the bridge, stopped, started and tagged by the agent. */
  readonly recordings: CallRecordings;
  /** Managers on live calls (listen, whisper, barge) and Agent Assist. */
  readonly supervision: CallSupervision;
  /** Calls agents place: Manual Call to a number, Agent Call to a colleague. */
  readonly placed: PlacedCalls;
  /** Calls the predictive dialler places, until an agent has them or they are abandoned. */
  readonly predictive: PredictiveCalls;
  /** Offers that arrived before the call was registered (the queue can be that quick). */
  private readonly early = new Map<string, InteractionEvent>();
  /** Callers in an IVR workflow, and the IVR's transfers to numbers outside. */
  private readonly ivr: IvrCalls;
  private readonly unsubscribe: () => void;
  /** Shutting down: no new call is taken. */
  private draining = false;
  private readonly playback: Playback;
  private readonly callIn: CallIn | undefined;
  private readonly callMe: CallMeHangUps | undefined;

  constructor(
    private readonly db: Db,
    private readonly pool: MediaPool,
    private readonly acd: AcdService,
    private readonly webConnect: WebConnectService,
    private readonly bus: EventBus,
    clock: Clock,
    private readonly log: FastifyBaseLogger,
    private readonly options: CallsOptions,
  ) {
    this.playback = options.playback;
    this.callIn = options.callIn;
    this.callMe = options.callMe;
    this.ivr = new IvrCalls({
      db,
      clock,
      log,
      playback: this.playback,
      outbound: options.outbound,
      toQueue: (arrival, campaignId, data) => this.enterQueue(arrival, campaignId, data),
      draining: () => this.draining,
    });
    this.supervision = new CallSupervision({
      db,
      acd,
      calls: this.calls,
      webConnect,
      notifications: options.notifications,
      bus,
      clock,
      log,
    });
    this.recordings = new CallRecordings({
      db,
      clock,
      acd,
      bus,
      log,
      calls: this.calls,
      dataDir: options.dataDir,
    });
    this.placed = new PlacedCalls({
      db,
      acd,
      calls: this.calls,
      webConnect,
      bus,
      log,
      playback: this.playback,
      recordings: this.recordings,
      outbound: options.outbound,
      holdMusic: this.sound('hold-music'),
    });
    this.predictive = new PredictiveCalls({
      acd,
      bus,
      clock,
      log,
      pool,
      playback: this.playback,
      webConnect,
      outbound: options.outbound,
      holdMusic: this.sound('hold-music'),
      admit: (entryId, call) => this.admit(entryId, call),
      finish: (call, reason, by) => this.finish(call, reason, by),
    });
    this.announcements = new CallAnnouncements({
      db,
      acd,
      calls: this.calls,
      playback: this.playback,
      bus,
      log,
    });
    this.transfers = new CallTransfers({
      db,
      acd,
      calls: this.calls,
      webConnect,
      bus,
      log,
      outbound: options.outbound,
      ringMs: options.transferRingMs ?? TRANSFER_RING_MS,
      finish: (call, reason) => this.finish(call, reason, 'customer'),
      toWorkflow: (call, workflowId) => this.toWorkflow(call, workflowId),
      playback: this.playback,
      clock,
      tell: (userId, text) => options.notifications.notify(userId, 'warning', text),
      replay: async (entryId) => {
        const early = this.early.get(entryId);
        this.early.delete(entryId);
        if (early) await this.onInteraction(early);
      },
    });
    pool.on('event', (e) => {
      if (e.event === 'dtmf') this.digit(e.endpointId, e.digit);
      if (e.event === 'recordingFailed')
        this.recordings
          .broke(e.recordingId, e.message, e.durationMs)
          .catch((err) =>
            this.log.error({ err, recordingId: e.recordingId }, 'recording failure not recorded'),
          );
      if (e.event === 'mediaTimeout') {
        const web = this.ivr.isWebCaller(e.endpointId) ?? this.byCustomer(e.endpointId)?.customer?.web;
        if (web) void this.customerHungUp(e.endpointId, 'the caller’s audio stopped');
      }
    });
    pool.on('lost', ({ owned }) => {
      for (const call of this.calls.all()) {
        if (call.customer && owned.includes(call.customer.endpointId))
          void this.customerHungUp(call.id, 'media failure', 'system');
      }
    });
    this.unsubscribe = bus.subscribe((event) => {
      if (!event.type.startsWith('interaction.') || !('entryId' in event)) return;
      this.onInteraction(event as InteractionEvent).catch((err) =>
        this.log.error({ err, event: event.type }, 'call control failed'),
      );
    });
  }

  /**
   * After a restart the media of every call died with the old processes: calls still queued or
   * ringing are abandoned, calls in conversation go to wrap-up (ended by the system).
   */
  async start(): Promise<void> {
    const stale = await this.db
      .selectFrom('queue_entries')
      .select(['id', 'state', 'agent_id'])
      .where('kind', '=', 'voice')
      .where((eb) => eb.or([eb('platform_phone', 'is not', null), eb('call_type', 'is not', null)]))
      .where('state', 'in', ['waiting', 'offered', 'busy'])
      .execute();
    for (const e of stale) {
      if (e.state === 'busy' && e.agent_id)
        await this.acd
          .end(e.agent_id, e.id, 'system')
          .catch((err) => this.log.warn({ err }, 'stale call not ended'));
      else await this.acd.customerLeft(e.id, 'system');
    }
    if (stale.length) this.log.info({ calls: stale.length }, 'calls cut by the restart were closed');
  }

  get activeCalls(): number {
    return this.calls.size;
  }

  /** A ringing call is answered where it rings (Web Connect tab or phone), not from the toolbar. */
  assertToolbarMayAccept(callId: string): void {
    if (this.calls.has(callId) && !this.transfers.isOffer(callId))
      throw new AppError('INTERACTION_STATE', 'Answer the call in your Web Connect tab or on your phone');
  }

  /**
   * A web phone call to `number`: a WebRTC leg, answered, then the number's workflow or queue.
   * Returns the call's reference (its customer leg) for hanging up.
   */
  async placeWebCall(caller: Caller, number: string, offerSdp: string): Promise<string> {
    this.assertTakingCalls();
    const inbound = await this.inboundNumber(number, true);
    const worker = this.pickWorker();
    const customer = `customer-${randomUUID()}`;
    let answerSdp: string;
    try {
      ({ answerSdp } = await worker.call('createWebRtcEndpoint', {
        endpointId: customer,
        offerSdp,
        addresses: this.options.addresses,
      }));
    } catch (err) {
      throw new AppError('VOICE_BAD_OFFER', `The call could not be set up: ${(err as Error).message}`);
    }
    caller.send({ type: 'answer', callId: customer, sdp: answerSdp });
    await this.route({ caller, inbound, worker, endpointId: customer, from: 'Web caller', web: true });
    return customer;
  }

  /** A SIP call to `number`, its RTP leg already made. Returns the call's reference (the leg). */
  async placeSipCall(
    caller: Caller,
    number: string,
    leg: { worker: MediaWorker; endpointId: string },
    from: string,
    workspaceId?: string,
  ): Promise<string> {
    this.assertTakingCalls();
    const inbound = await this.inboundNumber(number, false, workspaceId);
    if (inbound.purpose === 'agent_dial_in') {
      if (!this.callIn) throw new AppError('NOT_FOUND', `${number} does not take calls`);
      this.callIn.start(caller, inbound.workspace_id, leg, from);
      return leg.endpointId;
    }
    await this.route({ caller, inbound, ...leg, from, web: false });
    return leg.endpointId;
  }

  /** A key from SIP INFO: as if it had come in the media (RFC 4733 or in-band). */
  digit(ref: string, digit: string): void {
    if (this.transfers.digit(ref, digit)) return;
    this.ivr.digit(ref, digit);
    this.callIn?.digit(ref, digit);
  }

  private async inboundNumber(number: string, webPhone: boolean, workspaceId?: string) {
    let q = this.db
      .selectFrom('inbound_numbers')
      .leftJoin('campaigns', 'campaigns.id', 'inbound_numbers.campaign_id')
      .leftJoin('workflows', 'workflows.id', 'inbound_numbers.workflow_id')
      .select([
        'inbound_numbers.workspace_id',
        'inbound_numbers.campaign_id',
        'inbound_numbers.name',
        'inbound_numbers.number',
        'inbound_numbers.purpose',
        'campaigns.kind',
        'workflows.definition as workflow',
      ])
      .where('inbound_numbers.number', 'in', [number, `+${number.replace(/^\+/, '')}`]);
    if (workspaceId) q = q.where('inbound_numbers.workspace_id', '=', workspaceId);
    if (webPhone)
      q = q.where('inbound_numbers.web_phone', '=', true).where('inbound_numbers.purpose', '=', 'customer');
    const row = await q.executeTakeFirst();
    const usable =
      row && (row.purpose === 'agent_dial_in' || (row.campaign_id && row.kind === 'inbound_voice'));
    if (!row || !usable)
      throw new AppError('NOT_FOUND', `${number} does not take ${webPhone ? 'web ' : ''}calls`);
    return { ...row, campaign_id: row.campaign_id ?? '' };
  }

  /** The number's workflow first (in the background: the caller is answered already), or its queue. */
  private async route(arrival: Arrival): Promise<void> {
    const workflow = arrival.inbound.workflow;
    this.log.info(
      { ref: arrival.endpointId, number: arrival.inbound.number, from: arrival.from, ivr: Boolean(workflow) },
      'call arrived',
    );
    if (workflow) this.ivr.start(arrival, workflow);
    else await this.enterQueue(arrival, arrival.inbound.campaign_id, null);
  }

  /** The caller waits with music in the campaign's queue. */
  private async enterQueue(
    arrival: Arrival,
    campaignId: string,
    ivrData: string | null,
    priority?: number,
  ): Promise<void> {
    const { caller, inbound, worker, endpointId, from, web } = arrival;
    const music = startHoldMusic(worker, endpointId, this.sound('hold-music'));
    await music.started;
    const entry = await this.acd.enqueue(
      inbound.workspace_id,
      { campaignId, label: from, ...(priority !== undefined && { priority }) },
      {
        customerPhone: from,
        platformPhone: inbound.number,
        channelName: inbound.name,
        ...(ivrData !== null && { ivrData }),
      },
    );
    const call = new Call(
      entry.id,
      inbound.workspace_id,
      { caller, worker, endpointId, web },
      this.sound('hold-music'),
      music.playbackId,
    );
    caller.send({ type: 'state', state: 'queued' });
    await this.admit(entry.id, call);
  }

  /** A queued call joins the registry, and any offer made before it did is acted on. */
  private async admit(entryId: string, call: Call): Promise<void> {
    this.calls.add(entryId, call);
    const early = this.early.get(entryId);
    this.early.delete(entryId);
    if (early) await this.onInteraction(early);
  }

  /** The caller hung up (or their browser went away); `ref` is what placing the call returned. */
  async customerHungUp(ref: string, reason = 'you hung up', by: EndedBy = 'customer'): Promise<void> {
    if (this.callIn?.hungUp(ref) || this.callMe?.hungUp(ref)) return;
    if (await this.ivr.hungUp(ref, reason)) return;
    const call = this.calls.find(ref);
    if (!call || call.state === 'ended') return;
    const dialled = call.dialledParty(ref);
    if (dialled) {
      await this.transfers.partyLeft(call, dialled, by === 'customer' ? 'the other party hung up' : reason);
      return;
    }
    // A customer who hangs up during a consult leaves the agent and the consulted party talking;
    // otherwise the call is over and every agent on it goes to wrap-up.
    if (call.inConversation && call.talkers > 2) {
      await call.customerLeft(reason);
      await this.transfers.customerGone(call);
      return;
    }
    await this.finish(call, reason, by);
  }

  /**
   * The call is over for everyone: it leaves the registry, its media goes, and every agent on it
   * goes to wrap-up (a call that no agent took yet is abandoned).
   */
  private async finish(call: Call, reason: string, by: EndedBy): Promise<void> {
    const agents = call.agentParties();
    const answered = call.inConversation || call.state === 'ended';
    const offeredTo = call.offeredTo;
    this.transfers.callEnded(call);
    await this.teardown(call, reason);
    if (!answered) await this.acd.customerLeft(call.id, by);
    if (offeredTo && !answered) {
      this.webConnect.stopRinging(offeredTo, call.id);
      await this.webConnect.callEnded(offeredTo, call.id);
    }
    for (const a of agents) {
      await this.acd.customerLeft(a.entryId, by);
      await this.webConnect.callEnded(a.userId, a.entryId);
    }
  }

  /**
   * A blind transfer into a workflow: the customer's leg leaves the call for the IVR (which may
   * queue them again, as a new interaction); the agent goes to wrap-up.
   */
  private async toWorkflow(call: Call, workflowId: string): Promise<void> {
    const workflow = await this.db
      .selectFrom('workflows')
      .select('definition')
      .where('id', '=', workflowId)
      .executeTakeFirstOrThrow();
    const { arrival } = await this.releaseCustomer(call, 'agent');
    this.ivr.start(
      { ...arrival, inbound: { ...arrival.inbound, workflow: workflow.definition } },
      workflow.definition,
    );
  }

  /**
   * The agent's voice went while a transfer was being set up: the customer goes back to the head
   * of the campaign's queue (a new interaction), and the record says why.
   */
  private async requeue(call: Call, reason: string): Promise<void> {
    const { arrival, campaignId, ivrData } = await this.releaseCustomer(call, 'system');
    publishOnCall(this.bus, call, { type: 'call.requeued', reason }, call.id);
    await this.enterQueue(arrival, campaignId, ivrData, FRONT_OF_QUEUE);
  }

  /**
   * The customer's leg leaves the call with the caller still on it; the rest of the call ends and
   * the agents on it go to wrap-up. Returns the caller as they first arrived, to route again.
   */
  private async releaseCustomer(call: Call, by: EndedBy) {
    const entry = await this.db
      .selectFrom('queue_entries')
      .select(['campaign_id', 'customer_phone', 'platform_phone', 'channel_name', 'ivr_data'])
      .where('id', '=', call.id)
      .executeTakeFirstOrThrow();
    const agents = call.agentParties();
    this.transfers.callEnded(call);
    this.calls.remove(call);
    this.supervision.callEnded(call);
    const customer = await call.release();
    for (const a of agents) {
      await this.acd.end(a.userId, a.entryId, by).catch(() => undefined);
      await this.webConnect.callEnded(a.userId, a.entryId);
    }
    const arrival: Arrival = {
      ...customer,
      inbound: {
        workspace_id: call.workspaceId,
        campaign_id: entry.campaign_id,
        name: entry.channel_name ?? '',
        number: entry.platform_phone ?? '',
        workflow: null,
      },
      from: entry.customer_phone ?? 'Caller',
    };
    return { arrival, campaignId: entry.campaign_id, ivrData: entry.ivr_data };
  }

  /** Hold (the caller hears music, not the agent) or resume. */
  async setHeld(userId: string, callId: string, held: boolean): Promise<void> {
    const call = this.calls.owned(userId, callId, ['connected', 'held'], 'Hold', { customer: true });
    if ((call.state === 'held') === held) return;
    if (held) await call.hold();
    else await call.resume();
    await this.acd.annotate(userId, callId, { held });
    publishOnCall(this.bus, call, held ? { type: 'call.held', userId } : { type: 'call.resumed', userId });
  }

  // CallAnswering, for Web Connect:

  workerFor(interactionId: string): MediaWorker | undefined {
    return this.calls.get(interactionId)?.worker;
  }

  async answered(userId: string, interactionId: string, media: AgentMedia): Promise<boolean> {
    if (await this.transfers.answered(userId, interactionId, media)) return true;
    if (await this.placed.answeredByTab(userId, interactionId, media)) return true;
    const call = this.calls.get(interactionId);
    if (call?.state !== 'queued' || call.offeredTo !== userId) return false;
    call.agent = media;
    await this.acd.accept(userId, interactionId);
    return true;
  }

  async agentHungUp(userId: string, interactionId: string): Promise<void> {
    await this.acd.end(userId, interactionId, 'agent');
  }

  /**
   * The agent's voice path or browser died. A call with others on it goes on without them (the
   * customer stays with the consulted party or the conference); else it ends.
   */
  async agentGone(userId: string): Promise<void> {
    await this.supervision.supervisorGone(userId);
    await this.placed.agentGone(userId);
    for (const call of this.calls.all()) {
      const mine = call.agentParties().filter((a) => a.userId === userId);
      for (const { entryId } of mine) {
        const party = call.party(entryId);
        const reason = 'the agent’s connection was lost';
        if (party && call.talkers > 2) await this.transfers.agentLeft(call, party, reason);
        else if (this.transfers.settingUp(call) && call.customer && party?.role === 'agent')
          await this.requeue(call, `${reason} during a transfer`);
        else await this.finish(call, reason, 'system');
        await this.acd.end(userId, entryId, 'system').catch(() => undefined);
      }
    }
  }

  /**
   * Shutdown: no new call is taken; callers still in a workflow or the queue hear that the
   * service is closing; then every call is hung up (a SIP caller gets our BYE) with its
   * recording closed, and its record closed as ended by the system.
   */
  async stop(): Promise<void> {
    this.draining = true;
    this.unsubscribe();
    await this.placed.stop();
    this.predictive.stop();
    const inIvr = this.ivr.drain();
    const waiting = this.calls.all().filter((c) => c.state === 'queued');
    await Promise.all(waiting.map((c) => c.silence().catch(() => undefined)));
    await Promise.all([
      ...inIvr.map((c) => this.closingNotice(c.worker, c.leg)),
      ...waiting.flatMap((c) => (c.customer ? [this.closingNotice(c.worker, c.customer.endpointId)] : [])),
    ]);
    for (const c of inIvr) await c.end('the service is shutting down');
    for (const call of this.calls.all()) {
      await this.finish(call, 'the service is shutting down', 'system').catch((err) =>
        this.log.warn({ err, callId: call.id }, 'call record not closed'),
      );
    }
    await this.ivr.endTransfers('the service is shutting down');
  }

  private assertTakingCalls(): void {
    if (this.draining) throw new AppError('VOICE_UNAVAILABLE', 'The service is shutting down');
  }

  /** "Sorry, we are closing for a moment...", to a caller about to be hung up by a shutdown. */
  private closingNotice(worker: MediaWorker, leg: string): Promise<void> {
    return this.playback
      .playAndWait(worker, leg, 'prompts/service-closing', { limitMs: CLOSING_NOTICE_MS })
      .catch(() => undefined);
  }

  private async onInteraction(e: InteractionEvent): Promise<void> {
    if (e.kind !== 'voice') return;
    if (this.transfers.isOffer(e.entryId)) return this.transfers.onOfferEvent(e);
    // A call an agent is placing follows its own course until it is answered.
    if (this.placed.owns(e.entryId)) return void this.early.delete(e.entryId);
    const call = this.calls.get(e.entryId);
    if (!call) {
      // An offer can beat the call's registration; anything else about an unknown entry (a
      // voice contact with no call behind it) ends what was kept for it.
      if (e.type === 'interaction.offered') this.early.set(e.entryId, e);
      else this.early.delete(e.entryId);
      return;
    }
    switch (e.type) {
      case 'interaction.offered':
        return this.offered(call, e.userId);
      case 'interaction.withdrawn':
        // Ring timeout or the agent paused: the caller keeps waiting, with the music still on.
        if (call.offeredTo === e.userId && call.state === 'queued') call.offeredTo = undefined;
        this.webConnect.stopRinging(e.userId, call.id);
        return;
      case 'interaction.accepted':
        // An agent consulted or transferred to joins through CallTransfers; only the call's
        // own interaction bridges the customer.
        if (e.entryId !== call.id) return;
        return this.bridge(call, e.userId);
      case 'interaction.ended': {
        if (call.state === 'ended') return;
        const party = call.party(e.entryId);
        // An agent who already left (transferred the call on, left the conference): nothing more.
        if (!party && e.entryId !== call.id) return;
        if (!party && call.inConversation) return;
        // The consulted party hanging up leaves; the agent who has the call ends it for everyone.
        if (party?.role === 'consulted') {
          await this.transfers.partyLeft(call, party, 'the other agent hung up');
          return;
        }
        await this.finish(call, e.by === 'agent' ? 'the agent ended the call' : 'the call ended', 'agent');
        return;
      }
      default:
        return;
    }
  }

  private async offered(call: Call, userId: string): Promise<void> {
    call.offeredTo = userId;
    const path = this.webConnect.pathOf(userId);
    if (path?.mode === 'persistent') {
      call.agent = path.media;
      await this.acd.accept(userId, call.id);
      return;
    }
    const campaign = await this.db
      .selectFrom('queue_entries')
      .innerJoin('campaigns', 'campaigns.id', 'queue_entries.campaign_id')
      .select(['campaigns.name', 'queue_entries.customer_phone'])
      .where('queue_entries.id', '=', call.id)
      .executeTakeFirst();
    // Not rung (no tab): the ring timeout gives Auto Pause and the caller goes to the next agent.
    this.webConnect.ring(userId, call.id, campaign?.customer_phone ?? 'Caller', campaign?.name ?? '');
  }

  /** Caller and agent into one mixer: beep first for a persistent agent, then talk, recorded. */
  private async bridge(call: Call, userId: string): Promise<void> {
    const agent = call.agent ?? this.webConnect.mediaOf(userId);
    if (call.state !== 'queued' || !agent) {
      this.log.warn({ callId: call.id, userId }, 'accepted call has no agent leg');
      return;
    }
    const persistent = this.webConnect.pathOf(userId)?.mode === 'persistent';
    try {
      const beep = persistent
        ? () => this.playback.playAndWait(agent.worker, agent.endpointId, 'beep')
        : undefined;
      if (!(await call.bridge({ id: call.id, label: '', userId, entryId: call.id }, agent, beep))) return; // the caller hung up meanwhile
      await this.recordings.start(call, userId);
      call.connected();
    } catch (err) {
      // A call torn down while it was being bridged (the caller hung up during the beep) fails
      // its next media step: nothing is wrong then.
      if (!call.bridging) return;
      this.log.error({ err, callId: call.id }, 'bridging the call failed');
      await this.customerHungUp(call.id, 'the call could not be connected', 'system');
    }
  }

  /** The call leaves the registry; everything it holds in the media workers goes; the caller is told. */
  private async teardown(call: Call, reason: string): Promise<void> {
    if (call.state === 'ended') return;
    this.calls.remove(call);
    this.supervision.callEnded(call);
    await call.end(reason);
  }

  private sound(name: string) {
    return this.playback.sound(name);
  }

  private pickWorker(): MediaWorker {
    try {
      return this.pool.pick();
    } catch {
      throw new AppError('VOICE_UNAVAILABLE', 'No media worker is running');
    }
  }

  private byCustomer(endpointId: string): Call | undefined {
    for (const call of this.calls.all()) if (call.customer?.endpointId === endpointId) return call;
    return undefined;
  }
}
