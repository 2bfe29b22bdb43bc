import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import { AppError } from '../http/app-error.js';
import type { MediaPool } from '../media/worker/media-pool.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { Peer, SipTransport } from '../sip/transport/sip-transport.js';
import { dial } from '../sip/uac/outbound-call.js';
import type { InboundCalls } from '../sip/uas/inbound-calls.js';
import { checkDestination, type DialPlan } from './dial-plan.js';
import type { Playback } from './playback.js';
import type { WebConnectService } from './web-connect.service.js';

/** How long the agent's phone rings before the platform gives up (CANCEL). */
const RING_MS = 30_000;

/**
 * "Call me to connect" (B2), persistent: the platform calls the agent's phone (a number through
 * the outbound proxy, or a phone on the office network by SIP address), every destination first
 * passing the dial plan; answered, the call is the agent's voice path for the login, and calls
 * arrive on it with a beep. Hanging up the phone loses the voice path.
 */
export class CallMeService {
  /** Legs of phones that answered (or are ringing), to the agent they belong to. */
  private readonly legs = new Map<string, string>();

  constructor(
    private readonly deps: {
      transport: SipTransport;
      dialogs: InboundCalls;
      pool: MediaPool;
      clock: Clock;
      mediaAddress: string;
      webConnect: WebConnectService;
      acd: AcdService;
      notifications: NotificationsService;
      plan: DialPlan;
      outboundProxy: { host: string; port: number } | undefined;
      log: FastifyBaseLogger;
      playback: Playback;
    },
  ) {}

  /** Checks the destination at once (errors are the request's); the call itself runs on. */
  start(userId: string, workspaceId: string, destination: string): void {
    const dest = checkDestination(destination, this.deps.plan);
    let uri: string;
    let peer: Peer;
    if (dest.kind === 'sip') {
      uri = dest.uri;
      peer = { transport: 'udp', address: dest.host, port: dest.port };
    } else {
      const proxy = this.deps.outboundProxy;
      if (!proxy)
        throw new AppError('NO_ROUTE', 'Calls to phone numbers need an outbound route (SIP_OUTBOUND_PROXY)');
      uri = `sip:${dest.e164}@${proxy.host}:${proxy.port}`;
      peer = { transport: 'udp', address: proxy.host, port: proxy.port };
    }
    void this.call(userId, workspaceId, uri, peer, destination).catch((err) => {
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

  private async call(userId: string, workspaceId: string, uri: string, peer: Peer, shown: string) {
    const d = this.deps;
    await d.acd.setVoice(userId, workspaceId, 'connecting');
    const endpointId = `callme-${randomUUID()}`;
    this.legs.set(endpointId, userId);
    const result = await dial(
      {
        transport: d.transport,
        dialogs: d.dialogs,
        pool: d.pool,
        clock: d.clock,
        mediaAddress: d.mediaAddress,
        uri,
        peer,
        fromUser: 'parley',
        ringMs: RING_MS,
        controlId: endpointId,
      },
      endpointId,
    );
    if (!result.ok) {
      this.legs.delete(endpointId);
      this.failed(userId, workspaceId, shown, `${result.status} ${result.reason}`);
      return;
    }
    await d.playback.playAndWait(result.leg.worker, endpointId, 'prompts/agent-connected', {
      limitMs: 10_000,
    });
    if (!this.legs.has(endpointId)) return; // hung up during the greeting
    await d.webConnect.attachPhone(userId, workspaceId, result.leg);
  }

  private failed(userId: string, workspaceId: string, shown: string, why: string): void {
    const d = this.deps;
    d.acd.setVoice(userId, workspaceId, 'none').catch(() => undefined);
    d.notifications
      .notify(userId, 'warning', `Call me to connect: ${shown} was not connected (${why}).`)
      .catch(() => undefined);
  }
}
