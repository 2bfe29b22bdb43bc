import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { MediaPool } from '../../media/worker/media-pool.js';
import type { MediaWorker } from '../../media/worker/media-worker-client.js';
import { type Dialog, Dialogs, dialogKey, pointLegAt, tagOf } from '../dialog/dialogs.js';
import { parseNameAddr, parseVia } from '../message/parse.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { createAnswer, parseRemoteAudio } from '../sdp/offer-answer.js';
import { SdpError } from '../sdp/sdp-error.js';
import { DEFAULT_TIMERS } from '../transaction/timers.js';
import type { Peer, SipTransport } from '../transport/sip-transport.js';
import { SipClient } from '../uac/sip-client.js';
import { ALLOW, buildResponse, type RequestHandler } from './sip-server.js';

/** What a queued call tells its caller; only the end matters to a SIP caller (a BYE). */
export interface SipCaller {
  send(frame: { type: string; state?: string }): void;
  close(): void;
}

/** Call control for answered calls: the dialled number's queue. Without it callers hear a tone. */
export interface SipCallControl {
  placeSipCall(
    caller: SipCaller,
    number: string,
    leg: { worker: MediaWorker; endpointId: string },
    from: string,
    /** A carrier's call reaches only its own workspace's numbers. */
    workspaceId?: string,
  ): Promise<string>;
  customerHungUp(callId: string): Promise<void>;
  /** A key the caller pressed, sent as SIP INFO (the dtmf-relay fallback). */
  digit(callId: string, digit: string): void;
}

/** Where an INVITE came from, when the source is a carrier's trunk. */
export type TrunkOf = (address: string) => { workspaceId: string; username: string | null } | undefined;

/** An INVITE's identity across retransmissions: Call-ID, From tag and CSeq. */
function inviteKey(request: SipRequest): string {
  const h = request.headers;
  return `${h.get('Call-ID') ?? ''}|${tagOf(h.get('From')) ?? ''}|${h.get('CSeq') ?? ''}`;
}

/** The number dialled: the Request-URI's user part ("sip:+61290001000@host" gives "+61290001000"). */
export function dialledNumber(uri: string): string {
  const m = /^sips?:([^@;?]+)@/i.exec(uri);
  return m?.[1] ? decodeURIComponent(m[1]) : '';
}

/** How the caller shows in the toolbar: their number (the From user), or their display name. */
function fromLabel(from: { displayName?: string; uri: string }): string {
  const user = /^sips?:([^@;?]+)@/i.exec(from.uri)?.[1];
  return user ? decodeURIComponent(user) : (from.displayName ?? 'Caller');
}

/** The top Via's branch: a CANCEL carries the branch of the INVITE it cancels. */
function branchOf(request: SipRequest): string {
  const via = request.headers.get('Via');
  return (via ? parseVia(via).params.branch : undefined) ?? '';
}

/**
 * Answers new inbound INVITEs (RFC 3261 §13.3): a media leg in a worker, an SDP answer, and the
 * call handed to call control (IVR, queue, agent; without control the caller hears a tone); the
 * 200 OK and everything after it belong to the dialog layer (`dialog/dialogs.ts`). A CANCEL
 * undoes an INVITE still being set up.
 */
export class InboundCalls {
  /** Requests the platform sends (INVITE, CANCEL, BYE), with client transactions. */
  readonly sipClient: SipClient;
  /** The dialog layer: calls answered here, and calls the platform placed. */
  readonly dialogs: Dialogs;
  /** INVITEs being set up, by their top Via branch: a CANCEL marks them. */
  private readonly pending = new Map<string, { cancelled: boolean }>();
  /**
   * INVITEs answered 2xx in the last 64*T1, by Call-ID, From tag and CSeq: their transaction
   * ended with the 2xx, so a retransmission that crossed it must get the same 2xx again, not
   * become a second call (the "Accepted" state of RFC 6026).
   */
  private readonly answered = new Map<string, SipResponse>();
  private draining = false;

  constructor(
    private readonly transport: SipTransport,
    private readonly pool: MediaPool,
    private readonly clock: Clock,
    private readonly mediaAddress = '127.0.0.1',
    private readonly control?: SipCallControl,
    private readonly trunkOf: TrunkOf = () => undefined,
    /** The client and dialog layer when they are shared with outbound calls (made before this). */
    shared?: { client: SipClient; dialogs: Dialogs },
  ) {
    this.sipClient = shared?.client ?? new SipClient(transport, clock);
    this.dialogs = shared?.dialogs ?? new Dialogs(transport, clock, this.sipClient, mediaAddress, control);
  }

  /** Shutting down: new calls get 503 with Retry-After, so a carrier tries another route. */
  drain(): void {
    this.draining = true;
  }

  get active(): number {
    return this.dialogs.size;
  }

  /** New INVITEs and their CANCELs; requests within dialogs go to the dialog layer, the rest to `next`. */
  handler(next: RequestHandler): RequestHandler {
    const inDialog = this.dialogs.handler(next);
    return (request, peer) => {
      if (request.method === 'INVITE' && !tagOf(request.headers.get('To')))
        return this.inviteOnce(request, peer);
      if (request.method === 'CANCEL') return this.cancel(request);
      return inDialog(request, peer);
    };
  }

  ack(ack: SipRequest): void {
    this.dialogs.ack(ack);
  }

  /**
   * An INVITE while it is being set up can be cancelled (RFC 3261 §9.2): the CANCEL gets 200, and
   * the INVITE 487 once its set-up is undone (leg destroyed, the call withdrawn).
   */
  private async inviteOnce(request: SipRequest, peer: Peer): Promise<SipResponse> {
    const again = this.answered.get(inviteKey(request));
    if (again) return again;
    if (this.draining) return buildResponse(request, 503, 'Service Unavailable', [['Retry-After', '30']]);
    const branch = branchOf(request);
    const pending = { cancelled: false };
    this.pending.set(branch, pending);
    try {
      const response = await this.invite(request, peer);
      if (response.status >= 200 && response.status < 300 && !pending.cancelled) {
        const key = inviteKey(request);
        this.answered.set(key, response);
        this.clock.setTimer(64 * DEFAULT_TIMERS.T1, () => this.answered.delete(key));
      }
      if (!pending.cancelled || response.status >= 300) return response;
      const dialog = this.dialogs.take(request.headers.get('Call-ID'), tagOf(response.headers.get('To')));
      if (dialog) {
        if (dialog.controlId) await this.control?.customerHungUp(dialog.controlId);
        await dialog.worker.call('destroy', { id: dialog.endpointId }).catch(() => undefined);
      }
      return buildResponse(request, 487, 'Request Terminated');
    } finally {
      this.pending.delete(branch);
    }
  }

  private cancel(request: SipRequest): SipResponse {
    const pending = this.pending.get(branchOf(request));
    if (!pending) return buildResponse(request, 481, 'Call/Transaction Does Not Exist');
    pending.cancelled = true;
    return buildResponse(request, 200, 'OK');
  }

  private async invite(request: SipRequest, peer: Peer): Promise<SipResponse> {
    const offer = new TextDecoder().decode(request.body);
    let remote: ReturnType<typeof parseRemoteAudio>;
    try {
      remote = parseRemoteAudio(offer);
    } catch (err) {
      if (err instanceof SdpError)
        return buildResponse(request, 488, 'Not Acceptable Here', [['Warning', `399 parley "${err.code}"`]]);
      throw err;
    }
    const worker = this.pool.pick();
    const endpointId = `sip-${randomBytes(8).toString('hex')}`;
    const local = await worker.call('createRtpEndpoint', { endpointId, address: this.mediaAddress });
    await pointLegAt(worker, endpointId, remote);
    const localTag = randomBytes(6).toString('hex');
    const callId = request.headers.get('Call-ID') ?? '';
    const key = dialogKey(callId, localTag);
    const from = parseNameAddr(request.headers.get('From') ?? '');
    let controlId: string | undefined;
    if (this.control) {
      const caller: SipCaller = {
        send: (frame) => {
          if (frame.type === 'state' && frame.state === 'ended') void this.dialogs.end(key);
        },
        close: () => {},
      };
      const trunk = this.trunkOf(peer.address);
      // A carrier sending to our registration names the account, not the number: that is in To.
      let number = dialledNumber(request.uri);
      if (trunk?.username && number === trunk.username)
        number = dialledNumber(parseNameAddr(request.headers.get('To') ?? '').uri);
      try {
        controlId = await this.control.placeSipCall(
          caller,
          number,
          { worker, endpointId },
          fromLabel(from),
          trunk?.workspaceId,
        );
      } catch (err) {
        await worker.call('destroy', { id: endpointId }).catch(() => undefined);
        const code = (err as { code?: string }).code;
        if (code === 'NOT_FOUND') return buildResponse(request, 404, 'Not Found');
        return buildResponse(request, 503, 'Service Unavailable');
      }
    } else {
      await worker.call('play', {
        playbackId: `${endpointId}-tone`,
        endpointId,
        source: { kind: 'tone', frequencies: [425] },
        loop: true,
      });
    }
    const answer = createAnswer(offer, { address: local.address, port: local.port });
    const to = `${request.headers.get('To') ?? ''};tag=${localTag}`;
    const ok = buildResponse(request, 200, 'OK', [
      ['Contact', `<sip:parley@${this.mediaAddress}:${this.transport.port};transport=${peer.transport}>`],
      ['Allow', ALLOW],
      ['Content-Type', 'application/sdp'],
    ]);
    ok.headers.set('To', to);
    ok.body = new TextEncoder().encode(answer.sdp);
    const contact = request.headers.get('Contact');
    const dialog: Dialog = {
      local: { address: local.address, port: local.port },
      callId,
      localTag,
      endpointId,
      worker,
      stopRetransmit: () => {},
      peer,
      remoteTarget: contact ? parseNameAddr(contact).uri : from.uri,
      localUri: to,
      remoteUri: request.headers.get('From') ?? '',
      ...(controlId && { controlId }),
    };
    this.dialogs.add(dialog, ok);
    return ok;
  }
}
