/** The caller's browser side: the shared telephony offer, DTMF, and what to tell the caller. */
import {
  createTelephonyOffer,
  openMicrophone,
  sendDigit,
  stopMicrophone,
} from '@parley/client/browser-voice';

declare global {
  interface Window {
    /** The live call, for tests and for support staff in the console. */
    __parleyPhone?: { pc: RTCPeerConnection; remoteStream: MediaStream };
  }
}

export interface PhoneLine {
  pc: RTCPeerConnection;
  remoteStream: MediaStream;
  microphone: MediaStream;
  sdp: string;
  sendDigit(digit: string): void;
  close(): void;
}

/** A line ready to call: the microphone sent on one audio transceiver, the offer fully gathered. */
export async function openLine(): Promise<PhoneLine> {
  const microphone = await openMicrophone();
  try {
    const { pc, remoteStream, sender, sdp } = await createTelephonyOffer(microphone);
    window.__parleyPhone = { pc, remoteStream };
    return {
      pc,
      remoteStream,
      microphone,
      sdp,
      sendDigit: (digit) => sendDigit(sender, digit),
      close: () => {
        pc.close();
        stopMicrophone(microphone);
      },
    };
  } catch (error) {
    stopMicrophone(microphone);
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
