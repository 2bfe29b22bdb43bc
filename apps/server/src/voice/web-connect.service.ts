import { randomUUID } from 'node:crypto';
import type { VoiceOfferFrame, VoiceServerFrame } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { EventBus } from '../events.js';
import type { MediaPool } from '../media/worker/media-pool.js';
import type { MediaWorker } from '../media/worker/media-worker-client.js';

/** The toolbar connection a Web Connect tab signals on. */
export interface VoiceChannel {
  id: string;
  userId: string;
  workspaceId: string;
  send(frame: VoiceServerFrame): void;
}

/** An agent's WebRTC leg in a media worker. */
export interface AgentMedia {
  endpointId: string;
  worker: MediaWorker;
}

/** How a delivered call reaches the agent: straight onto the open leg, or by ringing the tab. */
export type AgentPath = { mode: 'persistent'; media: AgentMedia } | { mode: 'non-persistent' };

/** What call control does when a Web Connect tab answers, hangs up or goes away. */
export interface CallAnswering {
  /** The worker that holds the call's other legs (all legs of a call on one worker). */
  workerFor(interactionId: string): MediaWorker | undefined;
  /** The tab answered a ringing call with this leg; false if the call is no longer there. */
  answered(userId: string, interactionId: string, media: AgentMedia): Promise<boolean>;
  /** The agent hung up in the tab. */
  agentHungUp(userId: string, interactionId: string): Promise<void>;
  /** The agent's voice leg is gone for good (tab closed, worker died) during a call. */
  agentGone(userId: string): Promise<void>;
}

/** A phone that rings for each call (non-persistent Call me to connect). */
export interface PhoneRinger {
  /** Dial the phone for this call; answered, it reports back with `phoneAnswered`. */
  ring(interactionId: string, caller: string): void;
  /** Stop ringing, or hang up the call's phone leg. */
  stop(interactionId: string): void;
}

interface AgentLeg {
  channel: VoiceChannel;
  /** Non-persistent on a phone: what rings it. Otherwise the tab rings. */
  ringer?: PhoneRinger;
  persistent: boolean;
  /** Persistent: the leg for the whole login. Non-persistent: the leg of the call in progress. */
  media: AgentMedia | undefined;
  /** Non-persistent: the call ringing or in progress. */
  callId: string | undefined;
  /** A phone's persistent path: the platform ends its call (a BYE) when the path goes. */
  hangUp?: () => void;
}

/**
 * Web Connect (B3): a browser tab's WebRTC leg becomes the agent's voice path. The leg lives in
 * a media worker, not in the page: its loss is found by RTP inactivity (the worker's watchdog),
 * by the tab's WebSocket closing, or by the worker dying, and each marks the voice lost (B4).
 *
 * Persistent: one leg answered when the tab opens, kept for the whole login; calls are bridged
 * onto it. Non-persistent: the open tab waits; each delivered call rings it, and answering sets
 * up a leg for that call only.
 */
export class WebConnectService {
  private readonly legs = new Map<string, AgentLeg>();
  private readonly unsubscribe: () => void;

  /**
   * `calls`: call control, which in turn delivers calls onto these paths; the two know each
   * other, so it is given as a lookup that the composition root resolves once both exist.
   */
  constructor(
    private readonly pool: MediaPool,
    private readonly acd: AcdService,
    bus: EventBus,
    private readonly log: FastifyBaseLogger,
    private readonly addresses: string[],
    private readonly answering: () => CallAnswering,
  ) {
    // The voice path lasts for the login: signing out ends it, and hangs up the agent's phone.
    this.unsubscribe = bus.subscribe((e) => {
      if (e.type !== 'agent.stateChanged' || e.agent.status.kind !== 'signed_out') return;
      if (!this.legs.has(e.userId)) return;
      this.end(e.userId, 'signed_out')
        .then(() => this.setVoice(e.userId, e.workspaceId, 'none'))
        .catch((err) => this.log.error({ err }, 'voice path not ended'));
    });
    pool.on('event', (e) => {
      if (e.event !== 'mediaTimeout' && e.event !== 'mediaResumed') return;
      const found = this.byEndpoint(e.endpointId);
      if (!found) return;
      const [userId, leg] = found;
      this.setVoice(userId, leg.channel.workspaceId, e.event === 'mediaTimeout' ? 'lost' : 'connected');
    });
    pool.on('lost', ({ owned }) => {
      for (const [userId, leg] of this.legs) {
        if (!leg.media || !owned.includes(leg.media.endpointId)) continue;
        this.legs.delete(userId);
        // A phone on this path (Call me, call-in) is hung up: left up, it would hear silence.
        if (leg.callId) leg.ringer?.stop(leg.callId);
        leg.hangUp?.();
        leg.channel.send({ type: 'voice.ended', reason: 'failed' });
        this.setVoice(userId, leg.channel.workspaceId, 'lost');
        void this.calls.agentGone(userId);
      }
    });
  }

  private get calls(): CallAnswering {
    return this.answering();
  }

  /** How a call for this agent is delivered now, if the agent has Web Connect. */
  pathOf(userId: string): AgentPath | undefined {
    const leg = this.legs.get(userId);
    if (!leg) return undefined;
    if (leg.persistent) return leg.media ? { mode: 'persistent', media: leg.media } : undefined;
    return { mode: 'non-persistent' };
  }

  /** The leg carrying this agent's call now (persistent, or a non-persistent tab that answered). */
  mediaOf(userId: string): AgentMedia | undefined {
    return this.legs.get(userId)?.media;
  }

  async offer(channel: VoiceChannel, frame: VoiceOfferFrame): Promise<void> {
    if (!frame.persistent && frame.interactionId) {
      await this.answerCall(channel, frame, frame.interactionId);
      return;
    }
    const previous = this.legs.get(channel.userId);
    if (previous) await this.end(channel.userId, previous.channel.id === channel.id ? undefined : 'replaced');
    // A first attempt that fails leaves no voice; a failed replacement means the voice is lost.
    const afterFailure = previous ? 'lost' : 'none';
    this.setVoice(channel.userId, channel.workspaceId, 'connecting');
    const media = await this.createLeg(channel, frame, undefined, afterFailure);
    if (!media) return;
    this.legs.set(channel.userId, { channel, persistent: true, media, callId: undefined });
    this.setVoice(channel.userId, channel.workspaceId, 'connected');
  }

  /** A non-persistent tab opened (or came back): it waits, and the agent may take voice calls. */
  async standby(channel: VoiceChannel): Promise<void> {
    const previous = this.legs.get(channel.userId);
    if (previous?.channel.id === channel.id && !previous.persistent) return;
    if (previous) await this.end(channel.userId, previous.channel.id === channel.id ? undefined : 'replaced');
    this.legs.set(channel.userId, { channel, persistent: false, media: undefined, callId: undefined });
    this.setVoice(channel.userId, channel.workspaceId, 'connected');
  }

  /**
   * A phone that called in (B1) or answered Call me to connect (B2) becomes the agent's
   * persistent voice path, replacing any other; `hangUp` ends its call when the path goes
   * (replaced, signed out, shutdown).
   */
  async attachPhone(
    userId: string,
    workspaceId: string,
    media: AgentMedia,
    hangUp: () => void,
  ): Promise<void> {
    const previous = this.legs.get(userId);
    if (previous) await this.end(userId, 'replaced');
    const channel: VoiceChannel = { id: `phone-${media.endpointId}`, userId, workspaceId, send: () => {} };
    this.legs.set(userId, { channel, persistent: true, media, callId: undefined, hangUp });
    this.setVoice(userId, workspaceId, 'connected');
  }

  /** Non-persistent Call me to connect: the agent's phone rings for each call from now on. */
  async attachRinger(userId: string, workspaceId: string, ringer: PhoneRinger): Promise<void> {
    const previous = this.legs.get(userId);
    if (previous) await this.end(userId, 'replaced');
    const channel: VoiceChannel = { id: `ringer-${randomUUID()}`, userId, workspaceId, send: () => {} };
    this.legs.set(userId, { channel, ringer, persistent: false, media: undefined, callId: undefined });
    this.setVoice(userId, workspaceId, 'connected');
  }

  /** The agent's phone answered the call it rang for: the customer is connected on that leg. */
  async phoneAnswered(userId: string, interactionId: string, media: AgentMedia): Promise<void> {
    const leg = this.legs.get(userId);
    if (!leg?.ringer || leg.callId !== interactionId || leg.media) {
      await media.worker.call('destroy', { id: media.endpointId }).catch(() => undefined);
      return;
    }
    leg.media = media;
    const taken = await this.calls.answered(userId, interactionId, media).catch((err) => {
      this.log.error({ err, interactionId }, 'answering a call failed');
      return false;
    });
    if (!taken) await this.callEnded(userId, interactionId);
  }

  /**
   * A phone hung up. Its persistent voice path is lost; a non-persistent phone hanging up ends
   * the call it carried, as the agent's Hang Up would.
   */
  async phoneGone(userId: string, endpointId: string): Promise<void> {
    const leg = this.legs.get(userId);
    if (leg?.media?.endpointId !== endpointId) return;
    if (!leg.persistent && leg.callId) {
      await this.calls.agentHungUp(userId, leg.callId);
      return;
    }
    this.legs.delete(userId);
    await this.calls.agentGone(userId);
    this.setVoice(userId, leg.channel.workspaceId, 'lost');
  }

  /**
   * Non-persistent: a call is offered to this agent; their tab rings (or their phone). `placed`:
   * a call the agent is placing, which the tab connects without asking.
   */
  ring(userId: string, interactionId: string, caller: string, campaignName: string, placed = false): boolean {
    const leg = this.legs.get(userId);
    if (!leg || leg.persistent || leg.callId) return false;
    leg.callId = interactionId;
    if (leg.ringer) leg.ringer.ring(interactionId, caller);
    else
      leg.channel.send({
        type: 'voice.ring',
        interactionId,
        caller,
        campaignName,
        ...(placed && { placed }),
      });
    return true;
  }

  /** Non-persistent: the offer went away before the tab answered (ring timeout, caller hung up). */
  stopRinging(userId: string, interactionId: string): void {
    const leg = this.legs.get(userId);
    if (!leg || leg.callId !== interactionId || leg.media) return;
    leg.callId = undefined;
    leg.ringer?.stop(interactionId);
    leg.channel.send({ type: 'voice.ringStopped', interactionId });
  }

  /** The call is over. Non-persistent: its leg goes, and the tab waits for the next call. */
  async callEnded(userId: string, interactionId: string): Promise<void> {
    const leg = this.legs.get(userId);
    if (!leg || leg.persistent || leg.callId !== interactionId) return;
    const media = leg.media;
    leg.media = undefined;
    leg.callId = undefined;
    leg.ringer?.stop(interactionId);
    leg.channel.send({ type: 'voice.callEnded', interactionId });
    if (media) await media.worker.call('destroy', { id: media.endpointId }).catch(() => undefined);
    // The tab is still open and waiting, whatever became of that call's leg.
    this.setVoice(userId, leg.channel.workspaceId, 'connected');
  }

  /** The agent hung up in the Web Connect tab. */
  async hangup(channel: VoiceChannel): Promise<void> {
    const leg = this.legs.get(channel.userId);
    if (leg?.channel.id !== channel.id) return;
    if (!leg.persistent && leg.callId && leg.media) {
      await this.calls.agentHungUp(channel.userId, leg.callId);
      return;
    }
    await this.end(channel.userId);
    this.setVoice(channel.userId, channel.workspaceId, 'none');
  }

  /** The tab's WebSocket closed: a closed or crashed tab loses the voice path. */
  async channelClosed(channel: VoiceChannel): Promise<void> {
    if (this.legs.get(channel.userId)?.channel.id !== channel.id) return;
    await this.end(channel.userId);
    this.setVoice(channel.userId, channel.workspaceId, 'lost');
  }

  private async answerCall(channel: VoiceChannel, frame: VoiceOfferFrame, interactionId: string) {
    const leg = this.legs.get(channel.userId);
    if (
      !leg ||
      leg.channel.id !== channel.id ||
      leg.persistent ||
      leg.callId !== interactionId ||
      leg.media
    ) {
      channel.send({
        type: 'voice.failed',
        requestId: frame.requestId,
        code: 'VOICE_UNAVAILABLE',
        message: 'That call is no longer ringing',
      });
      return;
    }
    const media = await this.createLeg(channel, frame, this.calls.workerFor(interactionId), 'connected');
    if (!media) return;
    leg.media = media;
    const taken = await this.calls.answered(channel.userId, interactionId, media).catch((err) => {
      this.log.error({ err, interactionId }, 'answering a call failed');
      return false;
    });
    if (!taken) await this.callEnded(channel.userId, interactionId);
  }

  private async createLeg(
    channel: VoiceChannel,
    frame: VoiceOfferFrame,
    preferred: MediaWorker | undefined,
    voiceAfterFailure: 'none' | 'lost' | 'connected',
  ): Promise<AgentMedia | undefined> {
    let worker: MediaWorker;
    try {
      worker = preferred?.isAlive ? preferred : this.pool.pick();
    } catch (err) {
      this.fail(channel, frame.requestId, 'VOICE_UNAVAILABLE', (err as Error).message, voiceAfterFailure);
      return undefined;
    }
    const endpointId = `agent-${randomUUID()}`;
    try {
      const { answerSdp } = await worker.call('createWebRtcEndpoint', {
        endpointId,
        offerSdp: frame.sdp,
        addresses: this.addresses,
      });
      channel.send({ type: 'voice.answer', requestId: frame.requestId, sdp: answerSdp });
      return { endpointId, worker };
    } catch (err) {
      this.fail(channel, frame.requestId, 'VOICE_BAD_OFFER', (err as Error).message, voiceAfterFailure);
      return undefined;
    }
  }

  /** Every agent's voice path ends (shutdown): phones are hung up. */
  async stop(): Promise<void> {
    this.unsubscribe();
    for (const userId of [...this.legs.keys()]) await this.end(userId);
  }

  private async end(userId: string, tell?: 'replaced' | 'signed_out'): Promise<void> {
    const leg = this.legs.get(userId);
    if (!leg) return;
    this.legs.delete(userId);
    if (leg.callId) leg.ringer?.stop(leg.callId);
    leg.hangUp?.();
    if (tell) leg.channel.send({ type: 'voice.ended', reason: tell });
    if (leg.media) {
      await leg.media.worker.call('destroy', { id: leg.media.endpointId }).catch(() => undefined);
      await this.calls.agentGone(userId);
    }
  }

  private byEndpoint(endpointId: string): [string, AgentLeg] | undefined {
    for (const entry of this.legs) if (entry[1].media?.endpointId === endpointId) return entry;
    return undefined;
  }

  private fail(
    channel: VoiceChannel,
    requestId: string,
    code: 'VOICE_UNAVAILABLE' | 'VOICE_BAD_OFFER',
    message: string,
    voice: 'none' | 'lost' | 'connected',
  ) {
    this.log.warn({ userId: channel.userId, code, message }, 'web connect failed');
    channel.send({ type: 'voice.failed', requestId, code, message });
    this.setVoice(channel.userId, channel.workspaceId, voice);
  }

  private setVoice(userId: string, workspaceId: string, voice: 'none' | 'connecting' | 'connected' | 'lost') {
    this.acd
      .setVoice(userId, workspaceId, voice)
      .catch((err) => this.log.error({ err }, 'voice state not saved'));
  }
}
