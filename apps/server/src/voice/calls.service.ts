import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PhoneServerFrame, WorkflowDefinition } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { RecordingSegment } from '../db/schema.js';
import type { EndedBy, EventBus, InteractionEvent } from '../events.js';
import { AppError } from '../http/app-error.js';
import { IvrRunner } from '../ivr/ivr-runner.js';
import type { MediaPool } from '../media/worker/media-pool.js';
import type { MediaWorker } from '../media/worker/media-worker-client.js';
import type { Outbound } from './outbound.js';
import { FIRST_PROMPT_WAIT_MS, type Playback } from './playback.js';
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

/** The caller's end of a web phone call (its WebSocket). */
export interface Caller {
  send(frame: PhoneServerFrame): void;
  close(): void;
}

interface Recording {
  id: string;
  paused: boolean;
  segments: RecordingSegment[];
}

/** A leg joined to the call's mixer from another worker: an RTP pair over loopback. */
interface Link {
  near: string;
  far: string;
  farWorker: MediaWorker;
  farMixer: string;
}

/** A call as it arrives: who, on which number, with which leg. */
interface Arrival {
  caller: Caller;
  inbound: {
    workspace_id: string;
    campaign_id: string;
    name: string;
    number: string;
    workflow: WorkflowDefinition | null;
  };
  worker: MediaWorker;
  endpointId: string;
  from: string;
  web: boolean;
}

/** A caller in an IVR workflow. */
interface Menu {
  runner: IvrRunner;
  web: boolean;
  caller: Caller;
  worker: MediaWorker;
  /** Stops the prompt playing (or the transfer ringing) now. */
  silence: () => void;
}

/** A caller the IVR put through to a number outside: two legs in one mixer, no agent. */
interface Transfer {
  caller: Caller;
  web: boolean;
  worker: MediaWorker;
  customer: string;
  far: string;
  mixer: string;
  dialogKey: string;
}

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
  /** Calls the platform places (IVR transfers), when SIP runs here. */
  outbound?: Outbound;
}

/** The longest the closing notice plays before a shutdown hangs callers up. */
const CLOSING_NOTICE_MS = 5000;

interface Call {
  id: string;
  /** A web phone caller: RTP silence means their browser went away. */
  web: boolean;
  workspaceId: string;
  caller: Caller;
  worker: MediaWorker;
  customer: string;
  mixer: string;
  state: 'queued' | 'connecting' | 'connected' | 'ended';
  agentId: string | undefined;
  agent: AgentMedia | undefined;
  link: Link | undefined;
  held: boolean;
  music: string | undefined;
  recording: Recording | undefined;
}

/**
 * Call control for voice calls from the customer web phone: the caller waits in the campaign's
 * queue with music; an offer goes straight onto a persistent agent's leg after a beep, or rings a
 * non-persistent agent's Web Connect tab; the bridge is one mixer on the caller's worker (an agent
 * on another worker joins through an RTP pair); hold moves the caller out to music; the recording
 * follows the bridge and pauses with silence, so the file keeps the call's timeline.
 */
export class CallsService implements CallAnswering {
  private readonly calls = new Map<string, Call>();
  /** Offers that arrived before the call was registered (the queue can be that quick). */
  private readonly early = new Map<string, InteractionEvent>();
  /** Callers in an IVR workflow, by their leg. */
  private readonly menus = new Map<string, Menu>();
  private readonly unsubscribe: () => void;
  /** IVR transfers in progress, by either leg. */
  private readonly transfers = new Map<string, Transfer>();
  /** Shutting down: no new call is taken. */
  private draining = false;
  private readonly playback: Playback;
  private readonly callIn: CallIn | undefined;
  private readonly callMe: CallMeHangUps | undefined;
  private readonly outbound: Outbound | undefined;

  constructor(
    private readonly db: Db,
    private readonly pool: MediaPool,
    private readonly acd: AcdService,
    private readonly webConnect: WebConnectService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    private readonly options: CallsOptions,
  ) {
    this.playback = options.playback;
    this.callIn = options.callIn;
    this.callMe = options.callMe;
    this.outbound = options.outbound;
    pool.on('event', (e) => {
      if (e.event === 'dtmf') this.digit(e.endpointId, e.digit);
      if (e.event === 'recordingFailed')
        this.recordingBroke(e.recordingId, e.message, e.durationMs).catch((err) =>
          this.log.error({ err, recordingId: e.recordingId }, 'recording failure not recorded'),
        );
      if (e.event === 'mediaTimeout') {
        const web =
          this.menus.get(e.endpointId)?.web ??
          this.byCustomer(e.endpointId)?.web ??
          (this.transfers.get(e.endpointId)?.customer === e.endpointId &&
            this.transfers.get(e.endpointId)?.web);
        if (web) void this.customerHungUp(e.endpointId, 'the caller’s audio stopped');
      }
    });
    pool.on('lost', ({ owned }) => {
      for (const call of this.calls.values()) {
        if (owned.includes(call.customer)) void this.customerHungUp(call.id, 'media failure', 'system');
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
      .where('platform_phone', 'is not', null)
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
    if (this.calls.has(callId))
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
    this.menus.get(ref)?.runner.digit(digit);
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
    if (!workflow) {
      await this.enterQueue(arrival, arrival.inbound.campaign_id, null);
      return;
    }
    const { worker, endpointId } = arrival;
    let playing: string | undefined;
    let ringing: { cancel?: () => void } | undefined;
    const silence = () => {
      if (playing) void worker.call('stopPlayback', { playbackId: playing }).catch(() => undefined);
      ringing?.cancel?.();
    };
    const runner = new IvrRunner(
      workflow,
      {
        play: async (prompt, stopOnDtmf) => {
          playing = `prompt-${randomUUID()}`;
          await this.playback.playAndWait(worker, endpointId, `prompts/${prompt}`, {
            stopOnDtmf,
            limitMs: 120_000,
            id: playing,
          });
          playing = undefined;
        },
        stop: silence,
        transfer: async (number, ringMs) => {
          ringing = {};
          try {
            return await this.transferOut(arrival, number, ringMs, ringing);
          } finally {
            ringing = undefined;
          }
        },
      },
      this.clock,
    );
    this.menus.set(endpointId, { runner, web: arrival.web, caller: arrival.caller, worker, silence });
    arrival.caller.send({ type: 'state', state: 'menu' });
    const listening = this.playback.untilHeard(endpointId, FIRST_PROMPT_WAIT_MS);
    void (async () => {
      await listening;
      const outcome = await runner.run();
      if (this.draining) return; // shutting down: stop() hangs the caller up
      this.menus.delete(endpointId);
      if (outcome.kind === 'queue') {
        await this.enterQueue(arrival, outcome.campaignId, outcome.data);
        return;
      }
      if (outcome.kind === 'transferred') return; // the transfer owns the legs now
      if (outcome.kind === 'hangup') {
        arrival.caller.send({ type: 'state', state: 'ended', reason: 'the call ended' });
        arrival.caller.close();
      }
      await worker.call('destroy', { id: endpointId }).catch(() => undefined);
    })().catch(async (err) => {
      this.menus.delete(endpointId);
      this.log.error({ err }, 'IVR failed');
      arrival.caller.send({ type: 'state', state: 'ended', reason: 'the call could not be completed' });
      arrival.caller.close();
      await worker.call('destroy', { id: endpointId }).catch(() => undefined);
    });
  }

  /**
   * The IVR's "transfer" node: the number through the dial plan and the workspace's trunk, rung
   * from the caller's worker; answered, caller and far end share a mixer until either hangs up.
   */
  private async transferOut(
    arrival: Arrival,
    number: string,
    ringMs: number,
    control: { cancel?: () => void },
  ): Promise<boolean> {
    const outbound = this.outbound;
    if (!outbound) return false;
    const workspaceId = arrival.inbound.workspace_id;
    const campaign = await this.db
      .selectFrom('campaigns')
      .select('caller_id')
      .where('id', '=', arrival.inbound.campaign_id)
      .executeTakeFirst();
    let route: Awaited<ReturnType<Outbound['route']>>;
    try {
      route = await outbound.route(workspaceId, number, campaign?.caller_id);
    } catch (err) {
      this.log.warn({ err, number, workspaceId }, 'IVR transfer refused');
      return false;
    }
    const far = `transfer-${randomUUID()}`;
    const result = await outbound.dial(route, far, { ringMs, control, worker: arrival.worker });
    if (!result.ok) {
      this.log.info({ number, status: result.status }, 'IVR transfer not answered');
      return false;
    }
    const transfer: Transfer = {
      caller: arrival.caller,
      web: arrival.web,
      worker: arrival.worker,
      customer: arrival.endpointId,
      far,
      mixer: `transfer-mix-${far}`,
      dialogKey: result.dialogKey,
    };
    if (!this.menus.has(arrival.endpointId)) {
      // The caller hung up while it rang.
      await this.endTransfer(transfer, 'the caller hung up');
      return false;
    }
    this.transfers.set(far, transfer);
    this.transfers.set(arrival.endpointId, transfer);
    const w = arrival.worker;
    await w.call('createMixer', { mixerId: transfer.mixer });
    await w.call('join', { mixerId: transfer.mixer, endpointId: transfer.customer });
    await w.call('join', { mixerId: transfer.mixer, endpointId: far });
    arrival.caller.send({ type: 'state', state: 'connected' });
    return true;
  }

  /** Either side of a transfer hung up: the other side is hung up, every leg goes. */
  private async endTransfer(t: Transfer, reason: string): Promise<void> {
    this.transfers.delete(t.far);
    this.transfers.delete(t.customer);
    await this.outbound?.hangUp(t.dialogKey);
    t.caller.send({ type: 'state', state: 'ended', reason });
    t.caller.close();
    for (const id of [t.mixer, t.far, t.customer])
      await t.worker.call('destroy', { id }).catch(() => undefined);
  }

  /** The caller waits with music in the campaign's queue. */
  private async enterQueue(arrival: Arrival, campaignId: string, ivrData: string | null): Promise<void> {
    const { caller, inbound, worker, endpointId: customer, from, web } = arrival;
    const music = `music-${randomUUID()}`;
    await worker.call('play', {
      playbackId: music,
      endpointId: customer,
      source: this.sound('hold-music'),
      loop: true,
    });
    const entry = await this.acd.enqueue(
      inbound.workspace_id,
      { campaignId, label: from },
      {
        customerPhone: from,
        platformPhone: inbound.number,
        channelName: inbound.name,
        ...(ivrData !== null && { ivrData }),
      },
    );
    const call: Call = {
      id: entry.id,
      web,
      workspaceId: inbound.workspace_id,
      caller,
      worker,
      customer,
      mixer: `bridge-${entry.id}`,
      state: 'queued',
      agentId: undefined,
      agent: undefined,
      link: undefined,
      held: false,
      music,
      recording: undefined,
    };
    this.calls.set(entry.id, call);
    caller.send({ type: 'state', state: 'queued' });
    const early = this.early.get(entry.id);
    this.early.delete(entry.id);
    if (early) await this.onInteraction(early);
  }

  /** The caller hung up (or their browser went away); `ref` is what placing the call returned. */
  async customerHungUp(ref: string, reason = 'you hung up', by: EndedBy = 'customer'): Promise<void> {
    if (this.callIn?.hungUp(ref) || this.callMe?.hungUp(ref)) return;
    const transfer = this.transfers.get(ref);
    if (transfer) {
      await this.endTransfer(transfer, ref === transfer.far ? 'the call ended' : reason);
      return;
    }
    const menu = this.menus.get(ref);
    if (menu) {
      menu.runner.abort(); // its run ends as "gone" and destroys the leg
      return;
    }
    const call = this.calls.get(ref) ?? this.byCustomer(ref);
    if (!call || call.state === 'ended') return;
    const callId = call.id;
    const agentId = call.agentId;
    await this.teardown(call, reason);
    await this.acd.customerLeft(callId, by);
    if (agentId) {
      this.webConnect.stopRinging(agentId, callId);
      await this.webConnect.callEnded(agentId, callId);
    }
  }

  /** Hold (the caller hears music, not the agent) or resume. */
  async setHeld(userId: string, callId: string, held: boolean): Promise<void> {
    const call = this.connectedCall(userId, callId);
    if (call.held === held) return;
    call.held = held;
    if (held) {
      await call.worker.call('leave', { mixerId: call.mixer, endpointId: call.customer });
      await this.startMusic(call);
    } else {
      await this.stopMusic(call);
      await call.worker.call('join', { mixerId: call.mixer, endpointId: call.customer });
    }
    call.caller.send({ type: 'state', state: held ? 'held' : 'connected' });
    await this.acd.annotate(userId, callId, { held });
    this.publish(call, held ? { type: 'call.held', userId } : { type: 'call.resumed', userId });
  }

  /** Stop or start the call's recording; stopped, silence is written so the file shows the gap. */
  async setRecording(userId: string, callId: string, on: boolean): Promise<void> {
    const call = this.connectedCall(userId, callId);
    const settings = await this.db
      .selectFrom('workspaces')
      .select('recording_controls_visible')
      .where('id', '=', call.workspaceId)
      .executeTakeFirst();
    if (!settings?.recording_controls_visible)
      throw new AppError('RECORDING_CONTROLS_OFF', 'Recording controls are turned off in this workspace');
    const rec = call.recording;
    if (!rec) throw new AppError('INTERACTION_STATE', 'This call has no recording');
    if (rec.paused === !on) return;
    const { atMs } = await call.worker.call('setRecordingPaused', { recordingId: rec.id, paused: !on });
    rec.paused = !on;
    if (on) rec.segments.push({ startMs: atMs, stopMs: null });
    else {
      const last = rec.segments.at(-1);
      if (last) last.stopMs = atMs;
    }
    await this.db
      .updateTable('recordings')
      .set({ segments: JSON.stringify(rec.segments) })
      .where('id', '=', rec.id)
      .execute();
    await this.acd.annotate(userId, callId, { recording: on });
    this.publish(call, {
      type: on ? 'call.recordingStarted' : 'call.recordingStopped',
      userId,
      recordingId: rec.id,
      atMs,
    });
  }

  /** Tags the call's recording where it is now (E2); returns the offset into the file. */
  async tagRecording(userId: string, callId: string): Promise<number> {
    const call = this.connectedCall(userId, callId);
    const rec = call.recording;
    if (!rec) throw new AppError('INTERACTION_STATE', 'This call has no recording');
    const row = await this.db
      .selectFrom('recordings')
      .select(['started_at', 'tags'])
      .where('id', '=', rec.id)
      .executeTakeFirstOrThrow();
    const now = this.clock.now();
    const atMs = Math.max(0, now.getTime() - row.started_at.getTime());
    const tags = [...row.tags, { atMs, at: now.toISOString(), userId }];
    await this.db
      .updateTable('recordings')
      .set({ tags: JSON.stringify(tags) })
      .where('id', '=', rec.id)
      .execute();
    this.publish(call, { type: 'call.recordingTagged', userId, recordingId: rec.id, atMs });
    return atMs;
  }

  // CallAnswering, for Web Connect:

  workerFor(interactionId: string): MediaWorker | undefined {
    return this.calls.get(interactionId)?.worker;
  }

  async answered(userId: string, interactionId: string, media: AgentMedia): Promise<boolean> {
    const call = this.calls.get(interactionId);
    if (call?.state !== 'queued' || call.agentId !== userId) return false;
    call.agent = media;
    await this.acd.accept(userId, interactionId);
    return true;
  }

  async agentHungUp(userId: string, interactionId: string): Promise<void> {
    await this.acd.end(userId, interactionId, 'agent');
  }

  async agentGone(userId: string): Promise<void> {
    for (const call of this.calls.values()) {
      if (call.agentId !== userId || call.state === 'queued') continue;
      await this.teardown(call, 'the agent’s connection was lost');
      await this.acd.end(userId, call.id, 'system').catch(() => undefined);
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
    const menus = [...this.menus.entries()];
    this.menus.clear();
    for (const [, menu] of menus) {
      menu.runner.abort();
      menu.silence();
    }
    const waiting = [...this.calls.values()].filter((c) => c.state === 'queued');
    await Promise.all(waiting.map((c) => this.stopMusic(c).catch(() => undefined)));
    await Promise.all([
      ...menus.map(([leg, m]) => this.closingNotice(m.worker, leg)),
      ...waiting.map((c) => this.closingNotice(c.worker, c.customer)),
    ]);
    for (const [leg, menu] of menus) {
      menu.caller.send({ type: 'state', state: 'ended', reason: 'the service is shutting down' });
      menu.caller.close();
      await menu.worker.call('destroy', { id: leg }).catch(() => undefined);
    }
    for (const call of [...this.calls.values()]) {
      const talking = call.state !== 'queued' && call.agentId;
      await this.teardown(call, 'the service is shutting down');
      const closed = talking
        ? this.acd.end(call.agentId as string, call.id, 'system')
        : this.acd.customerLeft(call.id, 'system');
      await closed.catch((err) => this.log.warn({ err, callId: call.id }, 'call record not closed'));
    }
    for (const t of new Set(this.transfers.values()))
      await this.endTransfer(t, 'the service is shutting down');
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
        if (call.agentId === e.userId && call.state === 'queued') call.agentId = undefined;
        this.webConnect.stopRinging(e.userId, call.id);
        return;
      case 'interaction.accepted':
        return this.bridge(call, e.userId);
      case 'interaction.ended':
        if (call.state !== 'ended') {
          await this.teardown(call, e.by === 'agent' ? 'the agent ended the call' : 'the call ended');
          await this.webConnect.callEnded(e.userId, call.id);
        }
        return;
      default:
        return;
    }
  }

  private async offered(call: Call, userId: string): Promise<void> {
    call.agentId = userId;
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
    call.state = 'connecting';
    call.agentId = userId;
    call.agent = agent;
    const persistent = this.webConnect.pathOf(userId)?.mode === 'persistent';
    try {
      if (persistent) await this.playback.playAndWait(agent.worker, agent.endpointId, 'beep');
      await this.stopMusic(call);
      await call.worker.call('createMixer', { mixerId: call.mixer });
      await call.worker.call('join', { mixerId: call.mixer, endpointId: call.customer });
      if (agent.worker === call.worker) {
        await call.worker.call('join', { mixerId: call.mixer, endpointId: agent.endpointId });
      } else {
        call.link = await this.linkWorkers(call, agent);
      }
      await this.startRecording(call, userId);
      if (call.state !== 'connecting') return; // the caller hung up meanwhile
      call.state = 'connected';
      call.caller.send({ type: 'state', state: 'connected' });
    } catch (err) {
      // A call torn down while it was being bridged (the caller hung up during the beep) fails
      // its next media step: nothing is wrong then.
      if (call.state !== 'connecting') return;
      this.log.error({ err, callId: call.id }, 'bridging the call failed');
      await this.customerHungUp(call.id, 'the call could not be connected', 'system');
    }
  }

  /** The agent's leg lives on another worker: an RTP pair over loopback joins the two mixers. */
  private async linkWorkers(call: Call, agent: AgentMedia): Promise<Link> {
    const link: Link = {
      near: `link-${call.id}-a`,
      far: `link-${call.id}-b`,
      farWorker: agent.worker,
      farMixer: `bridge-${call.id}-agent`,
    };
    const near = await call.worker.call('createRtpEndpoint', { endpointId: link.near, address: '127.0.0.1' });
    const far = await agent.worker.call('createRtpEndpoint', { endpointId: link.far, address: '127.0.0.1' });
    await call.worker.call('applyRemote', { endpointId: link.near, ...far, payloadType: 0 });
    await agent.worker.call('applyRemote', { endpointId: link.far, ...near, payloadType: 0 });
    await call.worker.call('join', { mixerId: call.mixer, endpointId: link.near });
    await agent.worker.call('createMixer', { mixerId: link.farMixer });
    await agent.worker.call('join', { mixerId: link.farMixer, endpointId: link.far });
    await agent.worker.call('join', { mixerId: link.farMixer, endpointId: agent.endpointId });
    return link;
  }

  /**
   * The call is recorded from the bridge on. A recording that cannot be made (the disk full, the
   * folder not writable) must not drop the customer: it is reported and the call goes on.
   */
  private async startRecording(call: Call, userId: string): Promise<void> {
    const dir = path.join(this.options.dataDir, 'recordings', call.workspaceId);
    let recordingId: string | undefined;
    try {
      await mkdir(dir, { recursive: true });
      const row = await this.db
        .insertInto('recordings')
        .values({
          workspace_id: call.workspaceId,
          queue_entry_id: call.id,
          path: path.join(dir, `${call.id}.wav`),
          mode: 'stereo',
          started_at: this.clock.now(),
          segments: JSON.stringify([{ startMs: 0, stopMs: null }]),
        })
        .returning(['id', 'path'])
        .executeTakeFirstOrThrow();
      recordingId = row.id;
      await call.worker.call('startRecording', {
        recordingId: row.id,
        mixerId: call.mixer,
        path: row.path,
        mode: 'stereo',
        leftEndpointId: call.customer,
      });
    } catch (err) {
      // No file: the supervisor is not offered a recording that does not exist.
      if (recordingId) await this.db.deleteFrom('recordings').where('id', '=', recordingId).execute();
      if (call.state === 'connecting') await this.recordingFailed(call, null, err);
      return;
    }
    call.recording = { id: recordingId, paused: false, segments: [{ startMs: 0, stopMs: null }] };
    await this.acd.annotate(userId, call.id, { recording: true, held: false });
    this.publish(call, { type: 'call.recordingStarted', userId, recordingId, atMs: 0 });
  }

  /** A file that stops being writable mid-call (disk full) ends the recording, not the call. */
  private async recordingBroke(recordingId: string, message: string, durationMs: number): Promise<void> {
    let call: Call | undefined;
    for (const c of this.calls.values()) if (c.recording?.id === recordingId) call = c;
    const rec = call?.recording;
    if (!call || !rec || call.state === 'ended') return;
    call.recording = undefined;
    const last = rec.segments.at(-1);
    if (last && last.stopMs === null) last.stopMs = durationMs;
    await this.db
      .updateTable('recordings')
      .set({ ended_at: this.clock.now(), duration_ms: durationMs, segments: JSON.stringify(rec.segments) })
      .where('id', '=', recordingId)
      .execute();
    await this.recordingFailed(call, recordingId, new Error(message));
  }

  /** Logged for the operators, on the interaction's timeline, and the toolbar shows no recording. */
  private async recordingFailed(call: Call, recordingId: string | null, err: unknown): Promise<void> {
    const reason = err instanceof Error ? err.message : String(err);
    this.log.error(
      { err, callId: call.id, recordingId },
      'the call goes on unrecorded: its recording failed',
    );
    const userId = call.agentId;
    if (userId) await this.acd.annotate(userId, call.id, { recording: false });
    this.bus.publish({
      type: 'call.recordingFailed',
      workspaceId: call.workspaceId,
      entryId: call.id,
      kind: 'voice',
      ...(userId && { userId }),
      recordingId,
      reason,
    });
  }

  /** Everything the call holds in the media workers goes; the caller is told. */
  private async teardown(call: Call, reason: string): Promise<void> {
    if (call.state === 'ended') return;
    call.state = 'ended';
    this.calls.delete(call.id);
    const rec = call.recording;
    if (rec) {
      const done = await call.worker
        .call('stopRecording', { recordingId: rec.id })
        .catch(() => ({ durationMs: null }));
      const last = rec.segments.at(-1);
      if (last && last.stopMs === null) last.stopMs = done.durationMs;
      await this.db
        .updateTable('recordings')
        .set({
          ended_at: this.clock.now(),
          duration_ms: done.durationMs,
          segments: JSON.stringify(rec.segments),
        })
        .where('id', '=', rec.id)
        .execute();
    }
    const destroy = (worker: MediaWorker, id: string) =>
      worker.call('destroy', { id }).catch(() => undefined);
    if (call.link) {
      await destroy(call.link.farWorker, call.link.farMixer);
      await destroy(call.link.farWorker, call.link.far);
      await destroy(call.worker, call.link.near);
    }
    await destroy(call.worker, call.mixer);
    await destroy(call.worker, call.customer);
    call.caller.send({ type: 'state', state: 'ended', reason });
    call.caller.close();
  }

  private connectedCall(userId: string, callId: string): Call {
    const call = this.calls.get(callId);
    if (!call || call.agentId !== userId) throw new AppError('NOT_FOUND', 'That call is not on your toolbar');
    if (call.state !== 'connected') throw new AppError('INTERACTION_STATE', 'The call is not connected');
    return call;
  }

  private async startMusic(call: Call): Promise<void> {
    call.music = `music-${randomUUID()}`;
    await call.worker.call('play', {
      playbackId: call.music,
      endpointId: call.customer,
      source: this.sound('hold-music'),
      loop: true,
    });
  }

  private async stopMusic(call: Call): Promise<void> {
    if (!call.music) return;
    const id = call.music;
    call.music = undefined;
    await call.worker.call('stopPlayback', { playbackId: id });
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
    for (const call of this.calls.values()) if (call.customer === endpointId) return call;
    return undefined;
  }

  private publish(
    call: Call,
    e:
      | { type: 'call.held' | 'call.resumed'; userId: string }
      | {
          type: 'call.recordingStarted' | 'call.recordingStopped' | 'call.recordingTagged';
          userId: string;
          recordingId: string;
          atMs: number;
        },
  ): void {
    this.bus.publish({
      ...e,
      workspaceId: call.workspaceId,
      entryId: call.id,
      kind: 'voice',
    } as InteractionEvent);
  }
}
