import type { PhoneCallState, PhoneClientFrame, PhoneServerFrame } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { parseServerFrame, phoneSocketUrl } from './signalling';
import { describeCallError, openLine, type PhoneLine } from './webRtc';

export type CallStatus =
  | { kind: 'idle' }
  /** Setting up, or waiting for the platform's first word on the call. */
  | { kind: 'calling' }
  | { kind: 'live'; state: Exclude<PhoneCallState, 'ended'> }
  | { kind: 'ended'; reason?: string }
  | { kind: 'failed'; message: string };

/** How long the platform may take to open the socket, and then to answer the offer. */
const SOCKET_LIMIT_MS = 15_000;
const ANSWER_LIMIT_MS = 15_000;

const UNREACHABLE = 'The phone service could not be reached. Try again in a moment.';

interface Call {
  line?: PhoneLine;
  socket?: WebSocket;
  /** The call frame has gone: from here a closed socket means the call ended. */
  placed: boolean;
  /** The platform's answer is applied: the voice path is up and tones may go. */
  answered: boolean;
  answerTimer?: number;
}

export interface PhoneCall {
  status: CallStatus;
  /** The far end's audio, once a call has been set up. */
  remoteStream: MediaStream | undefined;
  /** The answer is applied and the call is not over: the dial pad sends tones. */
  canDial: boolean;
  call: (number: string) => void;
  hangUp: () => void;
  sendDigit: (digit: string) => void;
}

function closeCall(call: Call): void {
  window.clearTimeout(call.answerTimer);
  const socket = call.socket;
  if (socket && socket.readyState !== WebSocket.CLOSING && socket.readyState !== WebSocket.CLOSED) {
    socket.close(1000, 'call ended');
  }
  call.line?.close();
}

function send(socket: WebSocket | undefined, frame: PhoneClientFrame): boolean {
  if (socket?.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

function whenOpen(socket: WebSocket, limitMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error(UNREACHABLE)), limitMs);
    socket.addEventListener('open', () => {
      window.clearTimeout(timer);
      resolve();
    });
    socket.addEventListener('close', () => {
      window.clearTimeout(timer);
      reject(new Error(UNREACHABLE));
    });
  });
}

/**
 * One web call at a time, each with a microphone, a peer connection and a signalling socket of
 * its own; after it ends the next call starts afresh.
 */
export function usePhoneCall(): PhoneCall {
  const [status, setStatus] = useState<CallStatus>({ kind: 'idle' });
  const [canDial, setCanDial] = useState(false);
  const [remoteStream, setRemoteStream] = useState<MediaStream | undefined>(undefined);
  const current = useRef<Call | undefined>(undefined);

  /** Ends `call` (if it is still the one in hand) and shows why. */
  const finish = useCallback((call: Call, next: CallStatus) => {
    if (current.current !== call) return;
    current.current = undefined;
    closeCall(call);
    setCanDial(false);
    setStatus(next);
  }, []);

  const onFrame = useCallback(
    (call: Call, frame: PhoneServerFrame) => {
      if (current.current !== call) return;
      if (frame.type === 'error') {
        finish(call, { kind: 'failed', message: frame.message });
      } else if (frame.type === 'state') {
        if (frame.state === 'ended') {
          finish(call, frame.reason ? { kind: 'ended', reason: frame.reason } : { kind: 'ended' });
        } else {
          setStatus({ kind: 'live', state: frame.state });
        }
      } else {
        window.clearTimeout(call.answerTimer);
        call.line?.pc.setRemoteDescription({ type: 'answer', sdp: frame.sdp }).then(
          () => {
            if (current.current !== call) return;
            call.answered = true;
            // Keys go as RTP events: only once the media path is up, or they would be lost.
            if (call.line?.pc.connectionState === 'connected') setCanDial(true);
          },
          (error: unknown) => finish(call, { kind: 'failed', message: describeCallError(error) }),
        );
      }
    },
    [finish],
  );

  const call = useCallback(
    (number: string) => {
      if (current.current) return;
      const call: Call = { placed: false, answered: false };
      current.current = call;
      setStatus({ kind: 'calling' });
      setCanDial(false);
      setRemoteStream(undefined);
      const fail = (error: unknown) => finish(call, { kind: 'failed', message: describeCallError(error) });

      (async () => {
        const line = await openLine();
        call.line = line;
        if (current.current !== call) return closeCall(call);
        setRemoteStream(line.remoteStream);
        line.pc.addEventListener('connectionstatechange', () => {
          if (line.pc.connectionState === 'failed') fail(new Error('The voice connection failed.'));
          if (line.pc.connectionState === 'connected' && call.answered && current.current === call)
            setCanDial(true);
        });

        const socket = new WebSocket(phoneSocketUrl());
        call.socket = socket;
        socket.addEventListener('message', (event) => {
          const frame = parseServerFrame(event.data);
          if (frame) onFrame(call, frame);
        });
        socket.addEventListener('close', () => {
          if (call.placed) finish(call, { kind: 'ended' });
        });
        await whenOpen(socket, SOCKET_LIMIT_MS);
        if (current.current !== call) return closeCall(call);
        if (!send(socket, { type: 'call', number, sdp: line.sdp })) throw new Error(UNREACHABLE);
        call.placed = true;
        call.answerTimer = window.setTimeout(
          () => fail(new Error('The phone service did not answer the call. Try again.')),
          ANSWER_LIMIT_MS,
        );
      })().catch(fail);
    },
    [finish, onFrame],
  );

  const hangUp = useCallback(() => {
    const call = current.current;
    if (!call) return;
    send(call.socket, { type: 'hangup' });
    finish(call, { kind: 'ended', reason: 'you hung up' });
  }, [finish]);

  const sendDigit = useCallback((digit: string) => {
    const call = current.current;
    if (call?.answered) call.line?.sendDigit(digit);
  }, []);

  // Leaving the page hangs up: the socket closes, and so do the peer connection and microphone.
  useEffect(
    () => () => {
      if (current.current) closeCall(current.current);
      current.current = undefined;
    },
    [],
  );

  return { status, remoteStream, canDial, call, hangUp, sendDigit };
}
