/**
 * How many SIP TCP connections are taken, and how long a quiet one is kept. A connection costs a
 * file descriptor, and running out of those stops the HTTP port and the database too.
 */
export interface TcpLimits {
  /**
   * A connection must complete a SIP message within this time of opening, a message begun must
   * complete within it, and a connection from an untrusted source may be quiet no longer than it.
   */
  idleMs: number;
  /**
   * How long a connection from a trusted source that has carried a message (a registered desk
   * phone, a trunk) may be quiet: complete messages and keep-alive pings count.
   */
  trustedIdleMs: number;
  /** Open accepted connections in all. */
  maxConnections: number;
  /** Open accepted connections from one trusted address (an office's phones share its NAT). */
  maxPerSource: number;
  /** Open accepted connections from one address that is neither a trunk nor a trusted network. */
  maxPerUntrustedSource: number;
}

export const DEFAULT_TCP_LIMITS: TcpLimits = {
  idleMs: 20_000,
  trustedIdleMs: 600_000,
  maxConnections: 4000,
  maxPerSource: 256,
  maxPerUntrustedSource: 4,
};

/** Why the transport closed a connection it did not have to (logged, never sent). */
export type TcpDropCode = 'SIP_TCP_IDLE' | 'SIP_TCP_SOURCE_LIMIT' | 'SIP_TCP_CONNECTION_LIMIT';

/** Counts open accepted connections per address and in all, and says whether one more is taken. */
export class ConnectionCounts {
  private readonly bySource = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: TcpLimits) {}

  get open(): number {
    return this.total;
  }

  /** Takes the connection (and counts it) or says why not. */
  admit(address: string, trusted: boolean): TcpDropCode | undefined {
    if (this.total >= this.limits.maxConnections) return 'SIP_TCP_CONNECTION_LIMIT';
    const cap = trusted ? this.limits.maxPerSource : this.limits.maxPerUntrustedSource;
    const mine = this.bySource.get(address) ?? 0;
    if (mine >= cap) return 'SIP_TCP_SOURCE_LIMIT';
    this.bySource.set(address, mine + 1);
    this.total++;
    return undefined;
  }

  release(address: string): void {
    const mine = this.bySource.get(address) ?? 0;
    if (mine <= 1) this.bySource.delete(address);
    else this.bySource.set(address, mine - 1);
    this.total--;
  }
}
