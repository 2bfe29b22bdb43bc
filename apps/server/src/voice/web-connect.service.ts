import { randomUUID } from 'node:crypto';
import type { VoiceOfferFrame, VoiceServerFrame } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { MediaPool } from '../media/worker/media-pool.js';
import type { MediaWorker } from '../media/worker/media-worker-client.js';

/** The toolbar connection a Web Connect tab signals on. */
export interface VoiceChannel {
  id: string;
  userId: string;
  workspaceId: string;
  send(frame: VoiceServerFrame): void;
}

interface AgentLeg {
  endpointId: string;
  worker: MediaWorker;
  channel: VoiceChannel;
  persistent: boolean;
}

/**
 * Web Connect (B3): a browser tab's WebRTC leg becomes the agent's voice path. The leg lives in
 * a media worker, not in the page: its loss is found by RTP inactivity (the worker's watchdog),
 * by the tab's WebSocket closing, or by the worker dying, and each marks the voice lost (B4).
 */
export class WebConnectService {
  private readonly legs = new Map<string, AgentLeg>();

  constructor(
    private readonly pool: MediaPool,
    private readonly acd: AcdService,
    private readonly log: FastifyBaseLogger,
    private readonly addresses: string[] = ['127.0.0.1'],
  ) {
    pool.on('event', (e) => {
      if (e.event !== 'mediaTimeout' && e.event !== 'mediaResumed') return;
      const found = [...this.legs.entries()].find(([, leg]) => leg.endpointId === e.endpointId);
      if (!found) return;
      const [userId, leg] = found;
      this.setVoice(userId, leg.channel.workspaceId, e.event === 'mediaTimeout' ? 'lost' : 'connected');
    });
    pool.on('lost', ({ owned }) => {
      for (const [userId, leg] of this.legs) {
        if (!owned.includes(leg.endpointId)) continue;
        this.legs.delete(userId);
        leg.channel.send({ type: 'voice.ended', reason: 'failed' });
        this.setVoice(userId, leg.channel.workspaceId, 'lost');
      }
    });
  }

  async offer(channel: VoiceChannel, frame: VoiceOfferFrame): Promise<void> {
    const previous = this.legs.get(channel.userId);
    if (previous) await this.end(channel.userId, previous.channel.id === channel.id ? undefined : 'replaced');
    // A first attempt that fails leaves no voice; a failed replacement means the voice is lost.
    const afterFailure = previous ? 'lost' : 'none';
    this.setVoice(channel.userId, channel.workspaceId, 'connecting');
    let worker: MediaWorker;
    try {
      worker = this.pool.pick();
    } catch (err) {
      this.fail(channel, frame.requestId, 'VOICE_UNAVAILABLE', (err as Error).message, afterFailure);
      return;
    }
    const endpointId = `agent-${randomUUID()}`;
    try {
      const { answerSdp } = await worker.call('createWebRtcEndpoint', {
        endpointId,
        offerSdp: frame.sdp,
        addresses: this.addresses,
      });
      this.legs.set(channel.userId, { endpointId, worker, channel, persistent: frame.persistent });
      channel.send({ type: 'voice.answer', requestId: frame.requestId, sdp: answerSdp });
      this.setVoice(channel.userId, channel.workspaceId, 'connected');
    } catch (err) {
      this.fail(channel, frame.requestId, 'VOICE_BAD_OFFER', (err as Error).message, afterFailure);
    }
  }

  /** The agent hung up the Web Connect tab on purpose. */
  async hangup(channel: VoiceChannel): Promise<void> {
    if (this.legs.get(channel.userId)?.channel.id !== channel.id) return;
    await this.end(channel.userId);
    this.setVoice(channel.userId, channel.workspaceId, 'none');
  }

  /** The tab's WebSocket closed: a closed or crashed tab loses the voice path. */
  async channelClosed(channel: VoiceChannel): Promise<void> {
    if (this.legs.get(channel.userId)?.channel.id !== channel.id) return;
    await this.end(channel.userId);
    this.setVoice(channel.userId, channel.workspaceId, 'lost');
  }

  private async end(userId: string, tell?: 'replaced'): Promise<void> {
    const leg = this.legs.get(userId);
    if (!leg) return;
    this.legs.delete(userId);
    if (tell) leg.channel.send({ type: 'voice.ended', reason: tell });
    await leg.worker.call('destroy', { id: leg.endpointId }).catch(() => undefined);
  }

  private fail(
    channel: VoiceChannel,
    requestId: string,
    code: 'VOICE_UNAVAILABLE' | 'VOICE_BAD_OFFER',
    message: string,
    voice: 'none' | 'lost',
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
