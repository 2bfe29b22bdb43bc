import type { Clock } from '../../clock.js';
import type { MediaWorker } from '../../media/worker/media-worker-client.js';
import { parseNameAddr } from '../message/parse.js';
import { SipHeaders, type SipRequest, type SipResponse } from '../message/sip-message.js';
import { createAnswer, type RemoteAudio } from '../sdp/offer-answer.js';
import { SdpError } from '../sdp/sdp-error.js';
import { DEFAULT_TIMERS } from '../transaction/timers.js';
import type { Peer, SipTransport } from '../transport/sip-transport.js';
import type { SipClient } from '../uac/sip-client.js';
import { ALLOW, buildResponse, type RequestHandler } from '../uas/sip-server.js';
import type { DialogAddress, DialogStore, StoredDialog } from './dialog-store.js';

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
  /** The CSeq of our last request in the dialog (our INVITE's, for calls we placed). */
  localCseq?: number;
}

/** Who owns the calls behind dialogs: told of the far end's hang-up and of keys sent by INFO. */
export interface DialogOwner {
  customerHungUp(controlId: string): Promise<void>;
  digit(controlId: string, digit: string): void;
}

export const tagOf = (value: string | undefined) =>
  (value ? parseNameAddr(value).params.tag : undefined) ?? undefined;

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

/**
 * The dialog layer (RFC 3261 §12), for calls answered here and calls the platform placed alike:
 * requests within a dialog (BYE, re-INVITE, INFO) are matched by Call-ID and our tag; our 2xx to
 * an INVITE is re-sent until its ACK; our own hang-up is a BYE with its own client transaction.
 */
export class Dialogs {
  private readonly dialogs = new Map<string, Dialog>();
  /** Our BYEs still waiting for their answer. */
  private readonly hangingUp = new Set<Promise<void>>();

  constructor(
    private readonly transport: SipTransport,
    private readonly clock: Clock,
    private readonly client: SipClient,
    private readonly mediaAddress: string,
    private readonly owner?: DialogOwner,
    /** Where dialogs are kept for the next start, when a crash would otherwise leave them up. */
    private readonly store?: DialogStore,
  ) {}

  get size(): number {
    return this.dialogs.size;
  }

  /** Requests within a dialog; anything else goes to `next`. */
  handler(next: RequestHandler): RequestHandler {
    return (request, peer) => {
      const inDialog = tagOf(request.headers.get('To')) !== undefined;
      if (request.method === 'INVITE' && inDialog) return this.reInvite(request, peer);
      if (request.method === 'BYE') return this.bye(request);
      if (request.method === 'INFO') return this.info(request);
      return next(request, peer);
    };
  }

  /** A dialog our 2xx answered; the 2xx is re-sent until its ACK. */
  add(dialog: Dialog, ok: SipResponse): string {
    const key = this.key(dialog.callId, dialog.localTag);
    this.dialogs.set(key, dialog);
    this.store?.save(key, dialog);
    dialog.stopRetransmit = this.awaitAck(key, ok, dialog.peer);
    return key;
  }

  /** A dialog the platform started (an outbound call): BYE either way then works as for inbound. */
  adopt(dialog: Omit<Dialog, 'stopRetransmit'>): string {
    const key = this.key(dialog.callId, dialog.localTag);
    this.dialogs.set(key, { ...dialog, stopRetransmit: () => {} });
    this.store?.save(key, dialog);
    return key;
  }

  /** Forgets a dialog without a BYE (its INVITE was cancelled); returns it for undoing. */
  take(callId: string | undefined, localTag: string | undefined): Dialog | undefined {
    const key = this.key(callId, localTag);
    const dialog = this.forget(key);
    dialog?.stopRetransmit();
    return dialog;
  }

  /** Ends a dialog from our side (a BYE); nothing if it has ended already. */
  end(key: string): Promise<void> {
    return this.track(this.hangUp(key));
  }

  /** A BYE of ours in flight: shutdown's `settle` lets it be answered. */
  private track(bye: Promise<void>): Promise<void> {
    this.hangingUp.add(bye);
    void bye.finally(() => this.hangingUp.delete(bye));
    return bye;
  }

  /** On shutdown: lets our BYEs be answered (or `ms` pass) before the transport closes. */
  async settle(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.hangingUp]),
      new Promise((r) => {
        timer = setTimeout(r, ms);
      }),
    ]);
    clearTimeout(timer);
  }

  ack(ack: SipRequest): void {
    const dialog = this.dialogs.get(this.key(ack.headers.get('Call-ID'), tagOf(ack.headers.get('To'))));
    dialog?.stopRetransmit();
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
    if (remote.address !== '0.0.0.0') await pointLegAt(dialog.worker, dialog.endpointId, remote);
    const ok = buildResponse(request, 200, 'OK', [
      ['Contact', `<sip:parley@${this.mediaAddress}:${this.transport.port};transport=${peer.transport}>`],
      ['Allow', ALLOW],
      ['Content-Type', 'application/sdp'],
    ]);
    ok.body = new TextEncoder().encode(answer.sdp);
    dialog.stopRetransmit();
    dialog.stopRetransmit = this.awaitAck(key, ok, peer);
    return ok;
  }

  private async bye(request: SipRequest): Promise<SipResponse> {
    const key = this.key(request.headers.get('Call-ID'), tagOf(request.headers.get('To')));
    const dialog = this.forget(key);
    if (!dialog) return buildResponse(request, 481, 'Call/Transaction Does Not Exist');
    dialog.stopRetransmit();
    if (dialog.controlId) await this.owner?.customerHungUp(dialog.controlId);
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
    if (dialog.controlId) this.owner?.digit(dialog.controlId, digit);
    return buildResponse(request, 200, 'OK');
  }

  /** Our side ends the call: a BYE in the dialog (RFC 3261 §15.1.1), sent with its own transaction. */
  private async hangUp(key: string): Promise<void> {
    const dialog = this.forget(key);
    if (!dialog) return;
    dialog.stopRetransmit();
    await this.sendBye(dialog);
  }

  /**
   * At start: a BYE to each dialog a crash of this process left up (`DialogStore.left()`, read
   * before any new dialog), so no caller or agent's phone stays in a silent call. Resolves when
   * each is answered or timed out.
   */
  async endLeftOver(left: StoredDialog[]): Promise<void> {
    await Promise.all(
      left.map(async (d) => {
        await this.track(this.sendBye(d)).catch(() => undefined);
        this.store?.remove(d.key);
      }),
    );
    await this.store?.flush();
  }

  /** Waits for the stored dialogs' rows to be written or removed (shutdown, tests). */
  flushStore(): Promise<void> {
    return this.store?.flush() ?? Promise.resolve();
  }

  private forget(key: string): Dialog | undefined {
    const dialog = this.dialogs.get(key);
    if (!dialog) return undefined;
    this.dialogs.delete(key);
    this.store?.remove(key);
    return dialog;
  }

  private async sendBye(dialog: DialogAddress): Promise<void> {
    const headers = new SipHeaders();
    headers.append('Via', this.client.via(dialog.peer, this.mediaAddress));
    headers.append('Max-Forwards', '70');
    headers.append('From', dialog.localUri);
    headers.append('To', dialog.remoteUri);
    headers.append('Call-ID', dialog.callId);
    // Our requests in the dialog count on from our INVITE's CSeq (RFC 3261 §12.2.1.1).
    headers.append('CSeq', `${(dialog.localCseq ?? 0) + 1} BYE`);
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

  /**
   * Waits for the ACK of our 2xx, sending the 2xx again at T1, doubling up to T2, whatever the
   * transport (a proxy on the way may forward over UDP). No ACK in 64*T1 (a caller that lost our
   * answer, a broken NAT): the session ends with a BYE (RFC 3261 §13.3.1.4), so no call stays
   * half set up. Returns what the ACK calls.
   */
  private awaitAck(key: string, ok: SipResponse, peer: Peer): () => void {
    const t = DEFAULT_TIMERS;
    let cancel: () => void = () => {};
    let stopped = false;
    const started = this.clock.now().getTime();
    const schedule = (interval: number) => {
      cancel = this.clock.setTimer(interval, () => {
        if (stopped) return;
        const left = 64 * t.T1 - (this.clock.now().getTime() - started);
        if (left <= 0) {
          void this.noAck(key);
          return;
        }
        this.transport.send(ok, peer);
        schedule(Math.min(interval * 2, t.T2, left));
      });
    };
    schedule(t.T1);
    return () => {
      stopped = true;
      cancel();
    };
  }

  /** The ACK never came: our BYE, and the call behind the dialog ends as the caller's hang-up. */
  private async noAck(key: string): Promise<void> {
    const dialog = this.dialogs.get(key);
    if (!dialog) return;
    const bye = this.end(key);
    if (dialog.controlId) await this.owner?.customerHungUp(dialog.controlId);
    await dialog.worker.call('destroy', { id: dialog.endpointId }).catch(() => undefined);
    await bye;
  }

  private key(callId: string | undefined, localTag: string | undefined): string {
    return dialogKey(callId, localTag);
  }
}

/** Points a media leg at the far end's RTP address, codec and telephone-event type from its SDP. */
export function pointLegAt(worker: MediaWorker, endpointId: string, remote: RemoteAudio): Promise<unknown> {
  return worker.call('applyRemote', {
    endpointId,
    address: remote.address,
    port: remote.port,
    payloadType: remote.payloadType,
    ...(remote.dtmfPayloadType !== undefined && { dtmfPayloadType: remote.dtmfPayloadType }),
  });
}

/** A dialog's key here: its Call-ID and our tag (RFC 3261 §12's dialog ID, less the remote tag). */
export function dialogKey(callId: string | undefined, localTag: string | undefined): string {
  return `${callId ?? ''}|${localTag ?? ''}`;
}
