/** The browser half of Web Connect: microphone, peer connection and a complete (non-trickle) offer. */

declare global {
  interface Window {
    /** The live Web Connect call, for tests and for support staff in the console. */
    __parleyWebConnect?: { pc: RTCPeerConnection; remoteStream: MediaStream };
  }
}

/** How long ICE gathering may take before the offer goes with the candidates found so far. */
const ICE_GATHERING_LIMIT_MS = 10_000;

export interface VoiceOffer {
  pc: RTCPeerConnection;
  /** What the server sends back: play it in an <audio> element. */
  remoteStream: MediaStream;
  sdp: string;
}

/** A headset microphone, untouched: the platform does its own processing, and DTMF must survive. */
export async function openMicrophone(): Promise<MediaStream> {
  if (typeof navigator.mediaDevices?.getUserMedia !== 'function') {
    throw new Error('This browser cannot use a microphone here. Web Connect needs a secure (https) page.');
  }
  return navigator.mediaDevices.getUserMedia({
    audio: { autoGainControl: false, noiseSuppression: false, echoCancellation: false },
  });
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
export async function createVoiceOffer(microphone: MediaStream): Promise<VoiceOffer> {
  const pc = new RTCPeerConnection({ iceServers: [] });
  const remoteStream = new MediaStream();
  window.__parleyWebConnect = { pc, remoteStream };
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
    return { pc, remoteStream, sdp };
  } catch (error) {
    pc.close();
    throw error;
  }
}

export function stopMicrophone(microphone: MediaStream | undefined): void {
  for (const track of microphone?.getTracks() ?? []) track.stop();
}

export function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** What to tell the agent when the browser side of the call fails. */
export function describeVoiceError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : undefined;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was blocked. Allow this site to use your microphone, then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect your headset, then try again.';
    case 'NotReadableError':
      return 'Your microphone could not be started. Close other apps using it, then try again.';
  }
  if (error instanceof Error && error.message) return error.message;
  return 'The voice connection could not be set up.';
}
