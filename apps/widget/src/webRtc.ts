/** The caller's browser side: microphone, peer connection, a complete offer, DTMF. */

declare global {
  interface Window {
    /** The live call, for tests and for support staff in the console. */
    __parleyPhone?: { pc: RTCPeerConnection; remoteStream: MediaStream };
  }
}

const ICE_GATHERING_LIMIT_MS = 10_000;

export interface PhoneLine {
  pc: RTCPeerConnection;
  remoteStream: MediaStream;
  microphone: MediaStream;
  sdp: string;
  sendDigit(digit: string): void;
  close(): void;
}

/** Untouched audio: the platform does its own processing, and tones must survive. */
async function openMicrophone(): Promise<MediaStream> {
  if (typeof navigator.mediaDevices?.getUserMedia !== 'function') {
    throw new Error('This browser cannot use a microphone here: the page must be opened over https.');
  }
  return navigator.mediaDevices.getUserMedia({
    audio: { autoGainControl: false, noiseSuppression: false, echoCancellation: false },
  });
}

function preferTelephonyCodecs(transceiver: RTCRtpTransceiver): void {
  if (typeof transceiver.setCodecPreferences !== 'function') return;
  const codecs = RTCRtpReceiver.getCapabilities('audio')?.codecs ?? [];
  const is = (mimeType: string) => (codec: RTCRtpCodec) =>
    codec.mimeType.toLowerCase() === mimeType && codec.clockRate === 8000;
  const pcmu = codecs.filter(is('audio/pcmu'));
  const dtmf = codecs.filter(is('audio/telephone-event'));
  if (pcmu.length > 0) transceiver.setCodecPreferences([...pcmu, ...dtmf]);
}

function iceGatheringComplete(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      window.clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = window.setTimeout(done, ICE_GATHERING_LIMIT_MS);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/** A line ready to call: the microphone sent on one audio transceiver, the offer fully gathered. */
export async function openLine(): Promise<PhoneLine> {
  const microphone = await openMicrophone();
  const pc = new RTCPeerConnection({ iceServers: [] });
  const remoteStream = new MediaStream();
  pc.addEventListener('track', (event) => remoteStream.addTrack(event.track));
  const close = () => {
    pc.close();
    for (const track of microphone.getTracks()) track.stop();
  };
  try {
    const [track] = microphone.getAudioTracks();
    if (!track) throw new Error('The microphone gave no sound to send.');
    const transceiver = pc.addTransceiver(track, { direction: 'sendrecv', streams: [microphone] });
    preferTelephonyCodecs(transceiver);
    await pc.setLocalDescription(await pc.createOffer());
    await iceGatheringComplete(pc);
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new Error('The browser did not produce a call offer.');
    window.__parleyPhone = { pc, remoteStream };
    return {
      pc,
      remoteStream,
      microphone,
      sdp,
      // Appended to what still waits to play, so quick presses are all sent, in order.
      sendDigit: (digit) => {
        const dtmf = transceiver.sender.dtmf;
        dtmf?.insertDTMF(dtmf.toneBuffer + digit, 100, 70);
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

/** What to tell the caller when the browser side fails. */
export function describeCallError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : undefined;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'Microphone access was blocked. Allow this page to use your microphone, then call again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return 'No microphone was found. Connect one, then call again.';
  if (name === 'NotReadableError') return 'Your microphone could not be started. Close other apps using it.';
  if (error instanceof Error && error.message) return error.message;
  return 'The call could not be placed.';
}
