import { randomUUID } from 'node:crypto';
import type { PhoneServerFrame } from '@parley/contract';
import type { MediaWorker } from '../../media/worker/media-worker-client.js';
import type { Hearing, PlaySource } from '../../media/worker/rpc.js';
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

/** A leg on another worker than the call's bridge: an RTP pair over loopback joins them. */
interface Link {
  near: string;
  far: string;
  farWorker: MediaWorker;
  farMixer: string;
}

/**
 * Who a party is to the call: the agent who has it, a party consulted or conferenced in, or a
 * manager supervising it (listening, whispering to the agent, or barged in).
 */
export type PartyRole = 'agent' | 'consulted' | 'supervisor';

/** How a supervisor is on the call: the media worker's hearing rule follows from it. */
export type SuperviseMode = 'listen' | 'whisper' | 'barge';

/**
 * Anyone on the call besides the customer, all alike to the bridge: an agent's voice path (Web
 * Connect, call-in, call-me), another agent's, or a phone the platform dialled. The call owns a
 * dialled leg (it hangs it up when the party leaves) but not an agent's voice path, which
 * outlives the call.
 */
export interface PartySpec {
  /** Unique within the call: the agent's interaction id, or the dialled leg's id. */
  id: string;
  role: PartyRole;
  /** As the toolbar shows it: "Agent Two", a pool number's name, the number dialled. */
  label: string;
  media: AgentMedia;
  /** An agent's party: who, and their interaction for this call. */
  userId?: string;
  entryId?: string;
  /** A leg the call owns: what ends it (a SIP BYE), then the call destroys the leg. */
  hangUp?: () => Promise<void>;
}

interface Party extends PartySpec {
  /** What is in the bridge for this party: its own leg, or the near end of its link. */
  joinId: string;
  /** A supervisor's mode (others are full members of the bridge). */
  mode: SuperviseMode | undefined;
  link: Link | undefined;
  /** Music while the party waits on the other line (a consult switched back to the customer). */
  music: string | undefined;
}

/**
 * Where a call stands. Queued: waiting with music (an offer may ring an agent meanwhile);
 * connecting: the agent accepted, the bridge is being made; connected, held: in conversation;
 * consulting: the agent has a second line (one line talks, the other waits: the customer with
 * music); conference: everyone in the bridge; ended: every leg is gone. docs/call-model.md has
 * the diagram.
 */
export type CallState =
  | 'queued'
  | 'connecting'
  | 'connected'
  | 'held'
  | 'consulting'
  | 'conference'
  | 'ended';

const NEXT: Record<CallState, readonly CallState[]> = {
  queued: ['connecting', 'ended'],
  connecting: ['connected', 'ended'],
  connected: ['held', 'consulting', 'ended'],
  held: ['connected', 'ended'],
  consulting: ['connected', 'conference', 'ended'],
  conference: ['connected', 'ended'],
  ended: [],
};

/** While consulting: the line the agent talks on; the other waits. */
export type Line = 'customer' | 'consulted';

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
 * One customer call after it left the IVR: its customer leg, its parties (the agent once bridged,
 * a consulted party, a conference), the bridge (a mixer on the customer's worker) that they all
 * join, directly or through a link from another worker, the music and the recording. It owns
 * them all: `end()` closes each, newest first, and tells the caller. Operations check the state
 * they need, and a move the diagram does not allow is a bug, thrown as such.
 */
export class Call {
  readonly mixer: string;
  readonly worker: MediaWorker;
  private current: CallState = 'queued';
  /** The agent offered the call while it is queued (before there is a party). */
  offeredTo: string | undefined;
  /** An agent's leg known before the bridge (a persistent voice path, or the tab that answered). */
  agent: AgentMedia | undefined;
  recording: CallRecording | undefined;
  /** The customer's leg; undefined once they hung up while others talk on (a consult). */
  customer: CustomerLeg | undefined;
  private readonly parties = new Map<string, Party>();
  private agentsAtEnd: { userId: string; entryId: string }[] = [];
  /** While consulting: who the agent talks to. */
  private activeLine: Line = 'customer';
  private music: string | undefined;

  /**
   * A caller entering the queue, already hearing `music` (started before the queue knew the
   * call, so the wait is never silent); `holdMusic` is the sound played on hold. A call the agent
   * placed has its dialled leg as the customer and no music; an Agent Call has no customer, and
   * its bridge lives on the calling agent's worker.
   */
  constructor(
    readonly id: string,
    readonly workspaceId: string,
    customer: CustomerLeg | undefined,
    private readonly holdMusic: PlaySource,
    music?: string,
    /** The customer's worker: the bridge lives there, whoever comes and goes. */
    worker?: MediaWorker,
  ) {
    const home = worker ?? customer?.worker;
    if (!home) throw new Error(`call ${id} needs a worker for its bridge`);
    this.worker = home;
    this.customer = customer;
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

  /** In conversation: an agent is on the call (held, consulting or in conference included). */
  get inConversation(): boolean {
    return this.current !== 'queued' && this.current !== 'connecting' && this.current !== 'ended';
  }

  /** The agent who has the call: offered it while queued, its agent party after. */
  get agentId(): string | undefined {
    return this.owner?.userId ?? this.offeredTo;
  }

  /** The agent party who has the call (the first agent in, or whoever it was handed to). */
  get owner(): PartySpec | undefined {
    for (const p of this.parties.values()) if (p.role === 'agent') return p;
    return undefined;
  }

  /** The party on the second line (consulted, or in the conference), if any. */
  get consulted(): PartySpec | undefined {
    for (const p of this.parties.values()) if (p.role === 'consulted') return p;
    return undefined;
  }

  get line(): Line {
    return this.activeLine;
  }

  party(id: string): PartySpec | undefined {
    return this.parties.get(id);
  }

  /**
   * The agents on the call (the one who has it, an agent consulted or in the conference); once
   * the call has ended, those who were on it at the end (their interactions end with it).
   */
  agentParties(): { userId: string; entryId: string }[] {
    if (this.current === 'ended') return this.agentsAtEnd;
    return [...this.parties.values()].flatMap((p) =>
      p.userId && p.entryId ? [{ userId: p.userId, entryId: p.entryId }] : [],
    );
  }

  /** How many talk on the call: its parties (supervisors aside) and the customer while on it. */
  get talkers(): number {
    let n = this.customer ? 1 : 0;
    for (const p of this.parties.values()) if (p.role !== 'supervisor') n++;
    return n;
  }

  /** The supervisors on the call, and how each is on it. */
  supervisors(): { userId: string; mode: SuperviseMode }[] {
    return [...this.parties.values()].flatMap((p) =>
      p.role === 'supervisor' && p.userId && p.mode ? [{ userId: p.userId, mode: p.mode }] : [],
    );
  }

  /** The supervisor `userId` on the call, and how. */
  supervisor(userId: string): { id: string; mode: SuperviseMode } | undefined {
    for (const p of this.parties.values())
      if (p.role === 'supervisor' && p.userId === userId && p.mode) return { id: p.id, mode: p.mode };
    return undefined;
  }

  /**
   * A supervisor joins, or changes how they are on the call: listening (hears everyone, heard by
   * nobody), whispering (heard by the agent who has the call only) or barged in (a full party).
   * Not recorded unless barged in.
   */
  async supervise(spec: PartySpec, mode: SuperviseMode): Promise<void> {
    const present = this.parties.get(spec.id);
    if (!present) {
      await this.join({ ...spec, role: 'supervisor' }, mode);
      return;
    }
    present.mode = mode;
    await this.worker.call('setHearing', {
      mixerId: this.mixer,
      endpointId: present.joinId,
      ...this.hearing(present),
    });
  }

  /** Whether `endpointId` is the customer's leg or a leg the call dialled. */
  hasLeg(endpointId: string): boolean {
    if (this.customer?.endpointId === endpointId) return true;
    for (const p of this.parties.values()) if (p.hangUp && p.media.endpointId === endpointId) return true;
    return false;
  }

  /** The dialled party whose leg is `endpointId`. */
  dialledParty(endpointId: string): PartySpec | undefined {
    for (const p of this.parties.values()) if (p.hangUp && p.media.endpointId === endpointId) return p;
    return undefined;
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
  async bridge(
    agent: Omit<PartySpec, 'role' | 'media'>,
    media: AgentMedia,
    before?: () => Promise<void>,
  ): Promise<boolean> {
    this.moveTo('connecting');
    this.agent = media;
    await before?.();
    // Ended meanwhile (the caller hung up during the beep): nothing is built for it.
    if (!this.bridging) return false;
    const w = this.worker;
    await this.stopMusic();
    await w.call('createMixer', { mixerId: this.mixer });
    await w.call('join', { mixerId: this.mixer, endpointId: this.customerLeg().endpointId });
    await this.join({ ...agent, role: 'agent', media });
    return this.bridging;
  }

  /**
   * An Agent Call: the calling agent and the one who answered into one mixer, no customer. Returns
   * false when the call ended meanwhile.
   */
  async connectAgents(caller: Omit<PartySpec, 'role'>, callee: Omit<PartySpec, 'role'>): Promise<boolean> {
    this.moveTo('connecting');
    await this.worker.call('createMixer', { mixerId: this.mixer });
    await this.join({ ...caller, role: 'agent' });
    if (!this.bridging) return false;
    await this.join({ ...callee, role: 'agent' });
    return this.bridging;
  }

  /** The bridge is up (and its recording started): the conversation begins. */
  connected(): boolean {
    if (!this.bridging) return false;
    this.moveTo('connected');
    this.customer?.caller.send({ type: 'state', state: 'connected' });
    return true;
  }

  /** Hold: the customer leaves the bridge for music (hears neither the agent nor silence). */
  async hold(): Promise<void> {
    this.moveTo('held');
    await this.customerOut();
  }

  async resume(): Promise<void> {
    this.moveTo('connected');
    await this.customerIn();
  }

  /**
   * A second line: the customer waits with music while the agent talks to `party`, which joins
   * the bridge now (its leg answered already: a dialled phone, another agent's voice path).
   */
  async consult(party: PartySpec): Promise<void> {
    this.moveTo('consulting');
    this.activeLine = 'consulted';
    await this.customerOut();
    await this.join(party);
  }

  /** While consulting: talk on `line`; the other line waits with music. */
  async switchLine(line: Line): Promise<void> {
    if (this.current !== 'consulting') throw new Error(`call ${this.id} is not consulting`);
    if (line === this.activeLine) return;
    const consulted = this.secondLine();
    this.activeLine = line;
    if (line === 'customer') {
      await this.worker.call('leave', { mixerId: this.mixer, endpointId: consulted.joinId });
      consulted.music = await this.playMusic(consulted.joinId);
      await this.customerIn();
    } else {
      await this.customerOut();
      await this.partyIn(consulted);
    }
  }

  /** Merge Lines: everyone in the bridge, each hearing all the others. */
  async merge(): Promise<void> {
    this.moveTo('conference');
    await this.partyIn(this.secondLine());
    await this.customerIn();
  }

  /**
   * `id` leaves (hung up, or the agent chose to leave): its leg leaves the bridge, its link goes,
   * a leg the call owns is hung up. What is left decides the state: the agent back with the
   * customer after a consult; a conference of two is a plain call. When fewer than two are left
   * to talk, the call ends and this returns true.
   */
  async leave(id: string, reason: string): Promise<boolean> {
    const party = this.parties.get(id);
    if (this.current === 'ended') return true;
    if (!party) return false;
    this.parties.delete(id);
    await this.partyGone(party);
    if (party.role === 'supervisor') return false;
    if (this.talkers < 2) {
      await this.end(reason);
      return true;
    }
    // The agent who had the call left a conference: the consulted party has it now.
    const next = this.consulted as Party | undefined;
    if (party.role === 'agent' && next) {
      next.role = 'agent';
      await this.retargetWhispers();
    }
    if (this.current === 'consulting' || this.current === 'conference') {
      this.moveTo('connected');
      this.activeLine = 'customer';
      for (const p of this.parties.values()) await this.partyIn(p);
      await this.customerIn();
    }
    return false;
  }

  /**
   * The customer hung up. With a consult going on, the agent and the consulted party stay
   * connected and this returns false; else the call ends and this returns true.
   */
  async customerLeft(reason: string): Promise<boolean> {
    const customer = this.customer;
    if (!customer || this.parties.size < 2 || this.current === 'ended') {
      await this.end(reason);
      return true;
    }
    this.customer = undefined;
    await this.stopMusic();
    await this.destroy(this.worker, customer.endpointId);
    customer.caller.send({ type: 'state', state: 'ended', reason });
    customer.caller.close();
    if (this.current === 'consulting' && this.activeLine === 'customer') {
      this.activeLine = 'consulted';
      await this.partyIn(this.secondLine());
    }
    return false;
  }

  /**
   * A blind transfer lands: `party` (answered: a dialled phone, or the agent it was handed to)
   * joins the customer, and the agent who had the call leaves for wrap-up.
   */
  async handOver(party: PartySpec): Promise<void> {
    const from = this.owner;
    await this.join({ ...party, role: 'consulted' });
    if (this.current === 'held') await this.resume();
    if (from) await this.leave(from.id, 'transferred');
    const landed = this.parties.get(party.id);
    if (landed && party.role === 'agent') landed.role = 'agent';
  }

  /**
   * The customer leaves the call with their leg still up (a transfer into a workflow):
   * everything else the call holds goes. Returns the leg for its next owner.
   */
  async release(): Promise<CustomerLeg> {
    const customer = this.customerLeg();
    await this.stopMusic();
    await this.worker
      .call('leave', { mixerId: this.mixer, endpointId: customer.endpointId })
      .catch(() => undefined);
    this.customer = undefined;
    await this.end('transferred');
    return customer;
  }

  /** Waiting callers stop hearing music (a shutdown's notice plays instead). */
  async silence(): Promise<void> {
    await this.stopMusic();
  }

  /**
   * Everything the call holds goes, newest first: the recording (closed and recorded), the
   * parties (links go, dialled legs are hung up), the bridge, the customer's leg; the caller is
   * told why. Once only.
   */
  async end(reason: string): Promise<void> {
    if (this.current === 'ended') return;
    this.agentsAtEnd = this.agentParties();
    this.current = 'ended';
    await this.recording?.stop();
    for (const party of [...this.parties.values()].reverse()) {
      this.parties.delete(party.id);
      await this.partyGone(party);
    }
    await this.destroy(this.worker, this.mixer);
    const customer = this.customer;
    if (!customer) return;
    await this.destroy(this.worker, customer.endpointId);
    customer.caller.send({ type: 'state', state: 'ended', reason });
    customer.caller.close();
  }

  /** A party's leg into the bridge: directly on the same worker, else through a link. */
  private async join(spec: PartySpec, mode?: SuperviseMode): Promise<void> {
    const w = this.worker;
    const party: Party = { ...spec, joinId: spec.media.endpointId, link: undefined, music: undefined, mode };
    this.parties.set(spec.id, party);
    if (spec.media.worker !== w) {
      party.link = await this.linkWorkers(spec.id, spec.media);
      party.joinId = party.link.near;
    }
    await w.call('join', { mixerId: this.mixer, endpointId: party.joinId, ...this.hearing(party) });
  }

  /** The bridge's hearing rule for a party: full, or a supervisor's listen or whisper. */
  private hearing(p: Party): { hearing: Hearing; whisperTo?: string } {
    if (p.mode === 'listen') return { hearing: 'listen' };
    if (p.mode === 'whisper') {
      const agent = this.owner as Party | undefined;
      // With no agent to whisper to, the whisperer only listens.
      return agent ? { hearing: 'whisper', whisperTo: agent.joinId } : { hearing: 'listen' };
    }
    return { hearing: 'full' };
  }

  /** The agent who has the call changed: a whisper goes to the new one. */
  private async retargetWhispers(): Promise<void> {
    for (const p of this.parties.values())
      if (p.mode === 'whisper')
        await this.worker.call('setHearing', {
          mixerId: this.mixer,
          endpointId: p.joinId,
          ...this.hearing(p),
        });
  }

  private async partyIn(p: Party): Promise<void> {
    if (p.music) {
      const id = p.music;
      p.music = undefined;
      await this.worker.call('stopPlayback', { playbackId: id });
    }
    await this.worker.call('join', { mixerId: this.mixer, endpointId: p.joinId, ...this.hearing(p) });
  }

  private async partyGone(p: Party): Promise<void> {
    if (p.music) await this.worker.call('stopPlayback', { playbackId: p.music }).catch(() => undefined);
    await this.worker.call('leave', { mixerId: this.mixer, endpointId: p.joinId }).catch(() => undefined);
    if (p.link) {
      await this.destroy(p.link.farWorker, p.link.farMixer);
      await this.destroy(p.link.farWorker, p.link.far);
      await this.destroy(this.worker, p.link.near);
    }
    if (p.hangUp) {
      await p.hangUp().catch(() => undefined);
      await this.destroy(p.media.worker, p.media.endpointId);
    }
  }

  private secondLine(): Party {
    const p = this.consulted;
    if (!p) throw new Error(`call ${this.id} has no second line`);
    return p as Party;
  }

  private customerLeg(): CustomerLeg {
    if (!this.customer) throw new Error(`call ${this.id} has no customer`);
    return this.customer;
  }

  /** The customer out of the bridge, to music; their phone is told they are held. */
  private async customerOut(): Promise<void> {
    if (!this.customer) return;
    await this.worker.call('leave', { mixerId: this.mixer, endpointId: this.customer.endpointId });
    this.music = await this.playMusic(this.customer.endpointId);
    this.customer.caller.send({ type: 'state', state: 'held' });
  }

  private async customerIn(): Promise<void> {
    if (!this.customer) return;
    await this.stopMusic();
    await this.worker.call('join', { mixerId: this.mixer, endpointId: this.customer.endpointId });
    this.customer.caller.send({ type: 'state', state: 'connected' });
  }

  private destroy(worker: MediaWorker, id: string): Promise<unknown> {
    return worker.call('destroy', { id }).catch(() => undefined);
  }

  private async linkWorkers(partyId: string, media: AgentMedia): Promise<Link> {
    const w = this.worker;
    const link: Link = {
      near: `link-${partyId}-a`,
      far: `link-${partyId}-b`,
      farWorker: media.worker,
      farMixer: `bridge-${partyId}-far`,
    };
    const near = await w.call('createRtpEndpoint', { endpointId: link.near, address: '127.0.0.1' });
    const far = await media.worker.call('createRtpEndpoint', { endpointId: link.far, address: '127.0.0.1' });
    await w.call('applyRemote', { endpointId: link.near, ...far, payloadType: 0 });
    await media.worker.call('applyRemote', { endpointId: link.far, ...near, payloadType: 0 });
    await media.worker.call('createMixer', { mixerId: link.farMixer });
    await media.worker.call('join', { mixerId: link.farMixer, endpointId: link.far });
    await media.worker.call('join', { mixerId: link.farMixer, endpointId: media.endpointId });
    return link;
  }

  /** Music on a leg; known before it plays, so a move meanwhile stops it. */
  private async playMusic(endpointId: string): Promise<string> {
    const { playbackId, started } = startHoldMusic(this.worker, endpointId, this.holdMusic);
    await started;
    return playbackId;
  }

  private async stopMusic(): Promise<void> {
    if (!this.music) return;
    const id = this.music;
    this.music = undefined;
    await this.worker.call('stopPlayback', { playbackId: id });
  }
}
