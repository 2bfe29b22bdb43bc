import { randomUUID } from 'node:crypto';
import { type DialProgress, MAX_DIAL_DIGITS, type PlaceCallBody, type PlacedCall } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Db } from '../db/database.js';
import type { EventBus, InteractionEvent } from '../events.js';
import { AppError } from '../http/app-error.js';
import type { PlaySource } from '../media/worker/rpc.js';
import { Call } from './call/call.js';
import { type CallEvent, publishOnCall } from './call/call-events.js';
import { type CallRegistry, IN_CONVERSATION } from './call/call-registry.js';
import type { CallRecordings } from './call-recordings.js';
import { dialFailure, type Outbound, type PhoneRoute } from './outbound.js';
import type { Playback } from './playback.js';
import type { AgentMedia, WebConnectService } from './web-connect.service.js';

/** What a number to call may hold besides digits: a leading +, spaces, dashes, dots, brackets. */
const NUMBER_TEXT = /^\+?[\d\s().-]+$/;

/** A call being placed, until it is answered (then it is a `Call` in the registry) or fails. */
interface Dialling {
  /** The calling agent and their interaction. */
  userId: string;
  entryId: string;
  workspaceId: string;
  to: string;
  /** The caller's voice path: at once when it is persistent, else once their tab or phone answers. */
  media: AgentMedia | undefined;
  mediaReady?: (media: AgentMedia | undefined) => void;
  /** The ringback the caller hears meanwhile. */
  ringback: string | undefined;
  /** Gives up: a CANCEL to the number, or the colleague's offer taken back. */
  cancel: () => void;
  cancelled: boolean;
  /** An Agent Call: the colleague, their offered interaction, and their leg once they answer. */
  callee?: { userId: string; name: string; entryId: string | undefined; media: AgentMedia | undefined };
  call?: Call;
}

export interface PlacedCallsDeps {
  db: Db;
  acd: AcdService;
  calls: CallRegistry;
  webConnect: WebConnectService;
  bus: EventBus;
  log: FastifyBaseLogger;
  playback: Playback;
  recordings: CallRecordings;
  /** Calls to numbers, when SIP runs here. */
  outbound: Outbound | undefined;
  holdMusic: PlaySource;
}

/** A sentence for the card: "The line is busy". */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Calls agents place from the toolbar: a Manual Call to a number (F1) and an Agent Call to a
 * colleague who is Available (F3). The interaction is on the caller's toolbar at once, showing
 * its progress (dialling, ringing with ringback in the agent's ear, answered) or why it failed,
 * in words. Answered, the call is a `Call` in the registry like any other: the dialled leg is
 * its customer (hold, recording, transfer, hang-up as on inbound calls); an Agent Call bridges
 * the two agents. docs/call-model.md.
 */
export class PlacedCalls {
  /** Calls still dialling, by the caller's interaction and by an Agent Call's offer. */
  private readonly dialling = new Map<string, Dialling>();
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: PlacedCallsDeps) {
    this.unsubscribe = deps.bus.subscribe((e) => {
      if (!e.type.startsWith('interaction.') || !('entryId' in e)) return;
      const d = this.dialling.get(e.entryId);
      if (d)
        this.onEvent(d, e as InteractionEvent).catch((err) =>
          deps.log.error({ err, event: e.type }, 'placed call control failed'),
        );
    });
  }

  /** Whether call control should leave this interaction's events to us (it is still dialling). */
  owns(entryId: string): boolean {
    return this.dialling.has(entryId);
  }

  /** A Manual Call or an Agent Call from `userId`; answers at once, the dialling goes on. */
  async place(userId: string, workspaceId: string, body: PlaceCallBody): Promise<PlacedCall> {
    const media = this.voicePath(userId);
    if (body.type === 'agent') return this.callAgent(userId, workspaceId, body.agentId, media);
    if (!this.deps.acd.dialCampaigns(userId).some((c) => c.id === body.campaignId))
      throw new AppError('CAMPAIGN_NOT_ASSIGNED', 'That campaign is not a voice campaign of your teams');
    const route = await this.routeFor(workspaceId, body.number, body.campaignId);
    const details = { customerPhone: route.to, platformPhone: route.callerId };
    const { id } = await this.deps.acd.place(userId, {
      workspaceId,
      campaignId: body.campaignId,
      callType: 'manual',
      label: body.label ?? route.to,
      call: details,
      dial: { state: 'dialling', to: route.to },
    });
    this.start({ userId, workspaceId, entryId: id, media, route, callType: 'manual' });
    return { interactionId: id, to: route.to };
  }

  /**
   * A number dialled on an interaction the agent already has (a preview lead's): checked as a
   * Manual Call's is, then dialled the same way; the card shows the dialling.
   */
  async dialOn(
    userId: string,
    workspaceId: string,
    entry: { id: string; campaignId: string },
    number: string,
  ): Promise<{ to: string; callerId: string | null }> {
    const media = this.voicePath(userId);
    const route = await this.routeFor(workspaceId, number, entry.campaignId);
    await this.deps.acd.annotate(userId, entry.id, { dial: { state: 'dialling', to: route.to } });
    this.start({ userId, workspaceId, entryId: entry.id, media, route, callType: 'preview' });
    return { to: route.to, callerId: route.callerId };
  }

  /** The dialling of a number begins, in the background: its course shows on the card. */
  private start(o: {
    userId: string;
    workspaceId: string;
    entryId: string;
    media: AgentMedia | undefined;
    route: PhoneRoute;
    callType: 'manual' | 'preview';
  }): void {
    const { userId, workspaceId, entryId, route } = o;
    this.publish(workspaceId, entryId, {
      type: 'interaction.placed',
      userId,
      to: route.to,
      callType: o.callType,
    });
    const control: { cancel?: () => void } = {};
    const d: Dialling = {
      userId,
      entryId,
      workspaceId,
      to: route.to,
      media: o.media,
      ringback: undefined,
      cancelled: false,
      cancel: () => {
        d.cancelled = true;
        control.cancel?.();
      },
    };
    this.dialling.set(entryId, d);
    void this.dial(d, route, control).catch((err) => {
      this.deps.log.error({ err, entryId }, 'the call could not be placed');
      return this.failed(d, 'the call could not be placed', null);
    });
  }

  /** Dial pad keys during a call, to the far end as RFC 4733 events. */
  async sendDigits(userId: string, entryId: string, digits: string): Promise<void> {
    const call = this.deps.calls.owned(userId, entryId, IN_CONVERSATION, 'The dial pad', { customer: true });
    const leg = call.customer as NonNullable<typeof call.customer>;
    for (const digit of digits.toUpperCase())
      await leg.worker.call('sendDtmf', { endpointId: leg.endpointId, digit });
  }

  /** The agent's voice path went: a call they are placing, or being called on, comes to nothing. */
  async agentGone(userId: string): Promise<void> {
    for (const d of new Set(this.dialling.values())) {
      if (d.userId === userId) {
        await this.giveUp(d);
        await this.deps.acd.end(userId, d.entryId, 'system').catch(() => undefined);
      } else if (d.callee?.userId === userId) {
        await this.failed(d, `${d.callee.name}’s connection was lost`, null);
      }
    }
  }

  /** Shutdown: every call still dialling is given up. */
  async stop(): Promise<void> {
    this.unsubscribe();
    for (const d of new Set(this.dialling.values())) await this.giveUp(d);
  }

  /**
   * The agent's voice path: persistent, the call is bridged onto it; non-persistent (a waiting
   * Web Connect tab, a phone called for each call), undefined: it is connected for this call.
   */
  private voicePath(userId: string): AgentMedia | undefined {
    const path = this.deps.webConnect.pathOf(userId);
    if (!path) throw new AppError('VOICE_NOT_CONNECTED', 'Connect Voice before making a call');
    return path.mode === 'persistent' ? path.media : undefined;
  }

  /**
   * The caller's voice path for this call. A non-persistent one is connected first: the tab
   * connects by itself, a phone rings (the agent answers it). Undefined if the call was given up.
   */
  private async callerMedia(d: Dialling, campaignName: string): Promise<AgentMedia | undefined> {
    if (d.media) return d.media;
    const ready = new Promise<AgentMedia | undefined>((resolve) => {
      d.mediaReady = resolve;
    });
    if (!this.deps.webConnect.ring(d.userId, d.entryId, d.to, campaignName, true)) {
      await this.failed(d, 'your voice connection is busy with another call', null);
      return undefined;
    }
    return ready;
  }

  /** The number checked as typed, then by the dial plan; the campaign's caller ID presented. */
  private async routeFor(workspaceId: string, number: string, campaignId: string): Promise<PhoneRoute> {
    const text = number.trim();
    if (!/^sip:/i.test(text)) {
      if (!NUMBER_TEXT.test(text))
        throw new AppError(
          'NUMBER_INVALID',
          `"${text}" is not a phone number: use digits, and + for the country`,
        );
      const digits = text.replace(/\D/g, '').length;
      if (digits > MAX_DIAL_DIGITS)
        throw new AppError('NUMBER_INVALID', `A phone number has at most ${MAX_DIAL_DIGITS} digits`);
    }
    const { outbound } = this.deps;
    if (!outbound) throw new AppError('NO_ROUTE', 'Calls to numbers need SIP on this server');
    const campaign = await this.deps.db
      .selectFrom('campaigns')
      .select('caller_id')
      .where('id', '=', campaignId)
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (!campaign)
      throw new AppError('CAMPAIGN_NOT_ASSIGNED', 'That campaign is not a voice campaign of your teams');
    return outbound.route(workspaceId, text, campaign.caller_id);
  }

  /** Rings the number for the campaign's ring time; answered, the call is bridged and recorded. */
  private async dial(d: Dialling, route: PhoneRoute, control: { cancel?: () => void }): Promise<void> {
    const outbound = this.deps.outbound as Outbound;
    const campaign = await this.deps.db
      .selectFrom('queue_entries')
      .innerJoin('campaigns', 'campaigns.id', 'queue_entries.campaign_id')
      .select(['campaigns.ring_seconds', 'campaigns.name'])
      .where('queue_entries.id', '=', d.entryId)
      .executeTakeFirstOrThrow();
    const media = await this.callerMedia(d, campaign.name);
    if (!media || d.cancelled) return;
    const endpointId = `outbound-${randomUUID()}`;
    const result = await outbound.dial(route, endpointId, {
      ringMs: campaign.ring_seconds * 1000,
      control,
      worker: media.worker,
      progress: (status) => {
        if (status === 180 || status === 183) void this.ringing(d);
      },
    });
    await this.stopRingback(d);
    if (!result.ok) {
      if (!d.cancelled) await this.failed(d, dialFailure(result.status, result.reason), result.status);
      return;
    }
    const { dialogKey, leg } = result;
    const hangUp = () => outbound.hangUp(dialogKey);
    if (d.cancelled) {
      // Answered just as the agent gave up: the far end is hung up at once.
      await hangUp().catch(() => undefined);
      await leg.worker.call('destroy', { id: leg.endpointId }).catch(() => undefined);
      return;
    }
    const call = new Call(
      d.entryId,
      d.workspaceId,
      {
        caller: { send: () => undefined, close: () => void hangUp().catch(() => undefined) },
        web: false,
        ...leg,
      },
      this.deps.holdMusic,
    );
    call.offeredTo = d.userId;
    // Registered before anything else waits: a BYE from the far end finds the call from now on.
    this.deps.calls.add(d.entryId, call);
    this.dialling.delete(d.entryId);
    const { userId, entryId } = d;
    if (!(await call.bridge({ id: entryId, label: '', userId, entryId }, media))) return;
    await this.answered(call, d);
  }

  /** An Agent Call: the colleague is offered it like a call, the caller hears ringback meanwhile. */
  private async callAgent(
    userId: string,
    workspaceId: string,
    agentId: string,
    media: AgentMedia | undefined,
  ): Promise<PlacedCall> {
    const { acd } = this.deps;
    const target = acd.transferTargets(workspaceId, userId).find((a) => a.id === agentId);
    if (!target) throw new AppError('AGENT_UNAVAILABLE', 'That agent is not available for a call now');
    const campaign = acd.dialCampaigns(userId)[0];
    if (!campaign)
      throw new AppError(
        'CAMPAIGN_NOT_ASSIGNED',
        'Agent Calls are recorded under a voice campaign of your teams',
      );
    const { id } = await acd.place(userId, {
      workspaceId,
      campaignId: campaign.id,
      callType: 'agent',
      label: target.name,
      dial: { state: 'ringing', to: target.name },
    });
    this.publish(workspaceId, id, { type: 'interaction.placed', userId, to: target.name, callType: 'agent' });
    const callee: NonNullable<Dialling['callee']> = {
      userId: target.id,
      name: target.name,
      entryId: undefined,
      media: undefined,
    };
    const d: Dialling = {
      userId,
      entryId: id,
      workspaceId,
      to: target.name,
      media,
      ringback: undefined,
      cancelled: false,
      callee,
      cancel: () => {
        d.cancelled = true;
        if (!callee.entryId) return;
        this.deps.webConnect.stopRinging(callee.userId, callee.entryId);
        void acd.customerLeft(callee.entryId, 'agent').catch(() => undefined);
      },
    };
    this.dialling.set(id, d);
    void this.offerToColleague(d, callee, campaign).catch(async (err) => {
      const reason = err instanceof AppError ? err.message : 'the call could not be placed';
      if (!(err instanceof AppError)) this.deps.log.error({ err, entryId: id }, 'agent call failed');
      await this.failed(d, reason, null);
    });
    return { interactionId: id, to: target.name };
  }

  /** The colleague's own interaction, offered to them only; it beeps or rings by their path. */
  private async offerToColleague(
    d: Dialling,
    callee: NonNullable<Dialling['callee']>,
    campaign: { id: string; name: string },
  ) {
    const { acd, webConnect, db } = this.deps;
    if (!(await this.callerMedia(d, campaign.name)) || d.cancelled) return;
    const me = await db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', d.userId)
      .executeTakeFirstOrThrow();
    await this.ringing(d);
    const { id } = await acd.offerTo(callee.userId, {
      workspaceId: d.workspaceId,
      campaignId: campaign.id,
      label: me.display_name,
      transferredBy: me.display_name,
      callType: 'agent',
    });
    callee.entryId = id;
    this.dialling.set(id, d);
    if (d.cancelled) return d.cancel();
    const path = webConnect.pathOf(callee.userId);
    if (path?.mode === 'persistent') {
      callee.media = path.media;
      await this.deps.playback.playAndWait(path.media.worker, path.media.endpointId, 'beep');
      await acd.accept(callee.userId, id);
      return;
    }
    webConnect.ring(callee.userId, id, me.display_name, campaign.name);
  }

  /**
   * A non-persistent voice path answered for a placed call: the caller's own (their tab connected,
   * their phone answered), or the colleague's for an Agent Call that rang them.
   */
  async answeredByTab(userId: string, entryId: string, media: AgentMedia): Promise<boolean> {
    const d = this.dialling.get(entryId);
    if (d && d.userId === userId && d.entryId === entryId && !d.media) {
      d.media = media;
      d.mediaReady?.(media);
      return true;
    }
    if (!d?.callee || d.callee.userId !== userId || d.callee.entryId !== entryId) return false;
    d.callee.media = media;
    await this.deps.acd.accept(userId, entryId);
    return true;
  }

  private async onEvent(d: Dialling, e: InteractionEvent): Promise<void> {
    const calleeEntry = d.callee?.entryId;
    if (e.entryId === d.entryId && e.type === 'interaction.ended') {
      // The caller hung up before the far end answered: the dialling stops.
      await this.giveUp(d);
      return;
    }
    if (e.entryId !== calleeEntry || !d.callee) return;
    if (e.type === 'interaction.withdrawn' || e.type === 'interaction.abandoned') {
      if (!d.cancelled) await this.failed(d, `${d.callee.name} did not answer`, null);
      return;
    }
    if (e.type === 'interaction.accepted') await this.connectAgents(d);
  }

  /** The colleague answered: both agents into one bridge, recorded. */
  private async connectAgents(d: Dialling): Promise<void> {
    const callee = d.callee;
    const media = callee?.media ?? (callee && this.deps.webConnect.mediaOf(callee.userId));
    const mine = d.media;
    if (!callee?.entryId || !media || !mine) return;
    await this.stopRingback(d);
    const call = new Call(d.entryId, d.workspaceId, undefined, this.deps.holdMusic, undefined, mine.worker);
    this.dialling.delete(d.entryId);
    this.dialling.delete(callee.entryId);
    this.deps.calls.add(d.entryId, call);
    this.deps.calls.add(callee.entryId, call);
    const me = { id: d.entryId, label: callee.name, userId: d.userId, entryId: d.entryId, media: mine };
    const them = { id: callee.entryId, label: d.to, userId: callee.userId, entryId: callee.entryId, media };
    if (!(await call.connectAgents(me, them))) return;
    await this.answered(call, d);
  }

  /** In conversation: recorded, and the caller's card says answered. */
  private async answered(call: Call, d: Dialling): Promise<void> {
    await this.deps.recordings.start(call, d.userId);
    if (!call.connected()) return;
    await this.annotate(d, { state: 'answered', to: d.to });
    publishOnCall(this.deps.bus, call, { type: 'call.answered', userId: d.userId, to: d.to }, d.entryId);
  }

  /** The far end rings: the caller hears ringback and the card says so. */
  private async ringing(d: Dialling): Promise<void> {
    const media = d.media;
    if (d.ringback || d.cancelled || !media) return;
    const playbackId = `ringback-${randomUUID()}`;
    d.ringback = playbackId;
    await this.annotate(d, { state: 'ringing', to: d.to });
    await media.worker
      .call('play', {
        playbackId,
        endpointId: media.endpointId,
        source: this.deps.playback.sound('ringback'),
        loop: true,
      })
      .catch((err) => this.deps.log.warn({ err }, 'ringback not played'));
  }

  private async stopRingback(d: Dialling): Promise<void> {
    const id = d.ringback;
    if (!id || !d.media) return;
    d.ringback = undefined;
    await d.media.worker.call('stopPlayback', { playbackId: id }).catch(() => undefined);
  }

  /** The call came to nothing: the card says why, the record keeps it, and the agent wraps it. */
  private async failed(d: Dialling, reason: string, status: number | null): Promise<void> {
    if (!this.forget(d)) return;
    await this.release(d);
    const words = sentence(reason);
    await this.annotate(d, { state: 'failed', to: d.to, reason: words });
    this.publish(d.workspaceId, d.entryId, {
      type: 'call.dialFailed',
      userId: d.userId,
      to: d.to,
      reason: words,
      status,
    });
    await this.deps.acd.end(d.userId, d.entryId, 'system').catch(() => undefined);
  }

  /** The caller gave up (or went away) before an answer. */
  private async giveUp(d: Dialling): Promise<void> {
    if (!this.forget(d)) return;
    await this.release(d);
  }

  /** What the dialling held: the far end (a CANCEL, or the offer taken back), ringback, a voice path made for it. */
  private async release(d: Dialling): Promise<void> {
    d.cancel();
    d.mediaReady?.(undefined);
    await this.stopRingback(d);
    this.deps.webConnect.stopRinging(d.userId, d.entryId);
    await this.deps.webConnect.callEnded(d.userId, d.entryId);
  }

  /** Takes the call out of the dialling; false when it was out already. */
  private forget(d: Dialling): boolean {
    if (this.dialling.get(d.entryId) !== d) return false;
    this.dialling.delete(d.entryId);
    if (d.callee?.entryId) this.dialling.delete(d.callee.entryId);
    return true;
  }

  private annotate(d: Dialling, dial: DialProgress): Promise<unknown> {
    return this.deps.acd.annotate(d.userId, d.entryId, { dial });
  }

  private publish(workspaceId: string, entryId: string, e: CallEvent) {
    this.deps.bus.publish({ ...e, workspaceId, entryId, kind: 'voice' } as InteractionEvent);
  }
}
