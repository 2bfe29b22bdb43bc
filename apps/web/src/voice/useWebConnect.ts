import type { VoiceServerFrame } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { VoiceChannel } from './useVoiceChannel';
import { createVoiceOffer, describeVoiceError, newRequestId, openMicrophone, stopMicrophone } from './webRtc';

/** A call ringing a non-persistent tab. */
export interface RingingCall {
  interactionId: string;
  caller: string;
  campaignName: string;
}

export type WebConnectPhase =
  | { kind: 'incoming'; call?: RingingCall }
  | { kind: 'waiting' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'failed'; message: string }
  | { kind: 'ended'; reason: string };

/** How long to wait for the realtime channel, and then for the server's answer. */
const CHANNEL_LIMIT_MS = 15_000;
const ANSWER_LIMIT_MS = 15_000;

type EndReason = Extract<VoiceServerFrame, { type: 'voice.ended' }>['reason'];
const endReasons: Record<EndReason, string> = {
  replaced: 'another Web Connect tab took over your voice connection.',
  signed_out: 'you signed out.',
  failed: 'the voice connection failed.',
};

interface Call {
  requestId: string;
  /** Non-persistent: the delivered call this leg answers. */
  interactionId?: string;
  microphone?: MediaStream;
  pc?: RTCPeerConnection;
  answerTimer?: number;
}

export interface WebConnect {
  phase: WebConnectPhase;
  /** The far end's audio, once a call has been set up. */
  remoteStream: MediaStream | undefined;
  /** Answers the tab's "incoming call": sets up the voice path (also to try again). */
  answer: () => void;
  hangUp: () => void;
}

function closeCall(call: Call): void {
  window.clearTimeout(call.answerTimer);
  call.pc?.close();
  stopMicrophone(call.microphone);
}

/** Tells the agent a call rings here even when the tab is in the background; clicking answers. */
function notifyRinging(call: RingingCall, onClick: () => void): Notification | undefined {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return undefined;
  const note = new Notification('Incoming call', {
    body: `${call.caller} · ${call.campaignName}`,
    tag: `parley-call-${call.interactionId}`,
    requireInteraction: true,
  });
  note.onclick = () => {
    window.focus();
    note.close();
    onClick();
  };
  return note;
}

/**
 * The Web Connect call, signalled on `channel`. Persistent: one voice path answered when the tab
 * opens. Non-persistent: the tab waits, rings for each delivered call, and answering connects it.
 */
export function useWebConnect(channel: VoiceChannel, persistent: boolean, channelOpen: boolean): WebConnect {
  const [phase, setPhase] = useState<WebConnectPhase>({ kind: persistent ? 'incoming' : 'waiting' });
  const [remoteStream, setRemoteStream] = useState<MediaStream | undefined>(undefined);
  const current = useRef<Call | undefined>(undefined);
  const ringing = useRef<{ call: RingingCall; note: Notification | undefined } | undefined>(undefined);

  const stopRinging = useCallback(() => {
    ringing.current?.note?.close();
    ringing.current = undefined;
  }, []);

  /** Ends the call in hand (if it is still `call`) and shows why. */
  const finish = useCallback((call: Call, next: WebConnectPhase) => {
    if (current.current !== call) return;
    current.current = undefined;
    closeCall(call);
    setPhase(next);
  }, []);

  const answer = useCallback(() => {
    if (current.current) closeCall(current.current);
    const interactionId = ringing.current?.call.interactionId;
    stopRinging();
    if (!persistent && !interactionId) {
      // Nothing rings: a non-persistent tab goes back to waiting for the next call.
      setPhase({ kind: 'waiting' });
      channel.send({ type: 'voice.standby' });
      return;
    }
    const call: Call = { requestId: newRequestId(), ...(interactionId && { interactionId }) };
    current.current = call;
    setPhase({ kind: 'connecting' });
    const fail = (error: unknown) => finish(call, { kind: 'failed', message: describeVoiceError(error) });

    (async () => {
      call.microphone = await openMicrophone();
      if (current.current !== call) return stopMicrophone(call.microphone);
      const offer = await createVoiceOffer(call.microphone);
      call.pc = offer.pc;
      if (current.current !== call) return closeCall(call);
      setRemoteStream(offer.remoteStream);
      offer.pc.addEventListener('connectionstatechange', () => {
        if (current.current !== call) return;
        if (offer.pc.connectionState === 'connected') setPhase({ kind: 'connected' });
        if (offer.pc.connectionState === 'failed') fail(new Error('The voice path to Parley failed.'));
      });
      await channel.whenOpen(CHANNEL_LIMIT_MS);
      if (current.current !== call) return;
      const sent = channel.send({
        type: 'voice.offer',
        requestId: call.requestId,
        sdp: offer.sdp,
        persistent,
        ...(call.interactionId && { interactionId: call.interactionId }),
      });
      if (!sent) throw new Error('The connection to Parley dropped. Try again.');
      call.answerTimer = window.setTimeout(
        () => fail(new Error('Parley did not answer the voice connection.')),
        ANSWER_LIMIT_MS,
      );
    })().catch(fail);
  }, [channel, persistent, finish, stopRinging]);

  const hangUp = useCallback(() => {
    const call = current.current;
    if (!call) return;
    channel.send({ type: 'voice.hangup' });
    finish(call, persistent ? { kind: 'ended', reason: 'you hung up.' } : { kind: 'waiting' });
  }, [channel, finish, persistent]);

  const answerRef = useRef(answer);
  answerRef.current = answer;

  // A non-persistent tab tells the server it is waiting whenever its channel (re)opens.
  useEffect(() => {
    if (!persistent && channelOpen && !current.current) channel.send({ type: 'voice.standby' });
  }, [channel, persistent, channelOpen]);

  useEffect(
    () =>
      channel.onVoice((frame) => {
        if (frame.type === 'voice.ring') {
          if (current.current) return;
          const ring = {
            interactionId: frame.interactionId,
            caller: frame.caller,
            campaignName: frame.campaignName,
          };
          // A call the agent is placing from the toolbar connects at once: nothing to answer.
          if (frame.placed) {
            ringing.current = { call: ring, note: undefined };
            setPhase({ kind: 'incoming', call: ring });
            answerRef.current();
            return;
          }
          ringing.current = { call: ring, note: notifyRinging(ring, () => answerRef.current()) };
          setPhase({ kind: 'incoming', call: ring });
          return;
        }
        if (frame.type === 'voice.ringStopped') {
          if (ringing.current?.call.interactionId !== frame.interactionId) return;
          stopRinging();
          if (!current.current) setPhase({ kind: 'waiting' });
          return;
        }
        const call = current.current;
        if (!call) return;
        if (frame.type === 'voice.callEnded') {
          if (call.interactionId === frame.interactionId) finish(call, { kind: 'waiting' });
          return;
        }
        if (frame.type === 'voice.ended') {
          finish(call, { kind: 'ended', reason: endReasons[frame.reason] });
          return;
        }
        if (frame.requestId !== call.requestId) return;
        window.clearTimeout(call.answerTimer);
        if (frame.type === 'voice.failed') {
          finish(call, { kind: 'failed', message: frame.message });
          return;
        }
        call.pc?.setRemoteDescription({ type: 'answer', sdp: frame.sdp }).catch((error: unknown) => {
          finish(call, { kind: 'failed', message: describeVoiceError(error) });
        });
      }),
    [channel, finish, stopRinging],
  );

  // Leaving the page hangs up: closing the channel tells the server, the peer connection is closed here.
  useEffect(
    () => () => {
      if (current.current) closeCall(current.current);
      current.current = undefined;
    },
    [],
  );

  return { phase, remoteStream, answer, hangUp };
}
