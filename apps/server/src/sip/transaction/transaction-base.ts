import type { Clock } from '../../clock.js';
import type { SipTimers } from './timers.js';

/**
 * What client and server transactions share: three timers (retransmit, give up, linger after
 * the final response), cancelled together when the transaction ends, and `terminated` once.
 */
export abstract class TransactionBase<State extends string> {
  protected cancelRetransmit: (() => void) | undefined;
  protected cancelTimeout: (() => void) | undefined;
  private cancelLinger: (() => void) | undefined;

  protected constructor(
    public state: State | 'terminated',
    protected readonly clock: Clock,
    protected readonly reliable: boolean,
    protected readonly t: SipTimers,
    private readonly onTerminated: () => void,
  ) {}

  /** Waits `ms` (nothing over a reliable transport, where nothing is retransmitted) then ends. */
  protected linger(ms: number): void {
    this.cancelRetransmit?.();
    this.cancelTimeout?.();
    if (this.reliable || ms === 0) this.terminate();
    else this.cancelLinger = this.clock.setTimer(ms, () => this.terminate());
  }

  protected terminate(): void {
    if (this.state === 'terminated') return;
    this.cancelRetransmit?.();
    this.cancelTimeout?.();
    this.cancelLinger?.();
    this.state = 'terminated';
    this.onTerminated();
  }
}
