/** The browser half of Web Connect: the shared telephony offer, plus what the tab tells the agent. */
import { createTelephonyOffer, openMicrophone, stopMicrophone } from '@parley/client/browser-voice';

declare global {
  interface Window {
    /** The live Web Connect call, for tests and for support staff in the console. */
    __parleyWebConnect?: { pc: RTCPeerConnection; remoteStream: MediaStream };
  }
}

export interface VoiceOffer {
  pc: RTCPeerConnection;
  /** What the server sends back: play it in an <audio> element. */
  remoteStream: MediaStream;
  sdp: string;
}

export { openMicrophone, stopMicrophone };

/** A peer connection sending the microphone, with its offer's candidates all gathered. */
export async function createVoiceOffer(microphone: MediaStream): Promise<VoiceOffer> {
  const { pc, remoteStream, sdp } = await createTelephonyOffer(microphone);
  window.__parleyWebConnect = { pc, remoteStream };
  return { pc, remoteStream, sdp };
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
