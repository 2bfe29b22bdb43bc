import type { Clock } from '../../clock.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { SipHeaders } from '../message/sip-message.js';
import { DEFAULT_TIMERS, type Send, type SipTimers } from './timers.js';
import { TransactionBase } from './transaction-base.js';

export type ClientState = 'calling' | 'trying' | 'proceeding' | 'completed';

export interface ClientTransactionEvents {
  /** Every response the TU should see (retransmissions of a final response are absorbed). */
  response(response: SipResponse): void;
  /** No final response within 64*T1 (Timer B or F): the request failed (treat as 408). */
  timeout(): void;
  /** The transaction is over and can be forgotten. */
  terminated(): void;
}

/**
 * A client transaction (RFC 3261 §17.1): INVITE (timers A, B, D) or any other method (E, F, K).
 * Over a reliable transport nothing is retransmitted and the wait states are skipped.
 */
export class ClientTransaction extends TransactionBase<ClientState> {
  private readonly isInvite: boolean;

  constructor(
    readonly request: SipRequest,
    private readonly send: Send<SipRequest>,
    clock: Clock,
    private readonly on: ClientTransactionEvents,
    reliable = false,
    t: SipTimers = DEFAULT_TIMERS,
  ) {
    super(request.method === 'INVITE' ? 'calling' : 'trying', clock, reliable, t, () => on.terminated());
    this.isInvite = request.method === 'INVITE';
    this.send(request);
    if (!reliable) this.retransmit(this.t.T1);
    // Timer B (INVITE) or F (others): no final response in 64*T1.
    this.cancelTimeout = this.clock.setTimer(64 * this.t.T1, () => {
      this.on.timeout();
      this.terminate();
    });
  }

  /** A response whose top Via branch matched this transaction. */
  receive(response: SipResponse): void {
    const provisional = response.status < 200;
    switch (this.state) {
      case 'calling':
      case 'trying':
      case 'proceeding':
        if (provisional) {
          // INVITE stops retransmitting on a provisional; non-INVITE keeps going, capped at T2.
          if (this.isInvite) this.cancelRetransmit?.();
          this.state = 'proceeding';
          this.on.response(response);
          return;
        }
        this.on.response(response);
        if (this.isInvite && response.status < 300) {
          this.terminate(); // the TU acknowledges a 2xx itself, end to end
          return;
        }
        if (this.isInvite) this.send(this.ack(response));
        this.complete();
        return;
      case 'completed':
        // A retransmitted final response: re-send the ACK (INVITE), otherwise absorb it.
        if (this.isInvite && !provisional) this.send(this.ack(response));
        return;
      case 'terminated':
        return;
    }
  }

  /** The transport failed to deliver the request (RFC 3261 §17.1.4): as good as a timeout. */
  transportError(): void {
    if (this.state === 'terminated') return;
    this.on.timeout();
    this.terminate();
  }

  private retransmit(interval: number): void {
    this.cancelRetransmit = this.clock.setTimer(interval, () => {
      this.send(this.request);
      // INVITE doubles without bound (Timer A); non-INVITE doubles up to T2 (Timer E), and
      // once a provisional came, retransmits every T2.
      const next = this.isInvite
        ? interval * 2
        : this.state === 'proceeding'
          ? this.t.T2
          : Math.min(interval * 2, this.t.T2);
      this.retransmit(next);
    });
  }

  private complete(): void {
    this.state = 'completed';
    // Timer D (INVITE) or K (others) absorbs retransmitted final responses; none over TCP.
    this.linger(this.isInvite ? 64 * this.t.T1 : this.t.T4);
  }

  /** ACK for a non-2xx final response (RFC 3261 §17.1.1.3): same branch, To with the response's tag. */
  private ack(response: SipResponse): SipRequest {
    const req = this.request.headers;
    const headers = new SipHeaders();
    const via = req.get('Via');
    if (via) headers.append('Via', via);
    for (const route of req.getAll('Route')) headers.append('Route', route);
    headers.append('Max-Forwards', '70');
    headers.append('From', req.get('From') ?? '');
    headers.append('To', response.headers.get('To') ?? req.get('To') ?? '');
    headers.append('Call-ID', req.get('Call-ID') ?? '');
    const seq = (req.get('CSeq') ?? '1').trim().split(/\s+/)[0] ?? '1';
    headers.append('CSeq', `${seq} ACK`);
    headers.append('Content-Length', '0');
    return {
      kind: 'request',
      method: 'ACK',
      uri: this.request.uri,
      version: 'SIP/2.0',
      headers,
      body: new Uint8Array(),
    };
  }
}
