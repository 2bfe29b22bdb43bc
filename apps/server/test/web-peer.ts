import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';
import { pcmuDecode, pcmuEncode } from '../src/media/codec/g711.js';
import { goertzelPower } from '../src/media/dsp/goertzel.js';
import { ToneSource } from '../src/media/dsp/tone.js';

/** The test tones: each party talks with its own. */
export const TONES = [700, 1000, 1300, 1600] as const;

/**
 * The test tones present in `samples` (8 kHz): each whose share of the energy is over a tenth,
 * so four tones mixed at once are each still found. Quiet audio (or music) holds none.
 */
export function tonesIn(samples: Int16Array, candidates: readonly number[] = TONES): number[] {
  let energy = 0;
  for (const x of samples) energy += (x / 32768) ** 2;
  const mean = energy / Math.max(1, samples.length);
  if (mean < 1e-5) return [];
  return candidates.filter((hz) => goertzelPower(samples, 8000, hz) / (2 * mean) > 0.1);
}

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
  /** While listening: the decoded frames heard, and what to call when there are enough. */
  private listening: { frames: Int16Array[]; want: number; done: () => void } | undefined;

  constructor(private readonly toneHz = 700) {
    this.pc.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe((p) => {
        if (hasSound(p.payload)) this.heard++;
        const l = this.listening;
        if (!l) return;
        l.frames.push(pcmuDecode(p.payload));
        if (l.frames.length >= l.want) l.done();
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

  /** The next `frames` packets heard (20 ms each), decoded. */
  listen(frames = 40): Promise<Int16Array> {
    return new Promise((resolve) => {
      const heard: Int16Array[] = [];
      this.listening = {
        frames: heard,
        want: frames,
        done: () => {
          this.listening = undefined;
          const out = new Int16Array(heard.reduce((n, f) => n + f.length, 0));
          let at = 0;
          for (const f of heard) {
            out.set(f, at);
            at += f.length;
          }
          resolve(out);
        },
      };
    });
  }

  /** The test tones in the next 0.8 s heard. */
  async tones(): Promise<number[]> {
    return tonesIn(await this.listen(40));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.pc.close();
  }
}
