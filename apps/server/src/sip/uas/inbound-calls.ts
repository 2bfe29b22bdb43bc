import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { MediaPool } from '../../media/worker/media-pool.js';
import type { MediaWorker } from '../../media/worker/media-worker-client.js';
import { parseNameAddr } from '../message/parse.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { createAnswer, parseRemoteAudio } from '../sdp/offer-answer.js';
import { SdpError } from '../sdp/sdp-error.js';
import { DEFAULT_TIMERS } from '../transaction/timers.js';
import type { Peer, SipTransport } from '../transport/sip-transport.js';
import { ALLOW, buildResponse, type RequestHandler } from './sip-server.js';

interface Dialog {
  callId: string;
  localTag: string;
  endpointId: string;
  worker: MediaWorker;
  /** Stops re-sending the 200 OK once the ACK came (or gave up). */
  stopRetransmit: () => void;
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

  constructor(
    private readonly transport: SipTransport,
    private readonly pool: MediaPool,
    private readonly clock: Clock,
    private readonly mediaAddress = '127.0.0.1',
  ) {}

  get active(): number {
    return this.dialogs.size;
  }

  /** Handles INVITE and BYE; other methods go to `next`. */
  handler(next: RequestHandler): RequestHandler {
    return (request, peer) => {
      if (request.method === 'INVITE') return this.invite(request, peer);
      if (request.method === 'BYE') return this.bye(request);
      return next(request, peer);
    };
  }

  ack(ack: SipRequest): void {
    const dialog = this.dialogs.get(this.key(ack.headers.get('Call-ID'), tagOf(ack.headers.get('To'))));
    dialog?.stopRetransmit();
  }

  private async invite(request: SipRequest, peer: Peer): Promise<SipResponse> {
    if (tagOf(request.headers.get('To')))
      return buildResponse(request, 481, 'Call/Transaction Does Not Exist');
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
    await worker.call('play', {
      playbackId: `${endpointId}-tone`,
      endpointId,
      source: { kind: 'tone', frequencies: [425] },
      loop: true,
    });
    const answer = createAnswer(offer, { address: local.address, port: local.port });
    const localTag = randomBytes(6).toString('hex');
    const to = `${request.headers.get('To') ?? ''};tag=${localTag}`;
    const ok = buildResponse(request, 200, 'OK', [
      ['Contact', `<sip:parley@${this.mediaAddress}:${this.transport.port};transport=${peer.transport}>`],
      ['Allow', ALLOW],
      ['Content-Type', 'application/sdp'],
    ]);
    ok.headers.set('To', to);
    ok.body = new TextEncoder().encode(answer.sdp);
    const callId = request.headers.get('Call-ID') ?? '';
    const dialog: Dialog = { callId, localTag, endpointId, worker, stopRetransmit: () => {} };
    this.dialogs.set(this.key(callId, localTag), dialog);
    if (peer.transport === 'udp') dialog.stopRetransmit = this.retransmit(ok, peer);
    return ok;
  }

  private async bye(request: SipRequest): Promise<SipResponse> {
    const key = this.key(request.headers.get('Call-ID'), tagOf(request.headers.get('To')));
    const dialog = this.dialogs.get(key);
    if (!dialog) return buildResponse(request, 481, 'Call/Transaction Does Not Exist');
    this.dialogs.delete(key);
    dialog.stopRetransmit();
    await dialog.worker.call('destroy', { id: dialog.endpointId }).catch(() => undefined);
    return buildResponse(request, 200, 'OK');
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
