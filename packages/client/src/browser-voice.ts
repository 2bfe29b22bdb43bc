/**
 * The browser half of a platform voice call, shared by the Web Connect tab and the customer web
 * phone: an untouched microphone, a peer connection offering G.711 µ-law and DTMF only, and a
 * complete (non-trickle) offer. Browser-only: imported as `@parley/client/browser-voice`.
 */

/** How long ICE gathering may take before the offer goes with the candidates found so far. */
const ICE_GATHERING_LIMIT_MS = 10_000;

export interface TelephonyOffer {
  pc: RTCPeerConnection;
  /** What the platform sends back: play it in an <audio> element. */
  remoteStream: MediaStream;
  /** The sender of the microphone's track (DTMF goes through it). */
  sender: RTCRtpSender;
  sdp: string;
}

/** A microphone with no processing: the platform does its own, and tones and DTMF must survive. */
export async function openMicrophone(): Promise<MediaStream> {
  if (typeof navigator.mediaDevices?.getUserMedia !== 'function') {
    throw new Error('This browser cannot use a microphone here: the page must be opened over https.');
  }
  return navigator.mediaDevices.getUserMedia({
    audio: { autoGainControl: false, noiseSuppression: false, echoCancellation: false },
  });
}

export function stopMicrophone(microphone: MediaStream | undefined): void {
  for (const track of microphone?.getTracks() ?? []) track.stop();
}

/** Offers G.711 µ-law and DTMF only, which is what the platform speaks. */
function preferTelephonyCodecs(transceiver: RTCRtpTransceiver): void {
  if (typeof transceiver.setCodecPreferences !== 'function') return;
  const codecs = RTCRtpReceiver.getCapabilities('audio')?.codecs ?? [];
  const is = (mimeType: string) => (codec: RTCRtpCodec) =>
    codec.mimeType.toLowerCase() === mimeType && codec.clockRate === 8000;
  const pcmu = codecs.filter(is('audio/pcmu'));
  const dtmf = codecs.filter(is('audio/telephone-event'));
  if (pcmu.length > 0) transceiver.setCodecPreferences([...pcmu, ...dtmf]);
}

function iceGatheringComplete(pc: RTCPeerConnection, limitMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      window.clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === 'complete') finish();
    };
    const timer = window.setTimeout(finish, limitMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/** A peer connection sending the microphone, with its offer's candidates all gathered. */
export async function createTelephonyOffer(microphone: MediaStream): Promise<TelephonyOffer> {
  const pc = new RTCPeerConnection({ iceServers: [] });
  const remoteStream = new MediaStream();
  pc.addEventListener('track', (event) => remoteStream.addTrack(event.track));
  try {
    const [track] = microphone.getAudioTracks();
    if (!track) throw new Error('The microphone gave no sound to send.');
    const transceiver = pc.addTransceiver(track, { direction: 'sendrecv', streams: [microphone] });
    preferTelephonyCodecs(transceiver);
    await pc.setLocalDescription(await pc.createOffer());
    await iceGatheringComplete(pc, ICE_GATHERING_LIMIT_MS);
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new Error('The browser did not produce a voice offer.');
    return { pc, remoteStream, sender: transceiver.sender, sdp };
  } catch (error) {
    pc.close();
    throw error;
  }
}

/** Sends a key as an RTP event, after any still waiting, so quick presses all go, in order. */
export function sendDigit(sender: RTCRtpSender, digit: string): void {
  const dtmf = sender.dtmf;
  dtmf?.insertDTMF(dtmf.toneBuffer + digit, 100, 70);
}
