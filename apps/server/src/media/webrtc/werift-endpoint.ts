import { randomInt, randomUUID } from 'node:crypto';
import {
  type MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  type RTCRtpSender,
  RtpHeader,
  RtpPacket,
} from 'werift';
import { pcmuDecodeInto, pcmuEncodeInto } from '../codec/g711.js';
import { Listeners, type MediaEndpoint } from '../endpoint.js';
import { DtmfSchedule } from '../rtp/dtmf-schedule.js';
import { DtmfReceiver } from '../rtp/rfc4733.js';
import { filterAnswer, findPayloadType } from './sdp.js';

const FRAME = 160;
const PCMU_PT = 0;
const GATHERING_TIMEOUT_MS = 10_000;

export interface AnswerWebRtcOptions {
  /** Endpoint id; default a random UUID. */
  id?: string;
  /** Host candidate addresses kept in the answer (others are removed); default ['127.0.0.1']. */
  addresses?: string[];
}

/**
 * A browser leg on werift: PCMU both ways plus RFC 4733 telephone-events on the payload type
 * the browser offered. Packets go out only when `sendAudio` is called (the media clock's tick).
 */
class WeriftEndpoint implements MediaEndpoint {
  readonly kind = 'webrtc' as const;
  private readonly audio = new Listeners<Int16Array>();
  private readonly digits = new Listeners<string>();
  private readonly dtmfIn = new DtmfReceiver();
  private readonly dtmfOut = new DtmfSchedule();
  private readonly pending = new Int16Array(FRAME);
  /** A received payload, decoded (then copied into `pending`). Grows for longer packets. */
  private decoded = new Int16Array(FRAME);
  private pendingLength = 0;
  private seq = randomInt(0, 0x10000);
  private timestamp = randomInt(0, 0x100000000);
  private first = true;
  private last: number | undefined;
  private isClosed = false;

  constructor(
    readonly id: string,
    private readonly pc: RTCPeerConnection,
    private readonly sender: RTCRtpSender,
    private readonly dtmfPayloadType: number | undefined,
  ) {}

  get lastReceivedAt(): number | undefined {
    return this.last;
  }
  get closed(): boolean {
    return this.isClosed;
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    return this.audio.add(listener);
  }
  onDtmf(listener: (digit: string) => void): () => void {
    return this.digits.add(listener);
  }

  /** Subscribes to the browser's track (werift's `onTrack`). */
  attach(track: MediaStreamTrack): void {
    track.onReceiveRtp.subscribe((packet) => this.receive(packet));
  }

  sendAudio(frame: Int16Array): void {
    if (this.isClosed) return;
    const timestamp = this.timestamp;
    this.timestamp = (this.timestamp + FRAME) >>> 0;
    const transport = this.sender.dtlsTransport;
    // Before DTLS is up nothing can be sent: time moves on, sequence numbers do not.
    if (transport.state !== 'connected') return;
    const tick = this.dtmfOut.next(timestamp);
    if (tick.send === 'nothing') return;
    const dtmf = tick.send === 'dtmf' ? tick.packet : undefined;
    const header = new RtpHeader({
      sequenceNumber: this.seq,
      timestamp: dtmf ? dtmf.timestamp : timestamp,
      marker: dtmf ? dtmf.marker : this.first,
      payloadType: dtmf ? (this.dtmfPayloadType ?? PCMU_PT) : PCMU_PT,
      ssrc: this.sender.ssrc,
    });
    this.seq = (this.seq + 1) & 0xffff;
    if (!dtmf) this.first = false;
    // A fresh buffer each packet: the sender keeps recent packets for retransmission.
    const payload = Buffer.allocUnsafe(dtmf ? dtmf.payload.length : frame.length);
    if (dtmf) payload.set(dtmf.payload);
    else pcmuEncodeInto(frame, payload);
    if (dtmf || this.sender.codec?.payloadType !== PCMU_PT) {
      // RTCRtpSender.sendRtp forces its first negotiated codec's payload type, so anything else
      // goes straight to the DTLS transport, which encrypts and sends the header as given.
      transport.sendRtp(payload, header).catch(() => undefined);
    } else {
      // Through the sender, so its RTCP sender reports and stats count the audio.
      this.sender.sendRtp(new RtpPacket(header, payload)).catch(() => undefined);
    }
  }

  sendDtmf(digit: string): void {
    if (this.isClosed) return;
    if (this.dtmfPayloadType === undefined) throw new Error('the browser did not offer telephone-event/8000');
    this.dtmfOut.push(digit);
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.audio.clear();
    this.digits.clear();
    this.dtmfOut.clear();
    await this.pc.close();
  }

  private receive(packet: RtpPacket): void {
    if (this.isClosed) return;
    this.last = Date.now();
    const { payloadType, timestamp } = packet.header;
    if (payloadType === this.dtmfPayloadType) {
      const digit = this.dtmfIn.push(timestamp, packet.payload);
      if (digit !== undefined) this.digits.emit(digit);
    } else if (payloadType === PCMU_PT) {
      const bytes = packet.payload;
      if (this.decoded.length < bytes.length) this.decoded = new Int16Array(bytes.length);
      this.reframe(pcmuDecodeInto(bytes, this.decoded));
    }
  }

  /** Emits 160-sample frames whatever the packet size (browsers send 20 ms, but ptime may differ). */
  private reframe(samples: Int16Array): void {
    let at = 0;
    while (at < samples.length) {
      const take = Math.min(FRAME - this.pendingLength, samples.length - at);
      this.pending.set(samples.subarray(at, at + take), this.pendingLength);
      this.pendingLength += take;
      at += take;
      if (this.pendingLength === FRAME) {
        this.pendingLength = 0;
        this.audio.emit(this.pending.slice());
      }
    }
  }
}

/**
 * Answers a browser's non-trickle offer: the answer carries all candidates (gathering is
 * awaited), restricted to `addresses`, and only PCMU plus telephone-event/8000.
 */
export async function answerWebRtc(
  offerSdp: string,
  options: AnswerWebRtcOptions = {},
): Promise<{ endpoint: MediaEndpoint; answerSdp: string }> {
  const addresses = options.addresses ?? ['127.0.0.1'];
  if (findPayloadType(offerSdp, 'PCMU', 8000) !== PCMU_PT)
    throw new Error('the offer has no PCMU/8000 on PT 0');
  const dtmfPayloadType = findPayloadType(offerSdp, 'telephone-event', 8000);
  const codec = (mimeType: string, payloadType: number) =>
    new RTCRtpCodecParameters({ mimeType, clockRate: 8000, channels: 1, payloadType });
  const codecs = [codec('audio/PCMU', PCMU_PT)];
  if (dtmfPayloadType !== undefined) codecs.push(codec('audio/telephone-event', dtmfPayloadType));
  const pc = new RTCPeerConnection({
    codecs: { audio: codecs },
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceUseIpv6: false,
  });
  try {
    const transceiver = pc.addTransceiver('audio', { direction: 'sendrecv' });
    const endpoint = new WeriftEndpoint(options.id ?? randomUUID(), pc, transceiver.sender, dtmfPayloadType);
    pc.onTrack.subscribe((track) => endpoint.attach(track));
    await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    const gathered = waitForGathering(pc);
    gathered.catch(() => undefined); // awaited below; handled here in case the next step throws first
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered;
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new Error('werift produced no answer');
    const payloadTypes = dtmfPayloadType === undefined ? [PCMU_PT] : [PCMU_PT, dtmfPayloadType];
    const answerSdp = filterAnswer(sdp, { payloadTypes, addresses });
    if (!answerSdp.includes('\na=candidate:')) throw new Error(`no ICE candidate on ${addresses.join(', ')}`);
    return { endpoint, answerSdp };
  } catch (err) {
    await pc.close();
    throw err;
  }
}

function waitForGathering(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ICE gathering did not complete')), GATHERING_TIMEOUT_MS);
    timer.unref();
    const { unSubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
      if (state !== 'complete') return;
      clearTimeout(timer);
      unSubscribe();
      resolve();
    });
  });
}
