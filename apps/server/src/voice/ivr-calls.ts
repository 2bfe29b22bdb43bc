import { randomUUID } from 'node:crypto';
import type { WorkflowDefinition } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { IvrRunner } from '../ivr/ivr-runner.js';
import type { MediaWorker } from '../media/worker/media-worker-client.js';
import type { Caller } from './call/call.js';
import type { Outbound } from './outbound.js';
import { FIRST_PROMPT_WAIT_MS, type Playback } from './playback.js';

/** A call as it arrives: who, on which number, with which leg. */
export interface Arrival {
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

/** A caller taken out of the IVR by a shutdown: told, hung up and their leg destroyed by `end`. */
export interface DrainedCaller {
  worker: MediaWorker;
  leg: string;
  end(reason: string): Promise<void>;
}

export interface IvrCallsDeps {
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  playback: Playback;
  /** Calls the platform places (the "transfer" node), when SIP runs here. */
  outbound: Outbound | undefined;
  /** The workflow chose a queue: the caller goes there, with the data the IVR gathered. */
  toQueue: (arrival: Arrival, campaignId: string, data: string | null) => Promise<void>;
  /** Shutting down: a workflow that ends now leaves its caller to the shutdown. */
  draining: () => boolean;
}

/**
 * Callers in the IVR: the number's workflow runs on the caller's leg (prompts, keys, a queue
 * chosen), and its "transfer" node puts the caller through to a number outside. What happens
 * next is the queue's (`toQueue`), or the caller is hung up.
 */
export class IvrCalls {
  /** Callers in a workflow, by their leg. */
  private readonly menus = new Map<string, Menu>();
  /** IVR transfers in progress, by either leg. */
  private readonly transfers = new Map<string, Transfer>();

  constructor(private readonly deps: IvrCallsDeps) {}

  /** Runs the workflow in the background (the caller is answered already). */
  start(arrival: Arrival, workflow: WorkflowDefinition): void {
    const { worker, endpointId } = arrival;
    const { playback, log } = this.deps;
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
          await playback.playAndWait(worker, endpointId, `prompts/${prompt}`, {
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
      this.deps.clock,
    );
    this.menus.set(endpointId, { runner, web: arrival.web, caller: arrival.caller, worker, silence });
    arrival.caller.send({ type: 'state', state: 'menu' });
    const listening = playback.untilHeard(endpointId, FIRST_PROMPT_WAIT_MS);
    void (async () => {
      await listening;
      const outcome = await runner.run();
      if (this.deps.draining()) return; // shutting down: the shutdown hangs the caller up
      this.menus.delete(endpointId);
      if (outcome.kind === 'queue') {
        await this.deps.toQueue(arrival, outcome.campaignId, outcome.data);
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
      log.error({ err }, 'IVR failed');
      arrival.caller.send({ type: 'state', state: 'ended', reason: 'the call could not be completed' });
      arrival.caller.close();
      await worker.call('destroy', { id: endpointId }).catch(() => undefined);
    });
  }

  /** A key (from the media or SIP INFO) for the workflow on `leg`. */
  digit(leg: string, digit: string): void {
    this.menus.get(leg)?.runner.digit(digit);
  }

  /** Whether `leg` is a web phone caller's in the IVR or an IVR transfer; undefined if not here. */
  isWebCaller(leg: string): boolean | undefined {
    const menu = this.menus.get(leg);
    if (menu) return menu.web;
    const transfer = this.transfers.get(leg);
    if (transfer) return transfer.customer === leg && transfer.web;
    return undefined;
  }

  /** `leg` hung up. True when it was a caller in the IVR or a side of an IVR transfer. */
  async hungUp(leg: string, reason: string): Promise<boolean> {
    const transfer = this.transfers.get(leg);
    if (transfer) {
      await this.endTransfer(transfer, leg === transfer.far ? 'the call ended' : reason);
      return true;
    }
    const menu = this.menus.get(leg);
    if (menu) {
      menu.runner.abort(); // its run ends as "gone" and destroys the leg
      return true;
    }
    return false;
  }

  /** Shutdown, first step: every workflow stops where it is; the callers are handed back. */
  drain(): DrainedCaller[] {
    const menus = [...this.menus.entries()];
    this.menus.clear();
    return menus.map(([leg, menu]) => {
      menu.runner.abort();
      menu.silence();
      return {
        worker: menu.worker,
        leg,
        end: async (reason: string) => {
          menu.caller.send({ type: 'state', state: 'ended', reason });
          menu.caller.close();
          await menu.worker.call('destroy', { id: leg }).catch(() => undefined);
        },
      };
    });
  }

  /** Shutdown, last step: every IVR transfer is hung up on both sides. */
  async endTransfers(reason: string): Promise<void> {
    for (const t of new Set(this.transfers.values())) await this.endTransfer(t, reason);
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
    const { outbound, db, log } = this.deps;
    if (!outbound) return false;
    const workspaceId = arrival.inbound.workspace_id;
    const campaign = await db
      .selectFrom('campaigns')
      .select('caller_id')
      .where('id', '=', arrival.inbound.campaign_id)
      .executeTakeFirst();
    let route: Awaited<ReturnType<Outbound['route']>>;
    try {
      route = await outbound.route(workspaceId, number, campaign?.caller_id);
    } catch (err) {
      log.warn({ err, number, workspaceId }, 'IVR transfer refused');
      return false;
    }
    const far = `transfer-${randomUUID()}`;
    const result = await outbound.dial(route, far, { ringMs, control, worker: arrival.worker });
    if (!result.ok) {
      log.info({ number, status: result.status }, 'IVR transfer not answered');
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
    await this.deps.outbound?.hangUp(t.dialogKey);
    t.caller.send({ type: 'state', state: 'ended', reason });
    t.caller.close();
    for (const id of [t.mixer, t.far, t.customer])
      await t.worker.call('destroy', { id }).catch(() => undefined);
  }
}
