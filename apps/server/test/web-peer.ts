import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';
import { pcmuEncode } from '../src/media/codec/g711.js';
import { ToneSource } from '../src/media/dsp/tone.js';

/** PCMU silence is 0xFF (and 0x7F): a payload with other bytes carries sound. */
const hasSound = (payload: Buffer) => payload.some((b) => b !== 0xff && b !== 0x7f);

/**
 * A browser stand-in (the customer web phone or a Web Connect tab): a werift peer offering PCMU
 * and telephone-event with loopback candidates only, sending a tone every 20 ms once connected
 * and counting the packets with sound it hears.
 */
export class WebPeer {
  private readonly pc = new RTCPeerConnection({
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 8000,
          channels: 1,
          payloadType: 101,
        }),
      ],
    },
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceUseIpv6: false,
  });
  private readonly sender = this.pc.addTransceiver('audio', { direction: 'sendrecv' }).sender;
  private timer: NodeJS.Timeout | undefined;
  /** Packets with sound heard from the platform. */
  heard = 0;

  constructor(private readonly toneHz = 700) {
    this.pc.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe((p) => {
        if (hasSound(p.payload)) this.heard++;
      }),
    );
  }

  /** The complete (non-trickle) offer, loopback candidates only. */
  async offer(): Promise<string> {
    const gathered = new Promise<void>((resolve) =>
      this.pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && resolve()),
    );
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await gathered;
    const sdp = this.pc.localDescription?.sdp ?? '';
    return sdp
      .split('\r\n')
      .filter((l) => !l.startsWith('a=candidate:') || l.includes(' 127.0.0.1 '))
      .join('\r\n');
  }

  /** The platform's answer: connect, then talk (a tone) until closed. */
  async answer(sdp: string): Promise<void> {
    const connected = new Promise<void>((resolve) =>
      this.pc.connectionStateChange.subscribe((s) => s === 'connected' && resolve()),
    );
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await connected;
    const tone = new ToneSource([this.toneHz]);
    let seq = 0;
    let ts = 0;
    this.timer = setInterval(() => {
      const header = new RtpHeader({ payloadType: 0, sequenceNumber: seq, timestamp: ts, marker: false });
      const payload = Buffer.from(pcmuEncode(tone.next(160)));
      this.sender.sendRtp(new RtpPacket(header, payload)).catch(() => undefined);
      seq = (seq + 1) & 0xffff;
      ts = (ts + 160) >>> 0;
    }, 20);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.pc.close();
  }
}
