import { randomUUID } from 'node:crypto';
import type { ConsultBody, ConsultLine, TransferBody } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus, InteractionEvent } from '../events.js';
import { AppError } from '../http/app-error.js';
import { IvrRunner } from '../ivr/ivr-runner.js';
import type { Call, PartySpec } from './call/call.js';
import { publishOnCall } from './call/call-events.js';
import type { CallRegistry } from './call/call-registry.js';
import { dialFailure, type Outbound } from './outbound.js';
import type { Playback } from './playback.js';
import type { AgentMedia, WebConnectService } from './web-connect.service.js';

/** Why a transfer the agent gave up (hung up its second line while it rang) did not happen. */
const CANCELLED = 'the transfer was cancelled';

/** How long a number rings before a transfer or consult to it gives up, by default. */
export const TRANSFER_RING_MS = 30_000;

type Target = TransferBody | ConsultBody;
type Mode = 'transfer' | 'consult';
type NumberTarget = Extract<Target, { type: 'number' }>;

/** An agent being offered a transfer or consult: settled by their answer or its withdrawal. */
interface AgentOffer {
  call: Call;
  /** The agent it rings: named (a directed offer), or whoever the queue offers it to (routed). */
  toUserId: string;
  routed: boolean;
  /** Who transferred it, as the ringing tab says. */
  name: string;
  settle: (outcome: AgentMedia | AppError) => void;
}

/** A second line being set up on a call: what cancels it (hang-up while it rings). */
interface Setup {
  label: string;
  cancel: () => void;
}

export interface CallTransfersDeps {
  db: Db;
  acd: AcdService;
  calls: CallRegistry;
  webConnect: WebConnectService;
  bus: EventBus;
  log: FastifyBaseLogger;
  /** Calls the platform places, when SIP runs here. */
  outbound: Outbound | undefined;
  /** How long a number rings before it counts as not answering. */
  ringMs: number;
  /** Ends every agent's interaction on the call and the call itself (the call control's own end). */
  finish(call: Call, reason: string): Promise<void>;
  /** The customer, after the call, into an IVR workflow. */
  toWorkflow(call: Call, workflowId: string): Promise<void>;
  /** An offer event that came before the offer was known here, handled again. */
  replay(entryId: string): Promise<void>;
  /** Stock prompts, played into a call's bridge for an assisted transfer. */
  playback: Playback;
  clock: Clock;
  /** A notice on the agent's toolbar (an assisted transfer that failed after its request). */
  tell(userId: string, text: string): Promise<void>;
}

/**
 * Moves on a live call that bring in another party: blind transfer (to an agent, a number or a
 * workflow), consult, switching lines, Merge Lines, hanging up the consulted party, and the agent
 * leaving a conference. Each acts on a `Call` from the registry; the ACD carries the agents'
 * interactions (a directed offer to the agent called in) and the toolbar sees the second line
 * on the agent's interaction (`consult`).
 */
export class CallTransfers {
  /** Agents offered a transfer or consult, by their new interaction. */
  private readonly offers = new Map<string, AgentOffer>();
  /** Second lines being set up, by call: one at a time. */
  private readonly setups = new Map<Call, Setup>();
  /** Calls an agent is guiding through a workflow (assisted transfer): its run. */
  private readonly guided = new Map<Call, IvrRunner>();

  constructor(private readonly deps: CallTransfersDeps) {}

  async transfer(userId: string, callId: string, body: TransferBody): Promise<void> {
    const call = this.deps.calls.owned(userId, callId, ['connected', 'held'], 'Transfer', { customer: true });
    if (body.type === 'workflow') {
      const workflow = await this.deps.db
        .selectFrom('workflows')
        .select(['id', 'name'])
        .where('id', '=', body.workflowId)
        .where('workspace_id', '=', call.workspaceId)
        .executeTakeFirst();
      if (!workflow) throw new AppError('NOT_FOUND', 'That workflow does not exist');
      publishOnCall(
        this.deps.bus,
        call,
        { type: 'call.transferred', userId, target: 'workflow', to: workflow.name },
        callId,
      );
      await this.deps.toWorkflow(call, workflow.id);
      return;
    }
    const party = await this.secondLine(call, userId, callId, body, 'transfer');
    await call.handOver(party);
    await this.annotate(userId, callId, null);
    publishOnCall(
      this.deps.bus,
      call,
      {
        type: 'call.transferred',
        userId,
        target: body.type,
        to: party.label,
      },
      callId,
    );
    // The agent who transferred the call wraps it; the call goes on without them.
    await this.deps.acd.end(userId, callId, 'agent');
    await this.deps.webConnect.callEnded(userId, callId);
  }

  async consult(userId: string, callId: string, body: ConsultBody): Promise<void> {
    const call = this.deps.calls.owned(userId, callId, ['connected', 'held'], 'Consult', { customer: true });
    if (this.setups.has(call)) throw new AppError('INTERACTION_STATE', 'A transfer is already under way');
    if (call.state === 'held') {
      await call.resume();
      await this.deps.acd.annotate(userId, callId, { held: false });
    }
    if (body.type === 'workflow') {
      await this.assisted(call, userId, callId, body.workflowId);
      return;
    }
    const party = await this.secondLine(call, userId, callId, body, 'consult');
    await call.consult(party);
    await this.annotate(userId, callId, this.lineOf(call));
    publishOnCall(this.deps.bus, call, { type: 'call.consultStarted', userId, to: party.label });
  }

  async switchLine(userId: string, callId: string, line: 'customer' | 'consulted'): Promise<void> {
    const call = this.deps.calls.owned(userId, callId, ['consulting'], 'Switching lines');
    if (line === 'customer' && !call.customer)
      throw new AppError('INTERACTION_STATE', 'The customer has hung up');
    await call.switchLine(line);
    await this.annotate(userId, callId, this.lineOf(call));
    publishOnCall(this.deps.bus, call, { type: 'call.linesSwitched', userId, line });
  }

  async merge(userId: string, callId: string): Promise<void> {
    const call = this.deps.calls.owned(userId, callId, ['consulting'], 'Merge Lines');
    if (!call.customer) throw new AppError('INTERACTION_STATE', 'The customer has hung up');
    await call.merge();
    await this.annotate(userId, callId, this.lineOf(call));
    publishOnCall(this.deps.bus, call, { type: 'call.merged', userId, to: call.consulted?.label ?? '' });
  }

  /** The agent hangs up the consulted party (or stops it ringing): back to the customer. */
  async hangUpConsulted(userId: string, callId: string): Promise<void> {
    const call = this.deps.calls.get(callId);
    const setup = call && this.setups.get(call);
    if (call && setup && call.owner?.userId === userId) {
      setup.cancel();
      return;
    }
    const own = this.deps.calls.owned(
      userId,
      callId,
      ['consulting', 'conference'],
      'Hanging up the second line',
    );
    const consulted = own.consulted;
    if (!consulted) throw new AppError('INTERACTION_STATE', 'There is no second line');
    await this.partyLeft(own, consulted, 'the agent hung up');
    if (consulted.userId && consulted.entryId)
      await this.deps.acd.end(consulted.userId, consulted.entryId, 'agent').catch(() => undefined);
  }

  /**
   * The agent leaves a consult or conference: the customer and the other party talk on (an
   * agent consulted has the call now: the attended transfer completes); the agent wraps.
   */
  async leave(userId: string, callId: string): Promise<void> {
    const call = this.deps.calls.owned(userId, callId, ['consulting', 'conference'], 'Leaving the call');
    if (!call.customer && call.state === 'consulting')
      throw new AppError('INTERACTION_STATE', 'The customer has hung up: hang up instead');
    await this.agentLeft(call, call.owner as PartySpec, 'the agent left');
    await this.deps.acd.end(userId, callId, 'agent');
    await this.deps.webConnect.callEnded(userId, callId);
  }

  /**
   * An agent's party went (they left, or their voice path died): the others talk on (the
   * consulted party has the call now), or the call ends when one is left.
   */
  async agentLeft(call: Call, party: PartySpec, reason: string): Promise<void> {
    if (party.role === 'consulted') {
      await this.partyLeft(call, party, reason);
      return;
    }
    const ended = await call.leave(party.id, reason);
    if (party.userId && party.entryId) {
      await this.annotate(party.userId, party.entryId, null);
      publishOnCall(this.deps.bus, call, { type: 'call.left', userId: party.userId }, party.entryId);
    }
    const next = call.owner;
    if (next?.userId && next.entryId) await this.annotate(next.userId, next.entryId, null);
    if (ended) await this.deps.finish(call, reason);
  }

  /**
   * The consulted party left (hung up, or was hung up): the call goes back to the agent and the
   * customer, or to the two left in a conference.
   */
  async partyLeft(call: Call, party: PartySpec, reason: string): Promise<void> {
    const owner = call.owner;
    const ended = await call.leave(party.id, reason);
    if (owner?.userId && owner.entryId) {
      await this.annotate(owner.userId, owner.entryId, ended ? null : this.lineOf(call));
      publishOnCall(
        this.deps.bus,
        call,
        {
          type: 'call.consultEnded',
          userId: owner.userId,
          to: party.label,
          reason,
        },
        owner.entryId,
      );
    }
    if (party.userId && party.entryId) await this.deps.webConnect.callEnded(party.userId, party.entryId);
    if (ended) await this.deps.finish(call, reason);
  }

  /** The customer hung up during a consult: the agent talks on with the consulted party. */
  async customerGone(call: Call): Promise<void> {
    const owner = call.owner;
    if (owner?.userId && owner.entryId) await this.annotate(owner.userId, owner.entryId, this.lineOf(call));
  }

  /** A transfer or consult offer's own interaction (the agent called in). */
  isOffer(entryId: string): boolean {
    return this.offers.has(entryId);
  }

  /** The agent called in answers from their Web Connect tab. */
  async answered(userId: string, entryId: string, media: AgentMedia): Promise<boolean> {
    const offer = this.offers.get(entryId);
    if (!offer || offer.toUserId !== userId) return false;
    this.offers.delete(entryId);
    try {
      await this.deps.acd.accept(userId, entryId);
    } catch (err) {
      offer.settle(
        err instanceof AppError ? err : new AppError('TRANSFER_FAILED', 'the agent could not take the call'),
      );
      return true;
    }
    offer.settle(media);
    return true;
  }

  /** What the ACD says about an offer to the agent called in. */
  async onOfferEvent(e: InteractionEvent): Promise<void> {
    const offer = this.offers.get(e.entryId);
    if (!offer) return;
    const { webConnect, acd } = this.deps;
    switch (e.type) {
      case 'interaction.offered': {
        if (offer.routed) offer.toUserId = e.userId;
        const path = webConnect.pathOf(offer.toUserId);
        if (path?.mode === 'persistent') {
          this.offers.delete(e.entryId);
          await acd.accept(offer.toUserId, e.entryId);
          offer.settle(path.media);
          return;
        }
        const label = await this.customerPhone(offer.call);
        webConnect.ring(offer.toUserId, e.entryId, label, `Transfer from ${offer.name}`);
        return;
      }
      case 'interaction.withdrawn':
        webConnect.stopRinging(offer.toUserId, e.entryId);
        // A queued call not answered goes back in the queue for the next agent.
        if (offer.routed) return;
        this.offers.delete(e.entryId);
        offer.settle(new AppError('TRANSFER_FAILED', 'The agent did not answer'));
        return;
      case 'interaction.abandoned':
        this.offers.delete(e.entryId);
        webConnect.stopRinging(offer.toUserId, e.entryId);
        offer.settle(new AppError('TRANSFER_FAILED', 'The agent did not answer'));
        return;
      default:
        return;
    }
  }

  /** Whether a transfer or consult is being set up on the call (its destination ringing). */
  settingUp(call: Call): boolean {
    return this.setups.has(call);
  }

  /** The call ended: second lines being set up are given up (a ringing agent stops ringing). */
  callEnded(call: Call): void {
    this.setups.get(call)?.cancel();
  }

  /**
   * Assisted transfer (a consult to a workflow): the agent stays with the caller through the
   * workflow (its prompts are played into the bridge, so both hear them; the caller's keys, or the
   * agent's, answer them) and, when it queues the caller, through the queue (the two keep
   * talking). The agent who takes the queued call becomes the second line: the caller waits with
   * music while the two agents talk, then the first leaves (or merges). Returns once the workflow
   * runs; the toolbar follows the rest on the agent's interaction.
   */
  private async assisted(call: Call, userId: string, callId: string, workflowId: string): Promise<void> {
    const { db, clock, log, playback } = this.deps;
    const workflow = await db
      .selectFrom('workflows')
      .select(['name', 'definition'])
      .where('id', '=', workflowId)
      .where('workspace_id', '=', call.workspaceId)
      .executeTakeFirst();
    if (!workflow) throw new AppError('NOT_FOUND', 'That workflow does not exist');
    let playing: string | undefined;
    const stop = () => {
      if (playing) void call.worker.call('stopPlayback', { playbackId: playing }).catch(() => undefined);
    };
    const runner = new IvrRunner(
      workflow.definition,
      {
        play: async (prompt) => {
          const id = `assisted-${randomUUID()}`;
          playing = id;
          await playback.untilDone(id, 120_000, () =>
            call.worker.call('playToMixer', {
              playbackId: id,
              mixerId: call.mixer,
              source: playback.sound(`prompts/${prompt}`),
            }),
          );
          playing = undefined;
        },
        stop,
        // A workflow's own transfer to a number is not taken while an agent guides the caller.
        transfer: async () => false,
      },
      clock,
    );
    let queued: string | undefined;
    this.setups.set(call, {
      label: workflow.name,
      cancel: () => {
        runner.abort();
        if (queued) this.dropOffer(queued, CANCELLED);
      },
    });
    this.guided.set(call, runner);
    await this.annotate(userId, callId, { label: workflow.name, state: 'ringing', active: 'customer' });
    publishOnCall(this.deps.bus, call, { type: 'call.consultStarted', userId, to: workflow.name }, callId);
    const failed = async (reason: string, tell = true) => {
      this.setups.delete(call);
      if (call.state === 'ended') return;
      await this.annotate(userId, callId, null);
      publishOnCall(
        this.deps.bus,
        call,
        { type: 'call.transferFailed', userId, to: workflow.name, reason },
        callId,
      );
      if (tell) await this.deps.tell(userId, `Assisted transfer to ${workflow.name}: ${reason}`);
    };
    void (async () => {
      const outcome = await runner.run();
      this.guided.delete(call);
      if (outcome.kind !== 'queue' || call.state === 'ended' || !this.setups.has(call)) {
        // Cancelled by the agent (the run ends as gone): nothing to tell them.
        if (outcome.kind === 'gone') await failed(CANCELLED, false);
        else await failed('the workflow did not queue the call');
        return;
      }
      const details = await this.entryDetails(callId);
      const media = new Promise<AgentMedia | AppError>((settle) => {
        void (async () => {
          const entry = await this.deps.acd.enqueue(
            call.workspaceId,
            { campaignId: outcome.campaignId, label: details.label },
            {
              customerPhone: details.customer_phone ?? details.label,
              platformPhone: details.platform_phone ?? '',
              channelName: details.channel_name ?? '',
              ...(outcome.data !== null && { ivrData: outcome.data }),
            },
          );
          if (!this.setups.has(call)) {
            // Given up while it was being queued: the new interaction goes too.
            await this.deps.acd.customerLeft(entry.id, 'agent');
            settle(new AppError('TRANSFER_FAILED', CANCELLED));
            return;
          }
          queued = entry.id;
          this.offers.set(entry.id, { call, toUserId: '', routed: true, name: '', settle });
          this.deps.calls.add(entry.id, call);
          await this.deps.replay(entry.id);
        })().catch((err) =>
          settle(err instanceof AppError ? err : new AppError('TRANSFER_FAILED', String(err))),
        );
      });
      const answered = await media;
      // The call may have ended while it waited in the queue: the agent who took it is freed.
      if (answered instanceof AppError || !queued || !call.inConversation) {
        if (!(answered instanceof AppError) && queued) await this.endTaken(queued);
        await failed(
          answered instanceof AppError ? answered.message : 'the call ended',
          !this.cancelled(answered),
        );
        return;
      }
      this.setups.delete(call);
      const offer = queued;
      const to = await this.agentOn(offer);
      await call.consult({
        id: offer,
        role: 'consulted',
        label: to.name,
        media: answered,
        userId: to.userId,
        entryId: offer,
      });
      await this.annotate(userId, callId, this.lineOf(call));
    })().catch((err) => {
      log.error({ err, callId }, 'assisted transfer failed');
      void failed('it could not be completed').catch(() => undefined);
    });
  }

  /** Whether a transfer failed because the agent gave it up. */
  private cancelled(outcome: AgentMedia | AppError): boolean {
    return outcome instanceof AppError && outcome.message === CANCELLED;
  }

  /** An interaction an agent took for a call that has gone meanwhile: it ends (wrap-up). */
  private async endTaken(entryId: string): Promise<void> {
    const to = await this.agentOn(entryId).catch(() => undefined);
    if (to) await this.deps.acd.end(to.userId, entryId, 'system').catch(() => undefined);
  }

  /** A queued or offered interaction of a transfer given up: its offer goes, the entry is abandoned. */
  private dropOffer(entryId: string, reason: string): void {
    const offer = this.offers.get(entryId);
    if (!offer) return;
    this.offers.delete(entryId);
    if (offer.toUserId) this.deps.webConnect.stopRinging(offer.toUserId, entryId);
    void this.deps.acd.customerLeft(entryId, 'agent').catch(() => undefined);
    offer.settle(new AppError('TRANSFER_FAILED', reason));
  }

  /** The agent who took an interaction, and their name. */
  private async agentOn(entryId: string): Promise<{ userId: string; name: string }> {
    const row = await this.deps.db
      .selectFrom('queue_entries')
      .innerJoin('users', 'users.id', 'queue_entries.agent_id')
      .select(['users.id', 'users.display_name'])
      .where('queue_entries.id', '=', entryId)
      .executeTakeFirstOrThrow();
    return { userId: row.id, name: row.display_name };
  }

  private entryDetails(entryId: string) {
    return this.deps.db
      .selectFrom('queue_entries')
      .select(['campaign_id', 'label', 'customer_phone', 'platform_phone', 'channel_name', 'transfer_notes'])
      .where('id', '=', entryId)
      .executeTakeFirstOrThrow();
  }

  /** A key for a workflow an agent is guiding the caller through (the caller's or the agent's). */
  digit(endpointId: string, digit: string): boolean {
    for (const [call, runner] of this.guided) {
      if (call.customer?.endpointId === endpointId || call.owner?.media.endpointId === endpointId) {
        runner.digit(digit);
        return true;
      }
    }
    return false;
  }

  /**
   * The second line, answered: an agent (a directed offer, answered on their voice path) or a
   * number (dialled through the dial plan and the trunk, from the call's worker). Meanwhile the
   * agent's toolbar shows it ringing; a failure says why and leaves the agent with the customer.
   */
  private async secondLine(
    call: Call,
    userId: string,
    callId: string,
    target: Exclude<Target, { type: 'workflow' }>,
    mode: Mode,
  ): Promise<PartySpec> {
    if (this.setups.has(call)) throw new AppError('INTERACTION_STATE', 'A transfer is already under way');
    const placing =
      target.type === 'agent' ? await this.agentLine(call, userId, callId, target, mode) : undefined;
    const label = placing ? placing.label : await this.numberLabel(call, target as NumberTarget);
    const ring: ConsultLine = { label, state: 'ringing', active: 'customer' };
    await this.annotate(userId, callId, ring);
    try {
      const party = placing
        ? await placing.answered
        : await this.numberLine(call, target as NumberTarget, label);
      if (call.state === 'ended') {
        if (party.hangUp) await party.hangUp().catch(() => undefined);
        throw new AppError('INTERACTION_STATE', 'The call has ended');
      }
      return party;
    } catch (err) {
      this.setups.delete(call);
      if (call.state !== 'ended') await this.annotate(userId, callId, null);
      const reason = err instanceof AppError ? err.message : 'the transfer failed';
      publishOnCall(this.deps.bus, call, { type: 'call.transferFailed', userId, to: label, reason }, callId);
      throw err instanceof AppError && err.code !== 'TRANSFER_FAILED'
        ? err
        : new AppError('TRANSFER_FAILED', `${label}: ${reason}`);
    } finally {
      this.setups.delete(call);
    }
  }

  /** A directed offer to the agent; `answered` settles when they pick up (or fails). */
  private async agentLine(
    call: Call,
    userId: string,
    callId: string,
    target: Extract<Target, { type: 'agent' }>,
    mode: Mode,
  ): Promise<{ label: string; answered: Promise<PartySpec> }> {
    const { db, acd } = this.deps;
    const users = await db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('workspace_id', '=', call.workspaceId)
      .where('id', 'in', [userId, target.userId])
      .execute();
    const to = users.find((u) => u.id === target.userId);
    if (!to || target.userId === userId) throw new AppError('NOT_FOUND', 'That agent cannot take calls');
    const from = users.find((u) => u.id === userId)?.display_name ?? 'an agent';
    const details = await this.entryDetails(callId);
    let settle!: (outcome: AgentMedia | AppError) => void;
    const media = new Promise<AgentMedia | AppError>((resolve) => {
      settle = resolve;
    });
    const entry = await acd.offerTo(target.userId, {
      workspaceId: call.workspaceId,
      campaignId: details.campaign_id,
      label: details.label,
      transferredBy: from,
      transferredFromEntryId: callId,
      transferNotes: target.notes ?? details.transfer_notes,
      ...(details.customer_phone && {
        call: {
          customerPhone: details.customer_phone,
          platformPhone: details.platform_phone ?? '',
          channelName: details.channel_name ?? '',
        },
      }),
    });
    this.offers.set(entry.id, { call, toUserId: target.userId, routed: false, name: from, settle });
    this.deps.calls.add(entry.id, call);
    await this.deps.replay(entry.id);
    this.setups.set(call, {
      label: to.display_name,
      cancel: () => this.dropOffer(entry.id, CANCELLED),
    });
    const answered = media.then((m) => {
      if (m instanceof AppError) {
        this.deps.calls.forget(entry.id);
        throw m;
      }
      return {
        id: entry.id,
        role: mode === 'transfer' ? 'agent' : 'consulted',
        label: to.display_name,
        media: m,
        userId: target.userId,
        entryId: entry.id,
      } satisfies PartySpec;
    });
    return { label: to.display_name, answered };
  }

  /** A number through the dial plan (refused before anything rings) and the trunk. */
  private async numberLine(call: Call, target: NumberTarget, label: string): Promise<PartySpec> {
    const { outbound } = this.deps;
    if (!outbound) throw new AppError('NO_ROUTE', 'Calls to numbers need SIP on this server');
    const number = await this.numberOf(call, target);
    const campaign = await this.deps.db
      .selectFrom('queue_entries')
      .innerJoin('campaigns', 'campaigns.id', 'queue_entries.campaign_id')
      .select('campaigns.caller_id')
      .where('queue_entries.id', '=', call.id)
      .executeTakeFirst();
    const route = await outbound.route(call.workspaceId, number, campaign?.caller_id);
    const far = `consult-${randomUUID()}`;
    const control: { cancel?: () => void } = {};
    this.setups.set(call, { label, cancel: () => control.cancel?.() });
    const result = await outbound.dial(route, far, {
      ringMs: this.deps.ringMs,
      control,
      worker: call.worker,
    });
    if (!result.ok) throw new AppError('TRANSFER_FAILED', dialFailure(result.status, result.reason));
    const dialogKey = result.dialogKey;
    return {
      id: far,
      role: 'consulted',
      label,
      media: result.leg,
      hangUp: () => outbound.hangUp(dialogKey),
    };
  }

  private async numberOf(call: Call, target: NumberTarget) {
    if ('number' in target) return target.number;
    const row = await this.poolEntry(call, target.destinationId);
    return row.number;
  }

  private async numberLabel(call: Call, target: NumberTarget) {
    if ('number' in target) return target.label ?? target.number.trim();
    return (await this.poolEntry(call, target.destinationId)).name;
  }

  /** A number of the call's campaign's transfer pool. */
  private async poolEntry(call: Call, destinationId: string) {
    const row = await this.deps.db
      .selectFrom('transfer_destinations')
      .innerJoin('queue_entries', 'queue_entries.campaign_id', 'transfer_destinations.campaign_id')
      .select(['transfer_destinations.name', 'transfer_destinations.number'])
      .where('transfer_destinations.id', '=', destinationId)
      .where('queue_entries.id', '=', call.id)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'That number is not in this campaign’s transfer pool');
    return row;
  }

  private async customerPhone(call: Call): Promise<string> {
    const row = await this.deps.db
      .selectFrom('queue_entries')
      .select(['customer_phone', 'label'])
      .where('id', '=', call.id)
      .executeTakeFirst();
    return row?.customer_phone ?? row?.label ?? 'Caller';
  }

  /** The second line as the agent's toolbar shows it. */
  private lineOf(call: Call): ConsultLine | null {
    const consulted = call.consulted;
    if (!consulted) return null;
    const active = call.state === 'conference' ? 'conference' : call.line;
    return { label: consulted.label, state: 'connected', active };
  }

  private annotate(userId: string, entryId: string, consult: ConsultLine | null): Promise<unknown> {
    return this.deps.acd.annotate(userId, entryId, { consult });
  }
}
