import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { parseSipMessage } from '../message/parse.js';
import { serializeSipMessage } from '../message/serialize.js';
import { type SipMessage, SipParseError } from '../message/sip-message.js';
import { StreamFramer, StreamFramingError } from './stream-framer.js';

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
}

/** SIP over UDP and TCP on one address and port (RFC 3261 §18). */
export class SipTransport extends EventEmitter<SipTransportEvents> {
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  private readonly connections = new Map<string, net.Socket>();
  private nextConnection = 1;
  /**
   * Connection ids are unique to this transport instance, not just within it: a peer stored with
   * one (a desk phone's registration, kept in the database) and read by another process or after
   * a restart must not name an unrelated connection there.
   */
  private readonly instance = randomBytes(4).toString('hex');
  private closed = false;
  port = 0;

  constructor(private readonly address = '127.0.0.1') {
    super();
  }

  async listen(port = 0): Promise<number> {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, this.address, () => resolve());
    });
    this.port = udp.address().port;
    // A datagram that cannot be sent (no route, host gone) is as if lost: transactions time out.
    udp.removeAllListeners('error');
    udp.on('error', () => {});
    udp.on('message', (buf, rinfo) =>
      this.receive(buf, { transport: 'udp', address: rinfo.address, port: rinfo.port }),
    );
    this.udp = udp;
    const tcp = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(this.port, this.address, () => resolve());
    });
    this.tcp = tcp;
    return this.port;
  }

  /** Sends a message; after close() (a transaction timer still firing) it is dropped. */
  send(message: SipMessage, to: Peer): void {
    if (this.closed) return;
    const bytes = serializeSipMessage(message);
    if (to.transport === 'udp') {
      this.udp?.send(bytes, to.port, to.address, () => {});
      return;
    }
    const existing = to.connectionId ? this.connections.get(to.connectionId) : undefined;
    if (existing && !existing.destroyed) {
      existing.write(bytes);
      return;
    }
    const socket = net.connect(to.port, to.address);
    this.accept(socket);
    socket.write(bytes);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.connections.values()) s.destroy();
    this.connections.clear();
    await new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r()));
    await new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r()));
  }

  private accept(socket: net.Socket): void {
    const id = `t${this.instance}-${this.nextConnection++}`;
    this.connections.set(id, socket);
    const framer = new StreamFramer();
    socket.on('data', (chunk) => {
      const peer: Peer = {
        transport: 'tcp',
        address: socket.remoteAddress ?? '',
        port: socket.remotePort ?? 0,
        connectionId: id,
      };
      try {
        for (const raw of framer.push(chunk)) this.receive(raw, peer);
      } catch (err) {
        if (!(err instanceof StreamFramingError)) throw err;
        this.emit('rejected', { peer, code: err.code, message: err.message });
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.connections.delete(id));
  }

  private receive(raw: Uint8Array, peer: Peer): void {
    let message: SipMessage;
    try {
      message = parseSipMessage(raw);
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
      this.emit('rejected', { peer, code: err.code, message: err.message });
      return;
    }
    this.emit('message', message, peer);
  }
}
