import type { Clock } from '../../clock.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { DEFAULT_TIMERS, type Send, type SipTimers } from './timers.js';
import { TransactionBase } from './transaction-base.js';

export type ServerState = 'trying' | 'proceeding' | 'completed' | 'confirmed';

export interface ServerTransactionEvents {
  /** No ACK for a non-2xx final response to an INVITE within 64*T1 (Timer H). */
  timeout(): void;
  terminated(): void;
}

/**
 * A server transaction (RFC 3261 §17.2): INVITE (timers G, H, I) or any other method (J).
 * Retransmitted requests are answered with the last response sent, never passed to the TU again.
 */
export class ServerTransaction extends TransactionBase<ServerState> {
  private last: SipResponse | undefined;
  private readonly isInvite: boolean;

  constructor(
    readonly request: SipRequest,
    private readonly send: Send<SipResponse>,
    clock: Clock,
    private readonly on: ServerTransactionEvents,
    reliable = false,
    t: SipTimers = DEFAULT_TIMERS,
  ) {
    super(request.method === 'INVITE' ? 'proceeding' : 'trying', clock, reliable, t, () => on.terminated());
    this.isInvite = request.method === 'INVITE';
  }

  /** The TU's response. Provisionals may repeat; a final one moves the transaction on. */
  respond(response: SipResponse): void {
    if (this.state === 'completed' || this.state === 'confirmed' || this.state === 'terminated') return;
    this.last = response;
    this.send(response);
    if (response.status < 200) {
      this.state = 'proceeding';
      return;
    }
    if (this.isInvite && response.status < 300) {
      this.terminate(); // 2xx retransmission belongs to the TU (the dialog) until its ACK
      return;
    }
    this.state = 'completed';
    if (this.isInvite) {
      if (!this.reliable) this.retransmit(this.t.T1);
      this.cancelTimeout = this.clock.setTimer(64 * this.t.T1, () => {
        this.on.timeout();
        this.terminate();
      });
    } else {
      this.linger(64 * this.t.T1); // Timer J
    }
  }

  /** A retransmission of the request (same branch): answer with what we said last. */
  receiveRequest(request: SipRequest): void {
    if (request.method === 'ACK') {
      this.receiveAck();
      return;
    }
    if ((this.state === 'proceeding' || this.state === 'completed') && this.last) this.send(this.last);
  }

  private receiveAck(): void {
    if (!this.isInvite || this.state !== 'completed') return;
    this.state = 'confirmed';
    this.linger(this.t.T4); // Timer I absorbs further ACK retransmissions
  }

  /** Timer G: the final response again, doubling up to T2, until the ACK comes. */
  private retransmit(interval: number): void {
    this.cancelRetransmit = this.clock.setTimer(interval, () => {
      if (this.last) this.send(this.last);
      this.retransmit(Math.min(interval * 2, this.t.T2));
    });
  }
}
