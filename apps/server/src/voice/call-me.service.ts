import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { DialResult } from '../sip/uac/outbound-call.js';
import type { Outbound, PhoneRoute } from './outbound.js';
import type { Playback } from './playback.js';
import type { PhoneRinger, WebConnectService } from './web-connect.service.js';

interface RingingPhone {
  endpointId: string;
  control: { cancel?: () => void };
  dialog?: string;
}

/** How long the agent's phone rings for the connecting call before the platform gives up. */
const RING_MS = 30_000;

/**
 * "Call me to connect" (B2): the platform calls the agent's phone: a number out through the
 * workspace's trunk (or the server's outbound proxy), a desk phone's extension where it
 * registered, or a phone on the office network by SIP address; every destination first passes
 * the workspace's dial plan.
 *
 * Persistent: the phone rings now; answered, that call is the agent's voice path for the login
 * and customers' calls arrive on it with a beep. Non-persistent: the phone rings now to prove
 * the number, then again for each call delivered to the agent; answering it connects the
 * customer, and the call's end hangs it up.
 */
export class CallMeService {
  /** Legs of phones that answered (or are ringing), to the agent they belong to. */
  private readonly legs = new Map<string, string>();

  constructor(
    private readonly deps: {
      outbound: Outbound;
      webConnect: WebConnectService;
      acd: AcdService;
      notifications: NotificationsService;
      log: FastifyBaseLogger;
      playback: Playback;
    },
  ) {}

  /** Checks and routes the destination at once (errors are the request's); the call runs on. */
  async start(userId: string, workspaceId: string, destination: string, persistent: boolean): Promise<void> {
    const route = await this.deps.outbound.route(workspaceId, destination);
    void this.connect(userId, workspaceId, route, destination, persistent).catch((err) => {
      this.deps.log.error({ err }, 'call me to connect failed');
      this.failed(userId, workspaceId, destination, 'the call could not be placed');
    });
  }

  /** The phone hung up; true if it was a call-me leg. */
  hungUp(ref: string): boolean {
    const userId = this.legs.get(ref);
    if (!userId) return false;
    this.legs.delete(ref);
    void this.deps.webConnect.phoneGone(userId, ref);
    return true;
  }

  /**
   * Rings the phone now, in either mode, so a wrong or unreachable number shows at once.
   * Persistent: answered, it hears that calls come with a beep, and that call is the agent's
   * voice path for the login. Non-persistent: answered, it hears that it will ring for each
   * call and the platform hangs up; from then on each offered call rings it.
   */
  private async connect(
    userId: string,
    workspaceId: string,
    route: PhoneRoute,
    shown: string,
    persistent: boolean,
  ) {
    const d = this.deps;
    await d.acd.setVoice(userId, workspaceId, 'connecting');
    const endpointId = `callme-${randomUUID()}`;
    this.legs.set(endpointId, userId);
    const result = await d.outbound.dial(route, endpointId, { ringMs: RING_MS });
    if (!result.ok) {
      this.legs.delete(endpointId);
      this.failed(userId, workspaceId, shown, `${result.status} ${result.reason}`);
      return;
    }
    const greeting = persistent ? 'prompts/agent-connected' : 'prompts/phone-ready';
    await d.playback.playAndWait(result.leg.worker, endpointId, greeting, { limitMs: 10_000 });
    if (!persistent) {
      this.legs.delete(endpointId);
      await d.outbound.hangUp(result.dialogKey);
      await result.leg.worker.call('destroy', { id: endpointId }).catch(() => undefined);
      await d.webConnect.attachRinger(userId, workspaceId, this.ringer(userId, route));
      return;
    }
    if (!this.legs.has(endpointId)) {
      this.failed(userId, workspaceId, shown, 'the phone hung up during the greeting');
      return;
    }
    await d.webConnect.attachPhone(userId, workspaceId, result.leg, () => {
      this.legs.delete(endpointId);
      void d.outbound.hangUp(result.dialogKey);
    });
  }

  /** Non-persistent: each offered call dials the phone; stopping cancels the ring or hangs up. */
  private ringer(userId: string, route: PhoneRoute): PhoneRinger {
    const d = this.deps;
    /** Per offered call: its phone leg, a way to stop the ringing, and the dialog once answered. */
    const calls = new Map<string, RingingPhone>();
    return {
      ring: (interactionId) => {
        const endpointId = `callme-${randomUUID()}`;
        const entry: RingingPhone = { endpointId, control: {} };
        calls.set(interactionId, entry);
        this.legs.set(endpointId, userId);
        void d.outbound
          .dial(route, endpointId, { ringMs: RING_MS, control: entry.control })
          .then(async (result: DialResult) => {
            if (!result.ok) {
              this.legs.delete(endpointId);
              d.log.info({ userId, status: result.status }, 'the agent’s phone did not answer');
              return;
            }
            entry.dialog = result.dialogKey;
            if (calls.get(interactionId) !== entry) {
              // Answered just as the offer went away.
              this.legs.delete(endpointId);
              await d.outbound.hangUp(result.dialogKey);
              await result.leg.worker.call('destroy', { id: endpointId }).catch(() => undefined);
              return;
            }
            await d.webConnect.phoneAnswered(userId, interactionId, result.leg);
          })
          .catch((err) => d.log.error({ err }, 'ringing the agent’s phone failed'));
      },
      stop: (interactionId) => {
        const entry = calls.get(interactionId);
        if (!entry) return;
        calls.delete(interactionId);
        this.legs.delete(entry.endpointId);
        if (entry.dialog) void d.outbound.hangUp(entry.dialog);
        else entry.control.cancel?.();
      },
    };
  }

  private failed(userId: string, workspaceId: string, shown: string, why: string): void {
    const d = this.deps;
    d.acd.setVoice(userId, workspaceId, 'none').catch(() => undefined);
    d.notifications
      .notify(userId, 'warning', `Call me to connect: ${shown} was not connected (${why}).`)
      .catch(() => undefined);
  }
}
