import { randomUUID } from 'node:crypto';
import type { PhoneServerFrame } from '@parley/contract';
import type { MediaWorker } from '../../media/worker/media-worker-client.js';
import type { PlaySource } from '../../media/worker/rpc.js';
import type { AgentMedia } from '../web-connect.service.js';
import type { CallRecording } from './call-recording.js';

/** The caller's end of a call as the platform talks to it: a web phone's socket or a SIP dialog. */
export interface Caller {
  send(frame: PhoneServerFrame): void;
  close(): void;
}

/** The customer's leg: who they are on the signalling side, and their endpoint in a worker. */
export interface CustomerLeg {
  caller: Caller;
  worker: MediaWorker;
  endpointId: string;
  /** A web phone caller: RTP silence means their browser went away. */
  web: boolean;
}

/** An agent's leg on another worker than the call's bridge: an RTP pair over loopback joins them. */
interface Link {
  near: string;
  far: string;
  farWorker: MediaWorker;
  farMixer: string;
}

/**
 * Where a call stands. Queued: waiting with music (an offer may ring an agent meanwhile);
 * connecting: the agent accepted, the bridge is being made; connected, held: in conversation;
 * ended: every leg is gone. docs/call-model.md has the diagram.
 */
export type CallState = 'queued' | 'connecting' | 'connected' | 'held' | 'ended';

const NEXT: Record<CallState, readonly CallState[]> = {
  queued: ['connecting', 'ended'],
  connecting: ['connected', 'ended'],
  connected: ['held', 'ended'],
  held: ['connected', 'ended'],
  ended: [],
};

/** Music on `endpointId` until its playback (the id returned at once) is stopped. */
export function startHoldMusic(
  worker: MediaWorker,
  endpointId: string,
  source: PlaySource,
): { playbackId: string; started: Promise<unknown> } {
  const playbackId = `music-${randomUUID()}`;
  return { playbackId, started: worker.call('play', { playbackId, endpointId, source, loop: true }) };
}

/**
 * One customer call after it left the IVR: its customer leg, the agent's leg once bridged, the
 * bridge (a mixer on the customer's worker), the music and the recording. It owns them all:
 * `end()` closes each, newest first, and tells the caller. Operations check the state they
 * need, and a move the diagram does not allow is a bug, thrown as such.
 */
export class Call {
  readonly mixer: string;
  private current: CallState = 'queued';
  /** The agent offered or talking to the call. */
  agentId: string | undefined;
  agent: AgentMedia | undefined;
  recording: CallRecording | undefined;
  private link: Link | undefined;
  private music: string | undefined;

  /**
   * A caller entering the queue, already hearing `music` (started before the queue knew the
   * call, so the wait is never silent); `holdMusic` is the sound played on hold.
   */
  constructor(
    readonly id: string,
    readonly workspaceId: string,
    readonly customer: CustomerLeg,
    private readonly holdMusic: PlaySource,
    music: string,
  ) {
    this.mixer = `bridge-${id}`;
    this.music = music;
  }

  get state(): CallState {
    return this.current;
  }

  /** The agent accepted and the bridge is being made. */
  get bridging(): boolean {
    return this.current === 'connecting';
  }

  /** Connected or on hold: an agent and the customer are in conversation. */
  get inConversation(): boolean {
    return this.current === 'connected' || this.current === 'held';
  }

  get worker(): MediaWorker {
    return this.customer.worker;
  }

  private moveTo(next: CallState): void {
    if (!NEXT[this.current].includes(next))
      throw new Error(`call ${this.id} cannot go from ${this.current} to ${next}`);
    this.current = next;
  }

  /**
   * Caller and agent into one mixer. The agent's leg joins it directly when both are on the
   * same worker, else through a link. Returns false when the call ended meanwhile.
   */
  async bridge(agentId: string, agent: AgentMedia, before?: () => Promise<void>): Promise<boolean> {
    this.moveTo('connecting');
    this.agentId = agentId;
    this.agent = agent;
    await before?.();
    // Ended meanwhile (the caller hung up during the beep): nothing is built for it.
    if (!this.bridging) return false;
    const w = this.worker;
    await this.stopMusic();
    await w.call('createMixer', { mixerId: this.mixer });
    await w.call('join', { mixerId: this.mixer, endpointId: this.customer.endpointId });
    if (agent.worker === w) await w.call('join', { mixerId: this.mixer, endpointId: agent.endpointId });
    else this.link = await this.linkWorkers(agent);
    return this.bridging;
  }

  /** The bridge is up (and its recording started): the conversation begins. */
  connected(): boolean {
    if (!this.bridging) return false;
    this.moveTo('connected');
    this.customer.caller.send({ type: 'state', state: 'connected' });
    return true;
  }

  /** Hold: the customer leaves the bridge for music (hears neither the agent nor silence). */
  async hold(): Promise<void> {
    this.moveTo('held');
    await this.worker.call('leave', { mixerId: this.mixer, endpointId: this.customer.endpointId });
    await this.startMusic();
    this.customer.caller.send({ type: 'state', state: 'held' });
  }

  async resume(): Promise<void> {
    this.moveTo('connected');
    await this.stopMusic();
    await this.worker.call('join', { mixerId: this.mixer, endpointId: this.customer.endpointId });
    this.customer.caller.send({ type: 'state', state: 'connected' });
  }

  /** Waiting callers stop hearing music (a shutdown's notice plays instead). */
  async silence(): Promise<void> {
    await this.stopMusic();
  }

  /**
   * Everything the call holds goes, newest first: the recording (closed and recorded), the
   * link, the bridge, the customer's leg; the caller is told why. Once only.
   */
  async end(reason: string): Promise<void> {
    if (this.current === 'ended') return;
    this.current = 'ended';
    await this.recording?.stop();
    const destroy = (worker: MediaWorker, id: string) =>
      worker.call('destroy', { id }).catch(() => undefined);
    if (this.link) {
      await destroy(this.link.farWorker, this.link.farMixer);
      await destroy(this.link.farWorker, this.link.far);
      await destroy(this.worker, this.link.near);
    }
    await destroy(this.worker, this.mixer);
    await destroy(this.worker, this.customer.endpointId);
    this.customer.caller.send({ type: 'state', state: 'ended', reason });
    this.customer.caller.close();
  }

  private async linkWorkers(agent: AgentMedia): Promise<Link> {
    const w = this.worker;
    const link: Link = {
      near: `link-${this.id}-a`,
      far: `link-${this.id}-b`,
      farWorker: agent.worker,
      farMixer: `bridge-${this.id}-agent`,
    };
    const near = await w.call('createRtpEndpoint', { endpointId: link.near, address: '127.0.0.1' });
    const far = await agent.worker.call('createRtpEndpoint', { endpointId: link.far, address: '127.0.0.1' });
    await w.call('applyRemote', { endpointId: link.near, ...far, payloadType: 0 });
    await agent.worker.call('applyRemote', { endpointId: link.far, ...near, payloadType: 0 });
    await w.call('join', { mixerId: this.mixer, endpointId: link.near });
    await agent.worker.call('createMixer', { mixerId: link.farMixer });
    await agent.worker.call('join', { mixerId: link.farMixer, endpointId: link.far });
    await agent.worker.call('join', { mixerId: link.farMixer, endpointId: agent.endpointId });
    return link;
  }

  private async startMusic(): Promise<void> {
    // Known before it plays: a resume meanwhile stops it.
    const { playbackId, started } = startHoldMusic(this.worker, this.customer.endpointId, this.holdMusic);
    this.music = playbackId;
    await started;
  }

  private async stopMusic(): Promise<void> {
    if (!this.music) return;
    const id = this.music;
    this.music = undefined;
    await this.worker.call('stopPlayback', { playbackId: id });
  }
}
