import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { parseVia } from '../message/parse.js';
import { SipHeaders, type SipRequest, type SipResponse } from '../message/sip-message.js';
import { ClientTransaction } from '../transaction/client-transaction.js';
import type { Peer, SipTransport } from '../transport/sip-transport.js';

/** A fresh RFC 3261 branch (the magic cookie, then enough randomness to be unique). */
export function newBranch(): string {
  return `z9hG4bK${randomBytes(8).toString('hex')}`;
}

/**
 * The client half of the stack: requests the platform sends (INVITE to an agent's phone, CANCEL,
 * BYE) each get a client transaction with its retransmission timers; responses are matched to
 * them by the top Via's branch and the CSeq method (a CANCEL shares its INVITE's branch).
 */
export class SipClient {
  private readonly transactions = new Map<string, ClientTransaction>();

  constructor(
    private readonly transport: SipTransport,
    private readonly clock: Clock,
  ) {
    transport.on('message', (message) => {
      if (message.kind !== 'response') return;
      const via = message.headers.get('Via');
      const branch = via ? parseVia(via).params.branch : undefined;
      const method = (message.headers.get('CSeq') ?? '').trim().split(/\s+/)[1]?.toUpperCase();
      if (branch) this.transactions.get(`${branch}|${method}`)?.receive(message);
    });
  }

  /**
   * Sends `request` to `peer`; resolves with its final response, or a 408 made up on timeout.
   * `provisional` hears each 1xx on the way (180 Ringing, 183 Session Progress).
   */
  send(request: SipRequest, peer: Peer, provisional?: (r: SipResponse) => void): Promise<SipResponse> {
    const via = request.headers.get('Via');
    const branch = via ? parseVia(via).params.branch : undefined;
    if (!branch) return Promise.reject(new Error('a request needs a Via with a branch'));
    const key = `${branch}|${request.method}`;
    return new Promise((resolve) => {
      const tx = new ClientTransaction(
        request,
        (r) => this.transport.send(r, peer),
        this.clock,
        {
          response: (r) => {
            if (r.status >= 200) resolve(r);
            else provisional?.(r);
          },
          timeout: () => resolve(timeoutResponse(request)),
          terminated: () => this.transactions.delete(key),
        },
        peer.transport === 'tcp',
      );
      this.transactions.set(key, tx);
    });
  }

  /** A Via header for a request sent from this transport to `peer`. */
  via(peer: Peer, address: string): string {
    return `SIP/2.0/${peer.transport.toUpperCase()} ${address}:${this.transport.port};branch=${newBranch()};rport`;
  }
}

function timeoutResponse(request: SipRequest): SipResponse {
  const headers = new SipHeaders();
  headers.append('Call-ID', request.headers.get('Call-ID') ?? '');
  headers.append('CSeq', request.headers.get('CSeq') ?? '');
  return {
    kind: 'response',
    status: 408,
    reason: 'Request Timeout',
    version: 'SIP/2.0',
    headers,
    body: new Uint8Array(),
  };
}
