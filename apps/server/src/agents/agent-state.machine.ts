import {
  type AgentInteraction,
  type AgentState,
  type AgentStatus,
  AUTO_PAUSE,
  type ConsultLine,
  type ContactKind,
  type DialProgress,
  type StatusChoice,
  timeStateName,
  type VoiceState,
} from '@parley/contract';
import type { Clock } from '../clock.js';
import { AppError } from '../http/app-error.js';

/** The system pause an agent is put in when they are not ready and did not choose a reason. */
export const UNAVAILABLE = 'Unavailable';

export interface OfferSpec {
  id: string;
  kind: ContactKind;
  campaignId: string;
  campaignName: string;
  label: string;
  ringTimeoutMs: number;
  /** A transfer offered to this agent by name: the transferring agent's name. */
  transferredBy?: string;
  /** An Agent Call a colleague placed to this agent, or a call the predictive dialler placed. */
  callType?: 'agent' | 'predictive';
  /** A predictive call's lead (its details on the information panel). */
  leadId?: string;
}

/** Call facts the toolbar shows on an interaction; null removes a second line or announcement. */
export interface InteractionPatch {
  held?: boolean;
  recording?: boolean;
  consult?: ConsultLine | null;
  announcement?: string | null;
  /** Agent Assist: asked for help (true) until a manager joins or the call ends. */
  assistRequested?: boolean;
  /** A call the agent placed: how its dialling goes. */
  dial?: DialProgress;
}

/** An interaction that is the agent's from the start: a call they place, a lead presented. */
export interface OwnedSpec {
  id: string;
  campaignId: string;
  campaignName: string;
  label: string;
}

/** A call the agent places (Manual Call, Agent Call): on their toolbar at once, dialling. */
export interface PlacedSpec extends OwnedSpec {
  callType: 'manual' | 'agent';
  dial: DialProgress;
}

export type MachineEvent =
  | {
      type: 'changed';
      state: AgentState;
      statusChanged: boolean;
      /** The state the agent's time counts in changed (a status, or on call, wrapping, ...). */
      timeStateChanged: boolean;
    }
  /** Offers taken back from the agent (ring timeout, pause, sign-out): their contacts go back. */
  | { type: 'offersWithdrawn'; interactionIds: string[] };

export interface MachineInit {
  status: AgentStatus;
  since: Date;
  voice: VoiceState;
  interactions: AgentInteraction[];
  nextStatus: StatusChoice | null;
  idleSince: Date;
}

/**
 * One agent's state, owned by the server: status (Available, a pause, Auto Pause, signed out),
 * voice connection, and the interactions offered to, handled or wrapped by the agent.
 * Timers run on the injected clock; events fire only when something really changed.
 */
export class AgentStateMachine {
  private status: AgentStatus;
  private since: Date;
  private voice: VoiceState;
  private interactions = new Map<string, AgentInteraction>();
  private nextStatus: StatusChoice | null;
  private idle: Date;
  private readonly offerTimers = new Map<string, () => void>();
  private cancelGrace: (() => void) | undefined;
  private readonly listeners = new Set<(e: MachineEvent) => void>();
  private withdrawn: string[] = [];

  constructor(
    private readonly clock: Clock,
    init: Partial<MachineInit> = {},
    private readonly disconnectGraceMs = 30_000,
  ) {
    const now = clock.now();
    this.status = init.status ?? { kind: 'signed_out' };
    this.since = init.since ?? now;
    this.voice = init.voice ?? 'none';
    for (const i of init.interactions ?? []) this.interactions.set(i.id, i);
    this.nextStatus = init.nextStatus ?? null;
    this.idle = init.idleSince ?? now;
  }

  get state(): AgentState {
    return {
      status: this.status,
      since: this.since.toISOString(),
      voice: this.voice,
      interactions: [...this.interactions.values()],
      nextStatus: this.nextStatus,
    };
  }

  /** When the agent last became free or was last given a contact: the longest idle goes first. */
  get idleSince(): Date {
    return this.idle;
  }

  get isAvailable(): boolean {
    return this.status.kind === 'available';
  }

  load(): { voice: number; chat: number; email: number } {
    const load = { voice: 0, chat: 0, email: 0 };
    for (const i of this.interactions.values()) load[i.kind] += 1;
    return load;
  }

  onEvent(listener: (e: MachineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signIn(): void {
    this.mutate(() => {
      if (this.status.kind === 'signed_out')
        this.setStatus({ kind: 'paused', reasonId: null, reasonName: UNAVAILABLE });
    });
  }

  /** Leaves routing; offers on the toolbar are withdrawn and go back to their queues. */
  signOut(): void {
    this.mutate(() => {
      this.dropOffers();
      this.cancelGrace?.();
      this.setStatus({ kind: 'signed_out' });
      this.nextStatus = null;
    });
  }

  /**
   * The agent picks Available or a pause. During wrap-up this only records the status to take
   * once wrapped (C3). `reasonName` is the workspace's name for reasonId.
   */
  choose(choice: StatusChoice, reasonName?: string): 'applied' | 'after-wrap' {
    return this.mutate(() => {
      if (this.status.kind === 'signed_out') throw new AppError('INTERACTION_STATE', 'Sign in first');
      if (this.isWrapping()) {
        this.nextStatus = choice;
        return 'after-wrap';
      }
      this.apply(choice, reasonName);
      return 'applied';
    });
  }

  /** A pause the system decides: Auto Pause (C2), or Unavailable (toolbar gone, restart). */
  systemPause(reasonName: typeof AUTO_PAUSE | typeof UNAVAILABLE, detail: string): void {
    this.mutate(() => {
      if (this.status.kind === 'signed_out') return;
      this.dropOffers();
      this.setStatus({ kind: 'paused', reasonId: null, reasonName, detail });
    });
  }

  setVoice(voice: VoiceState): void {
    this.mutate(() => {
      this.voice = voice;
    });
  }

  toolbarConnected(): void {
    this.cancelGrace?.();
    this.cancelGrace = undefined;
    this.signIn();
  }

  /** After the grace period without any toolbar the agent leaves routing (paused). */
  toolbarDisconnected(): void {
    this.cancelGrace?.();
    this.cancelGrace = this.clock.setTimer(this.disconnectGraceMs, () => {
      this.cancelGrace = undefined;
      this.systemPause(UNAVAILABLE, 'Toolbar disconnected');
    });
  }

  /** Whether a contact of this kind may be offered now (status and voice; capacity is the router's). */
  canOffer(kind: ContactKind): boolean {
    return this.status.kind === 'available' && (kind !== 'voice' || this.voice === 'connected');
  }

  /**
   * Offers a contact. A voice contact for an agent whose voice is gone is not offered: the agent
   * goes to Auto Pause instead (returns false, and the caller puts the contact back).
   */
  offer(spec: OfferSpec): boolean {
    return this.mutate(() => {
      if (this.status.kind !== 'available') return false;
      if (spec.kind === 'voice' && this.voice !== 'connected') {
        this.dropOffers();
        this.setStatus({
          kind: 'paused',
          reasonId: null,
          reasonName: AUTO_PAUSE,
          detail: 'No voice connection',
        });
        return false;
      }
      const now = this.clock.now();
      // Idle time counts from the last contact given, so concurrent chats spread across agents.
      this.idle = now;
      const expires = new Date(now.getTime() + spec.ringTimeoutMs);
      this.interactions.set(spec.id, {
        id: spec.id,
        kind: spec.kind,
        state: 'offered',
        campaignId: spec.campaignId,
        campaignName: spec.campaignName,
        label: spec.label,
        since: now.toISOString(),
        offerExpiresAt: expires.toISOString(),
        ...(spec.transferredBy !== undefined && { transferredBy: spec.transferredBy }),
        ...(spec.callType && { callType: spec.callType }),
        ...(spec.leadId && { leadId: spec.leadId }),
      });
      this.offerTimers.set(
        spec.id,
        this.clock.setTimer(spec.ringTimeoutMs, () => this.expire(spec.id)),
      );
      return true;
    });
  }

  /**
   * Whether the agent may place a call now: from a pause (the guide's rule: no queue delivers a
   * call meanwhile) with voice connected and no other call ringing or live; else a stable code.
   */
  assertCanPlace(): void {
    if (this.status.kind !== 'paused')
      throw new AppError('NOT_PAUSED', 'Change your status to a pause state to make a call');
    if (this.voice !== 'connected')
      throw new AppError('VOICE_NOT_CONNECTED', 'Connect Voice before making a call');
    const live = [...this.interactions.values()].some((i) => i.kind === 'voice' && i.state !== 'wrapping');
    if (live) throw new AppError('CALL_IN_PROGRESS', 'You already have a call on your toolbar');
  }

  /** A call the agent places, in conversation from the start (its card shows the dialling). */
  place(spec: PlacedSpec): void {
    this.assertCanPlace();
    this.mutate(() => this.own(spec, { callType: spec.callType, dial: spec.dial }));
  }

  /**
   * A preview lead for an Available agent with voice and nothing else on the toolbar; false when
   * that is no longer so.
   */
  presentLead(spec: OwnedSpec & { leadId: string }): boolean {
    return this.mutate(() => {
      if (!this.canOffer('voice') || this.interactions.size > 0) return false;
      this.idle = this.clock.now();
      this.own(spec, { callType: 'preview', leadId: spec.leadId });
      return true;
    });
  }

  /**
   * A waiting chat the agent took from the Chat Panel, an email from the Email Queue, or a new
   * email they write: in conversation at once, whatever their status (a paused agent may answer
   * chats and emails); the status does not change.
   */
  take(spec: OwnedSpec, kind: 'chat' | 'email'): void {
    this.mutate(() => {
      if (this.status.kind === 'signed_out') throw new AppError('INTERACTION_STATE', 'Sign in first');
      this.idle = this.clock.now();
      this.own(spec, {}, kind);
    });
  }

  /** A chat in conversation leaves the agent without a wrap-up (handed back to its queue). */
  release(id: string): void {
    this.mutate(() => {
      this.expect(id, 'busy');
      if (this.interactions.delete(id) && this.interactions.size === 0) this.idle = this.clock.now();
    });
  }

  /** An interaction that is the agent's and in conversation from the start (never offered). */
  private own(
    spec: OwnedSpec,
    extra: Pick<AgentInteraction, 'callType' | 'dial' | 'leadId'>,
    kind: ContactKind = 'voice',
  ): void {
    this.interactions.set(spec.id, {
      id: spec.id,
      kind,
      state: 'busy',
      campaignId: spec.campaignId,
      campaignName: spec.campaignName,
      label: spec.label,
      since: this.clock.now().toISOString(),
      ...extra,
    });
  }

  /** Convert to Outbound: the interaction is now a lead's, on its outbound campaign. */
  convert(id: string, to: { campaignId: string; campaignName: string; leadId: string }): void {
    this.mutate(() => {
      const i = this.expect(id, 'busy');
      this.interactions.set(id, { ...i, ...to });
    });
  }

  accept(id: string): void {
    this.mutate(() => {
      const i = this.expect(id, 'offered');
      this.stopTimer(id);
      this.interactions.set(id, {
        ...withoutExpiry(i),
        state: 'busy',
        since: this.clock.now().toISOString(),
      });
    });
  }

  /** Call facts the toolbar shows on the interaction (held, recording, second line, announcement). */
  annotate(id: string, patch: InteractionPatch): void {
    this.mutate(() => {
      const i = this.interactions.get(id);
      if (!i) return;
      const { consult, announcement, ...facts } = patch;
      const { heldSince: _was, consult: c, announcement: a, assistRequested, ...rest } = { ...i, ...facts };
      // Hold has its own timer: from when it began, kept while it lasts.
      const heldSince = rest.held ? (i.held ? i.heldSince : this.clock.now().toISOString()) : undefined;
      const line = consult === undefined ? c : (consult ?? undefined);
      const playing = announcement === undefined ? a : (announcement ?? undefined);
      this.interactions.set(id, {
        ...rest,
        ...(heldSince && { heldSince }),
        ...(line && { consult: line }),
        ...(playing !== undefined && { announcement: playing }),
        ...(assistRequested && { assistRequested }),
      });
    });
  }

  /** The conversation is over (hang-up by either side, chat closed): wrap-up begins. */
  end(id: string): void {
    this.mutate(() => {
      const {
        held: _held,
        heldSince: _heldSince,
        recording: _recording,
        consult: _consult,
        announcement: _announcement,
        assistRequested: _assist,
        ...i
      } = this.expect(id, 'busy');
      this.interactions.set(id, { ...i, state: 'wrapping', since: this.clock.now().toISOString() });
    });
  }

  /** Wrapped: the interaction leaves the toolbar; the status chosen during wrap-up applies. */
  wrap(id: string, reasonNameFor: (choice: StatusChoice) => string | undefined): void {
    this.mutate(() => {
      this.expect(id, 'wrapping');
      this.interactions.delete(id);
      if (this.interactions.size === 0) this.idle = this.clock.now();
      if (!this.isWrapping() && this.nextStatus) {
        const next = this.nextStatus;
        this.nextStatus = null;
        this.apply(next, reasonNameFor(next));
      }
    });
  }

  /** The contact went away (caller hung up in queue, chat left) while offered: no pause. */
  withdraw(id: string): void {
    this.mutate(() => {
      this.stopTimer(id);
      if (this.interactions.delete(id) && this.interactions.size === 0) this.idle = this.clock.now();
    });
  }

  close(): void {
    for (const cancel of this.offerTimers.values()) cancel();
    this.offerTimers.clear();
    this.cancelGrace?.();
    this.listeners.clear();
  }

  private expire(id: string): void {
    this.offerTimers.delete(id);
    if (this.interactions.get(id)?.state !== 'offered') return;
    this.systemPause(AUTO_PAUSE, 'Ring timeout: offer not accepted');
  }

  private apply(choice: StatusChoice, reasonName: string | undefined): void {
    if (choice.kind === 'available') {
      if (this.status.kind !== 'available' && this.interactions.size === 0) this.idle = this.clock.now();
      this.setStatus({ kind: 'available' });
    } else {
      this.dropOffers();
      this.setStatus({ kind: 'paused', reasonId: choice.reasonId, reasonName: reasonName ?? 'Paused' });
    }
  }

  private setStatus(status: AgentStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.status)) return;
    this.status = status;
    this.since = this.clock.now();
  }

  private dropOffers(): void {
    for (const [id, i] of this.interactions) {
      if (i.state !== 'offered') continue;
      this.stopTimer(id);
      this.interactions.delete(id);
      this.withdrawn.push(id);
    }
  }

  private stopTimer(id: string): void {
    this.offerTimers.get(id)?.();
    this.offerTimers.delete(id);
  }

  private timeState(): string {
    return timeStateName({ status: this.status, interactions: [...this.interactions.values()] });
  }

  private isWrapping(): boolean {
    for (const i of this.interactions.values()) if (i.state === 'wrapping') return true;
    return false;
  }

  private expect(id: string, state: AgentInteraction['state']): AgentInteraction {
    const i = this.interactions.get(id);
    if (!i) throw new AppError('NOT_FOUND', 'That interaction is not on your toolbar');
    if (i.state !== state)
      throw new AppError('INTERACTION_STATE', `The interaction is ${i.state}, not ${state}`);
    return i;
  }

  /** Runs a change and tells listeners only if the state a toolbar sees is different. */
  private mutate<T>(change: () => T): T {
    const before = JSON.stringify(this.state);
    const statusBefore = JSON.stringify(this.status);
    const timeStateBefore = this.timeState();
    const result = change();
    const statusChanged = JSON.stringify(this.status) !== statusBefore;
    const timeStateChanged = this.timeState() !== timeStateBefore;
    // The toolbar's timer counts from the last change of what the agent is doing: after a call,
    // Available counts from its end.
    if (timeStateChanged && !statusChanged) this.since = this.clock.now();
    const state = this.state;
    if (JSON.stringify(state) !== before) {
      for (const l of this.listeners) l({ type: 'changed', state, statusChanged, timeStateChanged });
    }
    if (this.withdrawn.length) {
      const interactionIds = this.withdrawn;
      this.withdrawn = [];
      for (const l of this.listeners) l({ type: 'offersWithdrawn', interactionIds });
    }
    return result;
  }
}

function withoutExpiry(i: AgentInteraction): AgentInteraction {
  const { offerExpiresAt: _drop, ...rest } = i;
  return rest;
}
