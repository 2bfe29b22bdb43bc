import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIPv4 } from 'node:net';
import { pcmaDecodeInto, pcmaEncodeInto, pcmuDecodeInto, pcmuEncodeInto } from '../codec/g711.js';
import { Listeners, type MediaEndpoint } from '../endpoint.js';
import { JitterBuffer } from '../jitter-buffer.js';
import { DtmfSchedule } from './dtmf-schedule.js';
import { DtmfReceiver } from './rfc4733.js';
import { parseRtp, RTP_HEADER_BYTES, RtpParseError, writeRtpHeader } from './rtp-packet.js';

export interface RtpRemote {
  address: string;
  port: number;
  /** 0 PCMU or 8 PCMA, as agreed in SDP. */
  payloadType: number;
  dtmfPayloadType?: number;
}

const FRAME = 160;

/**
 * A plain RTP leg (SIP phones and carriers): G.711 both ways, RFC 4733 in and out, a re-framing
 * jitter buffer (senders use 20 or 30 ms packets), and symmetric latching: media is sent back to
 * where the peer's packets really come from, which is what a phone behind NAT needs.
 */
export class RtpEndpoint implements MediaEndpoint {
  readonly kind = 'rtp' as const;
  private readonly audio = new Listeners<Int16Array>();
  private readonly digits = new Listeners<string>();
  private readonly jitter = new JitterBuffer();
  /** The frame pullAudio returns, overwritten by the next pull. */
  private readonly frame = new Int16Array(FRAME);
  /** A received payload, decoded; the jitter buffer copies it. Grows for longer packets. */
  private decoded = new Int16Array(FRAME);
  private readonly dtmfIn = new DtmfReceiver();
  private remote: RtpRemote | undefined;
  private latched = false;
  private seq = randomInt(0, 0x10000);
  private timestamp = randomInt(0, 0x100000000);
  private readonly ssrc = randomInt(1, 0x100000000);
  private first = true;
  private readonly dtmfOut = new DtmfSchedule();
  private last: number | undefined;
  private isClosed = false;
  /** Malformed packets received (counted, never thrown). */
  badPackets = 0;

  constructor(
    readonly id: string,
    private readonly socket: dgram.Socket,
    readonly local: { address: string; port: number },
  ) {
    socket.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    socket.on('error', () => {
      this.badPackets += 1;
    });
  }

  get lastReceivedAt(): number | undefined {
    return this.last;
  }
  get closed(): boolean {
    return this.isClosed;
  }

  applyRemote(remote: RtpRemote): void {
    this.remote = { ...remote };
    this.latched = false;
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    return this.audio.add(listener);
  }
  onDtmf(listener: (digit: string) => void): () => void {
    return this.digits.add(listener);
  }

  /**
   * The next 20 ms frame from the jitter buffer (silence when nothing is due): the clock pulls.
   * The array is the endpoint's own, valid until the next pull.
   */
  pullAudio(): Int16Array {
    return this.jitter.pullInto(this.frame);
  }

  sendAudio(frame: Int16Array): void {
    const remote = this.remote;
    if (!remote || this.isClosed) return;
    const timestamp = this.timestamp;
    this.timestamp = (this.timestamp + FRAME) >>> 0;
    // Key presses replace the audio, paced on these ticks, as on a WebRTC leg.
    const tick = this.dtmfOut.next(timestamp);
    if (tick.send === 'nothing') return;
    const dtmf = tick.send === 'dtmf' ? tick.packet : undefined;
    const payloadType = dtmf ? (remote.dtmfPayloadType ?? 101) : remote.payloadType;
    // Built in place, in a fresh buffer: the socket may still hold it after send() returns (a
    // full socket buffer queues it). allocUnsafe carves small buffers from a shared pool.
    const packet = Buffer.allocUnsafe(RTP_HEADER_BYTES + (dtmf ? dtmf.payload.length : frame.length));
    writeRtpHeader(
      packet,
      dtmf ? dtmf.marker : this.first,
      payloadType,
      this.seq,
      dtmf ? dtmf.timestamp : timestamp,
      this.ssrc,
    );
    const payload = packet.subarray(RTP_HEADER_BYTES);
    if (dtmf) payload.set(dtmf.payload);
    else if (remote.payloadType === 8) pcmaEncodeInto(frame, payload);
    else pcmuEncodeInto(frame, payload);
    if (!dtmf) this.first = false;
    this.seq = (this.seq + 1) & 0xffff;
    this.socket.send(packet, remote.port, remote.address);
  }

  sendDtmf(digit: string): void {
    if (!this.remote?.dtmfPayloadType) return;
    this.dtmfOut.push(digit);
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.audio.clear();
    this.digits.clear();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private receive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    let packet: ReturnType<typeof parseRtp>;
    try {
      packet = parseRtp(msg);
    } catch (err) {
      if (err instanceof RtpParseError) {
        this.badPackets += 1;
        return;
      }
      throw err;
    }
    const remote = this.remote;
    if (remote && !this.latched && (remote.address !== rinfo.address || remote.port !== rinfo.port)) {
      remote.address = rinfo.address;
      remote.port = rinfo.port;
    }
    this.latched = true;
    this.last = Date.now();
    if (remote?.dtmfPayloadType !== undefined && packet.payloadType === remote.dtmfPayloadType) {
      const digit = this.dtmfIn.push(packet.timestamp, packet.payload);
      if (digit) this.digits.emit(digit);
      return;
    }
    if (packet.payloadType !== 0 && packet.payloadType !== 8) {
      this.badPackets += 1;
      return;
    }
    const bytes = packet.payload;
    if (this.decoded.length < bytes.length) this.decoded = new Int16Array(bytes.length);
    const pcm =
      packet.payloadType === 8 ? pcmaDecodeInto(bytes, this.decoded) : pcmuDecodeInto(bytes, this.decoded);
    this.jitter.push(packet.sequenceNumber, packet.timestamp, pcm);
  }
}

export async function createRtpEndpoint(
  id: string,
  options: { address: string; port?: number },
): Promise<RtpEndpoint> {
  const socket = dgram.createSocket({ type: 'udp4', lookup: lookupNow() });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, options.address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const addr = socket.address();
  return new RtpEndpoint(id, socket, { address: addr.address, port: addr.port });
}

type Lookup = NonNullable<dgram.SocketOptions['lookup']>;

/**
 * dgram resolves the destination of every send() through dns.lookup, which answers even an IP
 * literal a tick later; this answers an IPv4 literal at once (remembering the last one), so a
 * packet leaves within sendAudio with no per-packet tick. Names still go to dns.lookup.
 */
function lookupNow(): Lookup {
  let known = '';
  return (hostname, options, callback) => {
    if (hostname === known || isIPv4(hostname)) {
      known = hostname;
      callback(null, hostname, 4);
    } else dns.lookup(hostname, options, callback);
  };
}
