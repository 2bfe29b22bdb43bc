import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { type Clock, systemClock } from '../../clock.js';
import { parseSipMessage } from '../message/parse.js';
import { serializeSipMessage } from '../message/serialize.js';
import { type SipMessage, SipParseError } from '../message/sip-message.js';
import { IdleWatch } from './idle-watch.js';
import { StreamFramer, StreamFramingError } from './stream-framer.js';
import { ConnectionCounts, DEFAULT_TCP_LIMITS, type TcpDropCode, type TcpLimits } from './tcp-limits.js';

export type TransportName = 'udp' | 'tcp';

export interface Peer {
  transport: TransportName;
  address: string;
  port: number;
  /** For TCP: the connection the message came on, so a response goes back on it. */
  connectionId?: string;
}

export interface SipTransportEvents {
  message: [SipMessage, Peer];
  /** Malformed input: counted and dropped (UDP), or the connection closed (TCP). Never a crash. */
  rejected: [{ peer: Peer; code: string; message: string }];
  /** A TCP connection closed by the limits: over a cap (at once) or idle. Counted, not sent. */
  dropped: [{ peer: Peer; code: TcpDropCode }];
}

export interface SipTransportOptions {
  /**
   * Whether an address is a trunk's or on a trusted network: others get the small per-source cap
   * and the short idle time. Asked once per connection, when it opens. Everyone by default.
   */
  trusted?: (address: string) => boolean;
  limits?: Partial<TcpLimits>;
  /** For the idle timers; the system clock by default. */
  clock?: Clock;
}

/** SIP over UDP and TCP on one address and port (RFC 3261 §18). */
export class SipTransport extends EventEmitter<SipTransportEvents> {
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  /** Open connections by id, with whether their source was trusted when they opened. */
  private readonly connections = new Map<string, { socket: net.Socket; trusted: boolean }>();
  private readonly limits: TcpLimits;
  private readonly counts: ConnectionCounts;
  private readonly trusted: (address: string) => boolean;
  private readonly clock: Clock;
  private nextConnection = 1;
  /**
   * Connection ids are unique to this transport instance, not just within it: a peer stored with
   * one (a desk phone's registration, kept in the database) and read by another process or after
   * a restart must not name an unrelated connection there.
   */
  private readonly instance = randomBytes(4).toString('hex');
  private closed = false;
  port = 0;

  constructor(
    private readonly address = '127.0.0.1',
    options: SipTransportOptions = {},
  ) {
    super();
    this.limits = { ...DEFAULT_TCP_LIMITS, ...options.limits };
    this.counts = new ConnectionCounts(this.limits);
    this.trusted = options.trusted ?? (() => true);
    this.clock = options.clock ?? systemClock;
  }

  /** Open TCP connections that peers opened to us. */
  get acceptedConnections(): number {
    return this.counts.open;
  }

  /**
   * How long the connection a message came on may be quiet once it has carried one (trusted or
   * not, as decided when it opened); undefined for UDP or a connection no longer open. A
   * registrar grants less, so a phone's refreshes keep its connection.
   */
  quietLimitMs(peer: Peer): number | undefined {
    const c =
      peer.transport === 'tcp' && peer.connectionId ? this.connections.get(peer.connectionId) : undefined;
    if (!c || c.socket.destroyed) return undefined;
    return c.trusted ? this.limits.trustedIdleMs : this.limits.idleMs;
  }

  /**
   * UDP and TCP on one port. Port 0 asks for any free one: UDP's number is chosen by the kernel
   * and TCP may find it taken (by a listener, or as an outgoing connection's local port, since
   * ephemeral ports are shared), so another pair is tried, a few times.
   */
  async listen(port = 0): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.bindBoth(port);
      } catch (err) {
        const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (port !== 0 || !taken || attempt >= 20) throw err;
      }
    }
  }

  private async bindBoth(port: number): Promise<number> {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, this.address, () => resolve());
    });
    const bound = udp.address().port;
    const tcp = net.createServer((socket) => this.admit(socket));
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(bound, this.address, () => resolve());
      });
    } catch (err) {
      await new Promise<void>((r) => udp.close(() => r()));
      throw err;
    }
    this.port = bound;
    // A datagram that cannot be sent (no route, host gone) is as if lost: transactions time out.
    udp.removeAllListeners('error');
    udp.on('error', () => {});
    udp.on('message', (buf, rinfo) =>
      this.receive(buf, { transport: 'udp', address: rinfo.address, port: rinfo.port }),
    );
    this.udp = udp;
    this.tcp = tcp;
    return bound;
  }

  /** Sends a message; after close() (a transaction timer still firing) it is dropped. */
  send(message: SipMessage, to: Peer): void {
    if (this.closed) return;
    const bytes = serializeSipMessage(message);
    if (to.transport === 'udp') {
      this.udp?.send(bytes, to.port, to.address, () => {});
      return;
    }
    const existing = to.connectionId ? this.connections.get(to.connectionId)?.socket : undefined;
    if (existing && !existing.destroyed) {
      existing.write(bytes);
      return;
    }
    const socket = net.connect(to.port, to.address);
    this.accept(socket, true, true);
    socket.write(bytes);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.connections.values()) c.socket.destroy();
    this.connections.clear();
    await new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r()));
    await new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r()));
  }

  /** A connection a peer opened: closed at once when over a cap, else counted until it closes. */
  private admit(socket: net.Socket): void {
    const address = socket.remoteAddress ?? '';
    const trusted = this.trusted(address);
    const refused = this.counts.admit(address, trusted);
    if (refused) {
      socket.on('error', () => {});
      socket.destroy();
      this.emit('dropped', {
        peer: { transport: 'tcp', address, port: socket.remotePort ?? 0 },
        code: refused,
      });
      return;
    }
    socket.once('close', () => this.counts.release(address));
    this.accept(socket, trusted, false);
  }

  private accept(socket: net.Socket, trusted: boolean, outgoing: boolean): void {
    const id = `t${this.instance}-${this.nextConnection++}`;
    this.connections.set(id, { socket, trusted });
    const framer = new StreamFramer();
    const peer = (): Peer => ({
      transport: 'tcp',
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
      connectionId: id,
    });
    const idle = new IdleWatch({
      clock: this.clock,
      shortMs: this.limits.idleMs,
      longMs: this.limits.trustedIdleMs,
      trusted,
      established: outgoing,
      onIdle: () => {
        this.emit('dropped', { peer: peer(), code: 'SIP_TCP_IDLE' });
        socket.destroy();
      },
    });
    socket.on('data', (chunk) => {
      const from = peer();
      try {
        const { messages, pings } = framer.push(chunk);
        // RFC 5626 §4.4.1: a double-CRLF ping is answered with one CRLF (the pong).
        for (let i = 0; i < pings; i++) {
          socket.write('\r\n');
          idle.ping();
        }
        for (const raw of messages) if (this.receive(raw, from)) idle.message();
        idle.partial(framer.pending > 0);
      } catch (err) {
        if (!(err instanceof StreamFramingError)) throw err;
        this.emit('rejected', { peer: from, code: err.code, message: err.message });
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      idle.stop();
      this.connections.delete(id);
    });
  }

  /** Parses and hands on one message; false when it was not SIP. */
  private receive(raw: Uint8Array, peer: Peer): boolean {
    let message: SipMessage;
    try {
      message = parseSipMessage(raw);
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
      this.emit('rejected', { peer, code: err.code, message: err.message });
      return false;
    }
    this.emit('message', message, peer);
    return true;
  }
}
