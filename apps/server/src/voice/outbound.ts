import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import type { MediaPool } from '../media/worker/media-pool.js';
import type { MediaWorker } from '../media/worker/media-worker-client.js';
import type { Dialogs } from '../sip/dialog/dialogs.js';
import type { Peer, SipTransport } from '../sip/transport/sip-transport.js';
import { type DialResult, dial } from '../sip/uac/outbound-call.js';
import type { SipClient } from '../sip/uac/sip-client.js';
import type { Registrar } from '../sip/uas/registrar.js';
import type { TrunkDirectory } from '../telephony/trunk-directory.js';
import { checkDestination, type DialPlan, workspaceDialPlan } from './dial-plan.js';

/**
 * Why a dialled number did not take the call, in words, from its SIP status: busy, no answer,
 * unobtainable, declined, or the carrier's own failure.
 */
export function dialFailure(status: number, reason: string): string {
  if (status === 486 || status === 600) return 'the line is busy';
  if (status === 408 || status === 480 || status === 487) return 'there was no answer';
  if (status === 404 || status === 410 || status === 484 || status === 604)
    return 'the number cannot be reached';
  if (status === 603 || status === 403) return 'the call was declined';
  if (status >= 500) return `the carrier could not connect the call (${status} ${reason})`;
  return `the call failed (${status} ${reason})`;
}

/** Where a call goes, once the dial plan allowed it. */
export interface PhoneRoute {
  uri: string;
  peer: Peer;
  /** Shown to the called phone (the caller ID). */
  fromUser: string;
  /** The caller ID presented, when there is one (the campaign's, else the trunk's). */
  callerId: string | null;
  /** What is called, as people read it: the number in E.164, the extension, the SIP address. */
  to: string;
  credentials?: { username: string | null; password: string | null };
}

/**
 * Every call the platform places goes through here (toll-fraud guard first): a desk phone's
 * extension where it registered, a phone on a trusted network by SIP address, or a number that
 * passes the workspace's dial plan, out through the workspace's trunk (with its caller ID, and its
 * credentials for the carrier's challenge) or the server's outbound proxy.
 */
export class Outbound {
  constructor(
    private readonly deps: {
      db: Db;
      transport: SipTransport;
      dialogs: Dialogs;
      client: SipClient;
      pool: MediaPool;
      clock: Clock;
      mediaAddress: string;
      /** The server's plan, for workspaces without their own. */
      plan: DialPlan;
      trunks: TrunkDirectory;
      registrar: Registrar;
      outboundProxy: { host: string; port: number } | undefined;
    },
  ) {}

  /**
   * The dial plan, then the way there. Errors (DIAL_PLAN_REFUSED, NO_ROUTE) say why not.
   * `callerId`: the campaign's number to present on a trunk, over the trunk's own.
   */
  async route(workspaceId: string, destination: string, callerId?: string | null): Promise<PhoneRoute> {
    const d = this.deps;
    const text = destination.trim();
    if (/^\d{2,6}$/.test(text)) {
      const binding = await d.registrar.lookup(workspaceId, text);
      if (binding)
        return { uri: binding.contact, peer: binding.peer, fromUser: 'parley', callerId: null, to: text };
    }
    const dest = checkDestination(text, await workspaceDialPlan(d.db, workspaceId, d.plan));
    if (dest.kind === 'sip')
      return {
        uri: dest.uri,
        peer: { transport: 'udp', address: dest.host, port: dest.port },
        fromUser: 'parley',
        callerId: null,
        to: dest.uri,
      };
    const trunk = await d.trunks.outbound(workspaceId);
    if (trunk && !trunk.address)
      throw new AppError(
        'NO_ROUTE',
        `The trunk's host ${trunk.host} cannot be found (DNS); calls cannot go out`,
      );
    if (trunk)
      return {
        uri: `sip:${dest.e164}@${trunk.host}:${trunk.port}`,
        peer: { transport: trunk.transport, address: trunk.address, port: trunk.port },
        fromUser: callerId ?? trunk.callerId ?? 'parley',
        callerId: callerId ?? trunk.callerId ?? null,
        to: dest.e164,
        credentials: { username: trunk.username, password: trunk.password },
      };
    const proxy = d.outboundProxy;
    if (!proxy)
      throw new AppError(
        'NO_ROUTE',
        'Calls to phone numbers need a SIP trunk for this workspace (or SIP_OUTBOUND_PROXY)',
      );
    return {
      uri: `sip:${dest.e164}@${proxy.host}:${proxy.port}`,
      peer: { transport: 'udp', address: proxy.host, port: proxy.port },
      fromUser: 'parley',
      callerId: null,
      to: dest.e164,
    };
  }

  /**
   * Places the call: `endpointId` names its media leg and is what a BYE from the far end reports
   * to call control. `worker`: make the leg there (to mix it with a leg already on it).
   */
  dial(
    route: PhoneRoute,
    endpointId: string,
    o: {
      ringMs: number;
      control?: { cancel?: () => void };
      worker?: MediaWorker;
      progress?: (status: number) => void;
    },
  ): Promise<DialResult> {
    const d = this.deps;
    const { to: _shown, callerId: _presented, ...where } = route;
    return dial(
      {
        transport: d.transport,
        dialogs: d.dialogs,
        client: d.client,
        pool: d.pool,
        clock: d.clock,
        mediaAddress: d.mediaAddress,
        ...where,
        ringMs: o.ringMs,
        controlId: endpointId,
        ...(o.control && { control: o.control }),
        ...(o.worker && { worker: o.worker }),
        ...(o.progress && { progress: o.progress }),
      },
      endpointId,
    );
  }

  /** Ends a call the platform placed (a BYE); nothing if it has ended. */
  hangUp(dialogKey: string): Promise<void> {
    return this.deps.dialogs.end(dialogKey);
  }
}
