import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { MediaPool } from '../../media/worker/media-pool.js';
import type { MediaWorker } from '../../media/worker/media-worker-client.js';
import { parseNameAddr, parseVia } from '../message/parse.js';
import { SipHeaders, type SipRequest, type SipResponse } from '../message/sip-message.js';
import { createAnswer, parseRemoteAudio } from '../sdp/offer-answer.js';
import { SdpError } from '../sdp/sdp-error.js';
import { DEFAULT_TIMERS } from '../transaction/timers.js';
import type { Peer, SipTransport } from '../transport/sip-transport.js';
import { SipClient } from '../uac/sip-client.js';
import { ALLOW, buildResponse, type RequestHandler } from './sip-server.js';

export interface Dialog {
  callId: string;
  localTag: string;
  endpointId: string;
  worker: MediaWorker;
  /** Stops re-sending the 200 OK once the ACK came (or gave up). */
  stopRetransmit: () => void;
  /** Our media address and port, answered again in re-INVITEs. */
  local: { address: string; port: number };
  /** For a BYE from our side: where to (the caller's Contact), and the dialog's From and To. */
  peer: Peer;
  remoteTarget: string;
  localUri: string;
  remoteUri: string;
  /** The call in call control, when the call went to a queue. */
  controlId?: string;
}

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

/**
 * The key in an INFO body (RFC 2976 carrying "application/dtmf-relay" "Signal=5", or
 * "application/dtmf" "5"), or undefined when there is none to take.
 */
export function infoDigit(contentType: string, body: string): string | undefined {
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  let signal: string | undefined;
  if (type === 'application/dtmf-relay') signal = /^\s*signal\s*=\s*(\S+)/im.exec(body)?.[1];
  else if (type === 'application/dtmf') signal = body.trim();
  if (signal === undefined) return undefined;
  const key = signal === '10' ? '*' : signal === '11' ? '#' : signal.toUpperCase();
  return /^[0-9*#A-D]$/.test(key) ? key : undefined;
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

const tagOf = (value: string | undefined) =>
  (value ? parseNameAddr(value).params.tag : undefined) ?? undefined;

/**
 * Answers inbound INVITEs (RFC 3261 §13.3): a media leg in a worker, an SDP answer, the 200 OK
 * re-sent until its ACK (the UAS core's job, §13.3.1.4), and BYE to end it. What the call then
 * does (IVR, queue, agent) is for call control; here the caller hears a tone.
 */
export class InboundCalls {
  private readonly dialogs = new Map<string, Dialog>();

  private readonly client: SipClient;
  /** INVITEs being set up, by their top Via branch: a CANCEL marks them. */
  private readonly pending = new Map<string, { cancelled: boolean }>();

  constructor(
    private readonly transport: SipTransport,
    private readonly pool: MediaPool,
    private readonly clock: Clock,
    private readonly mediaAddress = '127.0.0.1',
    private readonly control?: SipCallControl,
    private readonly trunkOf: TrunkOf = () => undefined,
  ) {
    this.client = new SipClient(transport, clock);
  }

  get active(): number {
    return this.dialogs.size;
  }

  /** Handles INVITE and BYE; other methods go to `next`. */
  handler(next: RequestHandler): RequestHandler {
    return (request, peer) => {
      if (request.method === 'INVITE') return this.inviteOnce(request, peer);
      if (request.method === 'CANCEL') return this.cancel(request);
      if (request.method === 'BYE') return this.bye(request);
      if (request.method === 'INFO') return this.info(request);
      return next(request, peer);
    };
  }

  /** A dialog the platform started (an outbound call): BYE either way then works as for inbound. */
  adopt(dialog: Omit<Dialog, 'stopRetransmit'>): string {
    const key = this.key(dialog.callId, dialog.localTag);
    this.dialogs.set(key, { ...dialog, stopRetransmit: () => {} });
    return key;
  }

  /** Ends a dialog from our side (a BYE); nothing if it has ended already. */
  end(key: string): Promise<void> {
    return this.hangUp(key);
  }

  /** Sends requests of our own (INVITE, CANCEL) with client transactions. */
  get sipClient(): SipClient {
    return this.client;
  }

  ack(ack: SipRequest): void {
    const dialog = this.dialogs.get(this.key(ack.headers.get('Call-ID'), tagOf(ack.headers.get('To'))));
    dialog?.stopRetransmit();
  }

  /**
   * An INVITE while it is being set up can be cancelled (RFC 3261 §9.2): the CANCEL gets 200, and
   * the INVITE 487 once its set-up is undone (leg destroyed, the call withdrawn).
   */
  private async inviteOnce(request: SipRequest, peer: Peer): Promise<SipResponse> {
    const branch = branchOf(request);
    const pending = { cancelled: false };
    this.pending.set(branch, pending);
    try {
      const response = await this.invite(request, peer);
      if (!pending.cancelled || response.status >= 300) return response;
      const key = this.key(request.headers.get('Call-ID'), tagOf(response.headers.get('To')));
      const dialog = this.dialogs.get(key);
      if (dialog) {
        this.dialogs.delete(key);
        dialog.stopRetransmit();
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
    if (tagOf(request.headers.get('To'))) return this.reInvite(request, peer);
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
    await worker.call('applyRemote', {
      endpointId,
      address: remote.address,
      port: remote.port,
      payloadType: remote.payloadType,
      ...(remote.dtmfPayloadType !== undefined && { dtmfPayloadType: remote.dtmfPayloadType }),
    });
    const localTag = randomBytes(6).toString('hex');
    const callId = request.headers.get('Call-ID') ?? '';
    const key = this.key(callId, localTag);
    const from = parseNameAddr(request.headers.get('From') ?? '');
    let controlId: string | undefined;
    if (this.control) {
      const caller: SipCaller = {
        send: (frame) => {
          if (frame.type === 'state' && frame.state === 'ended') void this.hangUp(key);
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
    this.dialogs.set(key, dialog);
    if (peer.transport === 'udp') dialog.stopRetransmit = this.retransmit(ok, peer);
    return ok;
  }

  /**
   * A re-INVITE in a dialog (RFC 3261 §14.2): the caller holds (sendonly/inactive), resumes, or
   * moves its media. We answer from the same port, point the leg at the new address, and re-send
   * the 200 until its ACK.
   */
  private async reInvite(request: SipRequest, peer: Peer): Promise<SipResponse> {
    const key = this.key(request.headers.get('Call-ID'), tagOf(request.headers.get('To')));
    const dialog = this.dialogs.get(key);
    if (!dialog) return buildResponse(request, 481, 'Call/Transaction Does Not Exist');
    const offer = new TextDecoder().decode(request.body);
    let answer: ReturnType<typeof createAnswer>;
    try {
      answer = createAnswer(offer, dialog.local);
    } catch (err) {
      if (err instanceof SdpError)
        return buildResponse(request, 488, 'Not Acceptable Here', [['Warning', `399 parley "${err.code}"`]]);
      throw err;
    }
    const remote = answer.remote;
    // Old-style hold (c=0.0.0.0) names no address: keep sending where we did.
    if (remote.address !== '0.0.0.0')
      await dialog.worker.call('applyRemote', {
        endpointId: dialog.endpointId,
        address: remote.address,
        port: remote.port,
        payloadType: remote.payloadType,
        ...(remote.dtmfPayloadType !== undefined && { dtmfPayloadType: remote.dtmfPayloadType }),
      });
    const ok = buildResponse(request, 200, 'OK', [
      ['Contact', `<sip:parley@${this.mediaAddress}:${this.transport.port};transport=${peer.transport}>`],
      ['Allow', ALLOW],
      ['Content-Type', 'application/sdp'],
    ]);
    ok.body = new TextEncoder().encode(answer.sdp);
    dialog.stopRetransmit();
    if (peer.transport === 'udp') dialog.stopRetransmit = this.retransmit(ok, peer);
    return ok;
  }

  private async bye(request: SipRequest): Promise<SipResponse> {
    const key = this.key(request.headers.get('Call-ID'), tagOf(request.headers.get('To')));
    const dialog = this.dialogs.get(key);
    if (!dialog) return buildResponse(request, 481, 'Call/Transaction Does Not Exist');
    this.dialogs.delete(key);
    dialog.stopRetransmit();
    if (dialog.controlId) await this.control?.customerHungUp(dialog.controlId);
    await dialog.worker.call('destroy', { id: dialog.endpointId }).catch(() => undefined);
    return buildResponse(request, 200, 'OK');
  }

  /** INFO in a dialog: a key pressed (dtmf-relay), for phones and carriers that do not send RFC 4733. */
  private info(request: SipRequest): SipResponse {
    const dialog = this.dialogs.get(
      this.key(request.headers.get('Call-ID'), tagOf(request.headers.get('To'))),
    );
    if (!dialog) return buildResponse(request, 481, 'Call/Transaction Does Not Exist');
    if (request.body.length === 0) return buildResponse(request, 200, 'OK'); // a keep-alive
    const contentType = request.headers.get('Content-Type') ?? '';
    const digit = infoDigit(contentType, new TextDecoder().decode(request.body));
    if (digit === undefined)
      return buildResponse(request, 415, 'Unsupported Media Type', [
        ['Accept', 'application/dtmf-relay, application/dtmf'],
      ]);
    if (dialog.controlId) this.control?.digit(dialog.controlId, digit);
    return buildResponse(request, 200, 'OK');
  }

  /** Our side ends the call: a BYE in the dialog (RFC 3261 §15.1.1), sent with its own transaction. */
  private async hangUp(key: string): Promise<void> {
    const dialog = this.dialogs.get(key);
    if (!dialog) return;
    this.dialogs.delete(key);
    dialog.stopRetransmit();
    const headers = new SipHeaders();
    headers.append('Via', this.client.via(dialog.peer, this.mediaAddress));
    headers.append('Max-Forwards', '70');
    headers.append('From', dialog.localUri);
    headers.append('To', dialog.remoteUri);
    headers.append('Call-ID', dialog.callId);
    headers.append('CSeq', '1 BYE');
    headers.append('Content-Length', '0');
    const bye: SipRequest = {
      kind: 'request',
      method: 'BYE',
      uri: dialog.remoteTarget,
      version: 'SIP/2.0',
      headers,
      body: new Uint8Array(),
    };
    await this.client.send(bye, dialog.peer);
  }

  /** The 200 OK again at T1, doubling up to T2, until the ACK or 64*T1. */
  private retransmit(ok: SipResponse, peer: Peer): () => void {
    const t = DEFAULT_TIMERS;
    let cancel: () => void = () => {};
    let stopped = false;
    const started = this.clock.now().getTime();
    const schedule = (interval: number) => {
      cancel = this.clock.setTimer(interval, () => {
        if (stopped || this.clock.now().getTime() - started >= 64 * t.T1) return;
        this.transport.send(ok, peer);
        schedule(Math.min(interval * 2, t.T2));
      });
    };
    schedule(t.T1);
    return () => {
      stopped = true;
      cancel();
    };
  }

  private key(callId: string | undefined, localTag: string | undefined): string {
    return `${callId ?? ''}|${localTag ?? ''}`;
  }
}
