import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { EndedBy, EventBus } from '../events.js';
import { AppError } from '../http/app-error.js';
import type { MediaPool } from '../media/worker/media-pool.js';
import type { PlaySource } from '../media/worker/rpc.js';
import { Call } from './call/call.js';
import { dialFailure, type Outbound } from './outbound.js';
import type { Playback } from './playback.js';
import type { WebConnectService } from './web-connect.service.js';

/** The highest queue priority: an answered predictive call goes to the next free agent first. */
const FRONT_OF_QUEUE = 100;

/** A predictive call to place: the lead's number, under its campaign. */
export interface PredictiveDial {
  workspaceId: string;
  campaignId: string;
  leadId: string;
  leadNumberId: string;
  /** E.164, checked by the calling rules a moment ago. */
  number: string;
  /** Shown on the agent's card. */
  label: string;
  /** The campaign's caller ID (null: the trunk's). */
  callerId: string | null;
  /** The campaign's no-answer time. */
  ringMs: number;
  /** From the answer: an agent must have the call within this time, or it is abandoned (2 s). */
  graceMs: number;
  /** What an abandoned call hears: who called and how to opt out. */
  infoMessage: { source: PlaySource; durationMs: number };
  /** The dialler hears of the answer at once (pacing counts it). */
  onAnswer?: (at: Date) => void;
}

export type PredictiveOutcome =
  /** Not answered: busy, no answer within the ring time, unreachable, declined. */
  | { kind: 'unanswered'; status: number; reason: string }
  /** Never dialled: the dial plan refused the number, or there is no way out. */
  | { kind: 'refused'; code: string; reason: string }
  /** Answered and given to an agent within the grace time. */
  | { kind: 'connected'; answeredAt: Date; connectedAt: Date; entryId: string; userId: string }
  /**
   * Answered and no agent took it within the grace time (the information message played), or the
   * person answering hung up before one did (no message).
   */
  | {
      kind: 'abandoned';
      answeredAt: Date;
      waitedMs: number;
      entryId: string;
      messagePlayed: boolean;
      hungUp: boolean;
    };

export interface PredictiveCallsDeps {
  acd: AcdService;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  pool: MediaPool;
  playback: Playback;
  webConnect: WebConnectService;
  outbound: Outbound | undefined;
  holdMusic: PlaySource;
  /** The call joins the registry (a BYE finds it from now on) and gets any offer made meanwhile. */
  admit: (entryId: string, call: Call) => Promise<void>;
  /** The call is over for everyone (its queue entry abandoned, its legs hung up). */
  finish: (call: Call, reason: string, by: EndedBy) => Promise<void>;
}

/** An answered call waiting for an agent, until one takes it or the grace time runs out. */
interface Waiting {
  call: Call;
  settle: (how: 'accepted' | 'gone', userId?: string) => void;
}

/**
 * Calls the predictive dialler places (H1): dialled with no agent on the line; answered, the call
 * joins the campaign's queue at its head, so the router gives it to the next free agent (a beep
 * and the lead's details on their toolbar, Call Type "Outbound Predictive"). If no agent has it
 * within the grace time from the answer (2 s), the call is abandoned: it leaves the queue, the
 * campaign's information message plays and the call ends. The dialler is told how each call
 * ended, with the times a regulator asks for.
 */
export class PredictiveCalls {
  private readonly waiting = new Map<string, Waiting>();
  /** Calls still ringing: given up on at shutdown. */
  private readonly ringing = new Set<{ cancel?: () => void }>();
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: PredictiveCallsDeps) {
    this.unsubscribe = deps.bus.subscribe((e) => {
      if (!('entryId' in e)) return;
      const w = this.waiting.get(e.entryId);
      if (!w) return;
      // Offered to an agent whose voice is up (the call goes straight onto it) counts as taken.
      if (e.type === 'interaction.accepted') w.settle('accepted', e.userId);
      else if (e.type === 'interaction.offered' && this.persistent(e.userId)) w.settle('accepted', e.userId);
      else if (e.type === 'interaction.abandoned' || e.type === 'interaction.ended') w.settle('gone');
    });
  }

  async place(d: PredictiveDial): Promise<PredictiveOutcome> {
    const { outbound, clock } = this.deps;
    if (!outbound) return { kind: 'refused', code: 'NO_ROUTE', reason: 'SIP does not run on this server' };
    let route: Awaited<ReturnType<Outbound['route']>>;
    try {
      route = await outbound.route(d.workspaceId, d.number, d.callerId);
    } catch (err) {
      if (err instanceof AppError) return { kind: 'refused', code: err.code, reason: err.message };
      throw err;
    }
    const worker = this.deps.pool.pick();
    const control: { cancel?: () => void } = {};
    this.ringing.add(control);
    const result = await outbound
      .dial(route, `predictive-${randomUUID()}`, { ringMs: d.ringMs, control, worker })
      .finally(() => this.ringing.delete(control));
    if (!result.ok)
      return { kind: 'unanswered', status: result.status, reason: dialFailure(result.status, result.reason) };
    const answeredAt = clock.now();
    // The 2 seconds run from the answer, however long queueing the call takes.
    let settle!: Waiting['settle'];
    const settled = new Promise<{ how: 'accepted' | 'gone' | 'late'; userId?: string }>((resolve) => {
      const cancel = clock.setTimer(d.graceMs, () => resolve({ how: 'late' }));
      settle = (how, userId) => {
        cancel();
        resolve({ how, ...(userId !== undefined && { userId }) });
      };
    });
    d.onAnswer?.(answeredAt);
    const { dialogKey, leg } = result;
    const hangUp = () => outbound.hangUp(dialogKey);
    const entry = await this.deps.acd.enqueue(
      d.workspaceId,
      { campaignId: d.campaignId, label: d.label, priority: FRONT_OF_QUEUE },
      { customerPhone: route.to, platformPhone: route.callerId },
      { predictive: { leadId: d.leadId, leadNumberId: d.leadNumberId } },
    );
    const call = new Call(
      entry.id,
      d.workspaceId,
      {
        caller: { send: () => undefined, close: () => void hangUp().catch(() => undefined) },
        web: false,
        ...leg,
      },
      this.deps.holdMusic,
    );
    this.waiting.set(entry.id, { call, settle });
    await this.deps.admit(entry.id, call);
    const { how, userId } = await settled;
    this.waiting.delete(entry.id);
    const waitedMs = clock.now().getTime() - answeredAt.getTime();
    if (how === 'accepted')
      return {
        kind: 'connected',
        answeredAt,
        connectedAt: clock.now(),
        entryId: entry.id,
        userId: userId ?? '',
      };
    if (how === 'gone')
      return {
        kind: 'abandoned',
        answeredAt,
        waitedMs,
        entryId: entry.id,
        messagePlayed: false,
        hungUp: true,
      };
    const messagePlayed = await this.abandon(call, d);
    return { kind: 'abandoned', answeredAt, waitedMs, entryId: entry.id, messagePlayed, hungUp: false };
  }

  /**
   * No agent in time: the call leaves the queue (no agent may get it now), the information message
   * plays to the person who answered, then the call ends. False if it could not start (they hung
   * up first).
   */
  private async abandon(call: Call, d: PredictiveDial): Promise<boolean> {
    const { acd, playback, webConnect, log } = this.deps;
    const offeredTo = call.offeredTo;
    await acd.customerLeft(call.id, 'system');
    if (offeredTo) webConnect.stopRinging(offeredTo, call.id);
    const customer = call.customer;
    let played = false;
    if (customer && call.state !== 'ended') {
      const playbackId = `information-${randomUUID()}`;
      try {
        await playback.untilDone(playbackId, d.infoMessage.durationMs + 2000, async () => {
          await customer.worker.call('play', {
            playbackId,
            endpointId: customer.endpointId,
            source: d.infoMessage.source,
          });
          played = true;
        });
      } catch (err) {
        log.warn({ err, callId: call.id }, 'the information message could not be played');
      }
    }
    await this.deps.finish(call, 'no agent was free: the information message played', 'system');
    return played;
  }

  /** Shutdown: calls still ringing are given up. */
  stop(): void {
    this.unsubscribe();
    for (const control of this.ringing) control.cancel?.();
    for (const w of this.waiting.values()) w.settle('gone');
  }

  private persistent(userId: string): boolean {
    return this.deps.webConnect.pathOf(userId)?.mode === 'persistent';
  }
}
