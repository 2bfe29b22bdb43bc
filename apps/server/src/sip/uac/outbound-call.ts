import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { MediaPool } from '../../media/worker/media-pool.js';
import type { MediaWorker } from '../../media/worker/media-worker-client.js';
import { type Dialogs, pointLegAt } from '../dialog/dialogs.js';
import { parseNameAddr } from '../message/parse.js';
import { SipHeaders, type SipRequest } from '../message/sip-message.js';
import { createOffer, parseRemoteAudio } from '../sdp/offer-answer.js';
import type { Peer, SipTransport } from '../transport/sip-transport.js';
import { authorizationFor } from './authorization.js';
import { newBranch, type SipClient } from './sip-client.js';

export type DialResult =
  | { ok: true; leg: { worker: MediaWorker; endpointId: string }; dialogKey: string }
  | { ok: false; status: number; reason: string };

/**
 * A call the platform places (RFC 3261 §13.2): an RTP leg in a media worker, an INVITE with its
 * SDP offer (G.711 and telephone-event), CANCEL when nobody answers in time, ACK for the 2xx, and
 * the dialog handed to the dialog layer so a BYE from either side ends it.
 */
export async function dial(
  o: {
    transport: SipTransport;
    dialogs: Dialogs;
    client: SipClient;
    pool: MediaPool;
    clock: Clock;
    mediaAddress: string;
    /** Request-URI, and where to send it. */
    uri: string;
    peer: Peer;
    /** Who the call is from, as the phone shows it. */
    fromUser: string;
    /** Ring this long, then CANCEL. */
    ringMs: number;
    /** The dialog's owner: a BYE from the phone reaches call control with this. */
    controlId: string;
    /** A trunk's credentials, to answer its 401/407 challenge once. */
    credentials?: { username: string | null; password: string | null };
    /** Filled in with a way to give up ringing early (a CANCEL). */
    control?: { cancel?: () => void };
    /** The worker for the leg (to mix it with legs there); else the least loaded. */
    worker?: MediaWorker;
    /** Each provisional status on the way (180 Ringing, 183 Session Progress). */
    progress?: (status: number) => void;
  },
  endpointId: string,
): Promise<DialResult> {
  const worker = o.worker?.isAlive ? o.worker : o.pool.pick();
  const local = await worker.call('createRtpEndpoint', { endpointId, address: o.mediaAddress });
  const localTag = randomBytes(6).toString('hex');
  const callId = `${randomBytes(10).toString('hex')}@${o.mediaAddress}`;
  const from = `<sip:${o.fromUser}@${o.mediaAddress}>;tag=${localTag}`;
  const to = `<${o.uri}>`;
  let cseq = 1;
  let via = '';
  const request = (method: 'INVITE' | 'CANCEL', body?: string, auth?: [string, string]): SipRequest => {
    const headers = new SipHeaders();
    headers.append('Via', via);
    headers.append('Max-Forwards', '70');
    headers.append('From', from);
    headers.append('To', to);
    headers.append('Call-ID', callId);
    headers.append('CSeq', `${cseq} ${method}`);
    if (auth) headers.append(auth[0], auth[1]);
    if (method === 'INVITE') {
      headers.append(
        'Contact',
        `<sip:parley@${o.mediaAddress}:${o.transport.port};transport=${o.peer.transport}>`,
      );
      headers.append('Content-Type', 'application/sdp');
    }
    const bytes = new TextEncoder().encode(body ?? '');
    headers.append('Content-Length', String(bytes.length));
    return { kind: 'request', method, uri: o.uri, version: 'SIP/2.0', headers, body: bytes };
  };
  const offer = createOffer({ address: local.address, port: local.port });
  const client = o.client;
  // A CANCEL goes with the INVITE being answered: the same branch and CSeq number.
  const invite = (auth?: [string, string]) => {
    via = `SIP/2.0/${o.peer.transport.toUpperCase()} ${o.mediaAddress}:${o.transport.port};branch=${newBranch()};rport`;
    const req = request('INVITE', offer, auth);
    return { req, sent: client.send(req, o.peer, (r) => o.progress?.(r.status)) };
  };
  let cancelled = false;
  const cancel = () => {
    if (cancelled) return;
    cancelled = true;
    void client.send(request('CANCEL'), o.peer);
  };
  const cancelTimer = o.clock.setTimer(o.ringMs, cancel);
  if (o.control) o.control.cancel = cancel;
  let attempt = invite();
  let response = await attempt.sent;
  if ((response.status === 401 || response.status === 407) && !cancelled) {
    const auth = o.credentials && authorizationFor(response, attempt.req, o.credentials);
    if (auth) {
      cseq += 1;
      attempt = invite(auth);
      response = await attempt.sent;
    }
  }
  cancelTimer();
  if (o.control) o.control.cancel = undefined;
  if (response.status < 200 || response.status >= 300) {
    await worker.call('destroy', { id: endpointId }).catch(() => undefined);
    return { ok: false, status: response.status, reason: response.reason };
  }
  const remote = parseRemoteAudio(new TextDecoder().decode(response.body));
  await pointLegAt(worker, endpointId, remote);
  const contact = response.headers.get('Contact');
  const remoteTarget = contact ? parseNameAddr(contact).uri : o.uri;
  const remoteTo = response.headers.get('To') ?? to;
  // The ACK for a 2xx is end to end: a new branch, sent to the phone's Contact.
  const ack = new SipHeaders();
  ack.append(
    'Via',
    `SIP/2.0/${o.peer.transport.toUpperCase()} ${o.mediaAddress}:${o.transport.port};branch=${newBranch()};rport`,
  );
  ack.append('Max-Forwards', '70');
  ack.append('From', from);
  ack.append('To', remoteTo);
  ack.append('Call-ID', callId);
  ack.append('CSeq', `${cseq} ACK`);
  ack.append('Content-Length', '0');
  o.transport.send(
    {
      kind: 'request',
      method: 'ACK',
      uri: remoteTarget,
      version: 'SIP/2.0',
      headers: ack,
      body: new Uint8Array(),
    },
    o.peer,
  );
  const dialogKey = o.dialogs.adopt({
    local: { address: local.address, port: local.port },
    callId,
    localTag,
    endpointId,
    worker,
    peer: o.peer,
    remoteTarget,
    localUri: from,
    remoteUri: remoteTo,
    controlId: o.controlId,
    localCseq: cseq,
  });
  return { ok: true, leg: { worker, endpointId }, dialogKey };
}
