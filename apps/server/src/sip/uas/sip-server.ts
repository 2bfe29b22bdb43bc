import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { parseVia } from '../message/parse.js';
import { SipHeaders, type SipRequest, type SipResponse } from '../message/sip-message.js';
import { ServerTransaction } from '../transaction/server-transaction.js';
import type { Peer, SipTransport } from '../transport/sip-transport.js';

export type RequestHandler = (request: SipRequest, peer: Peer) => SipResponse | Promise<SipResponse>;

export const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REGISTER';

/** A response to `request` (RFC 3261 §8.2.6): its Vias, From, Call-ID, CSeq; To with our tag. */
export function buildResponse(
  request: SipRequest,
  status: number,
  reason: string,
  extra: [string, string][] = [],
): SipResponse {
  const h = request.headers;
  const headers = new SipHeaders();
  for (const via of h.getAll('Via')) headers.append('Via', via);
  headers.append('From', h.get('From') ?? '');
  const to = h.get('To') ?? '';
  headers.append(
    'To',
    status > 100 && !/;\s*tag=/i.test(to) ? `${to};tag=${randomBytes(6).toString('hex')}` : to,
  );
  headers.append('Call-ID', h.get('Call-ID') ?? '');
  headers.append('CSeq', h.get('CSeq') ?? '');
  for (const [name, value] of extra) headers.append(name, value);
  headers.append('Content-Length', '0');
  return { kind: 'response', status, reason, version: 'SIP/2.0', headers, body: new Uint8Array() };
}

/**
 * The server half of the stack: requests arrive from the transport, each new one gets a server
 * transaction (retransmissions are answered from it, never handled twice), and the handler's
 * response goes back the way the request came (RFC 3581 rport behaviour for UDP).
 */
export class SipServer {
  private readonly transactions = new Map<string, ServerTransaction>();

  constructor(
    private readonly transport: SipTransport,
    private readonly clock: Clock,
    private readonly handler: RequestHandler,
    /** The ACK of a 2xx is end to end: no transaction, it goes to the dialog layer. */
    private readonly onDialogAck: (ack: SipRequest) => void = () => {},
  ) {
    transport.on('message', (message, peer) => {
      if (message.kind === 'request') this.request(message, peer);
    });
  }

  get openTransactions(): number {
    return this.transactions.size;
  }

  private request(request: SipRequest, peer: Peer): void {
    const via = request.headers.get('Via');
    const branch = via ? (parseVia(via).params.branch ?? '') : '';
    const key = `${branch}|${request.method === 'ACK' ? 'INVITE' : request.method}`;
    const existing = this.transactions.get(key);
    if (existing) {
      existing.receiveRequest(request);
      return;
    }
    if (request.method === 'ACK') {
      this.onDialogAck(request);
      return;
    }
    const tx = new ServerTransaction(
      request,
      (response) => this.transport.send(response, peer),
      this.clock,
      { timeout: () => {}, terminated: () => this.transactions.delete(key) },
      peer.transport === 'tcp',
    );
    this.transactions.set(key, tx);
    // Setting up a call takes a moment (a media leg, the queue): say so at once, so the caller
    // stops re-sending its INVITE (RFC 3261 §17.2.1).
    if (request.method === 'INVITE') tx.respond(buildResponse(request, 100, 'Trying'));
    Promise.resolve()
      .then(() => this.handler(request, peer))
      .then(
        (response) => tx.respond(response),
        () => tx.respond(buildResponse(request, 500, 'Server Internal Error')),
      );
  }
}

/** What the platform answers before dialogs exist: OPTIONS (keep-alive and capability probe). */
export const basicHandler: RequestHandler = (request) => {
  if (request.method === 'OPTIONS') {
    return buildResponse(request, 200, 'OK', [
      ['Allow', ALLOW],
      ['Accept', 'application/sdp'],
    ]);
  }
  return buildResponse(request, 501, 'Not Implemented', [['Allow', ALLOW]]);
};
