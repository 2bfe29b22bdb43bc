import { PHONE_SOCKET_PATH, type PhoneCallState, type PhoneServerFrame } from '@parley/contract';

/** The signalling socket on this page's own origin. */
export function phoneSocketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${PHONE_SOCKET_PATH}`;
}

const callStates: readonly PhoneCallState[] = ['menu', 'queued', 'connected', 'held', 'ended'];

/** A frame from the platform, or undefined for anything this page does not understand. */
export function parseServerFrame(data: unknown): PhoneServerFrame | undefined {
  if (typeof data !== 'string') return undefined;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isRecord(frame)) return undefined;
  switch (frame.type) {
    case 'answer':
      if (typeof frame.callId !== 'string' || typeof frame.sdp !== 'string') return undefined;
      return { type: 'answer', callId: frame.callId, sdp: frame.sdp };
    case 'state': {
      const state = callStates.find((s) => s === frame.state);
      if (!state) return undefined;
      return typeof frame.reason === 'string'
        ? { type: 'state', state, reason: frame.reason }
        : { type: 'state', state };
    }
    case 'error':
      return {
        type: 'error',
        code: typeof frame.code === 'string' ? frame.code : 'UNKNOWN',
        message: typeof frame.message === 'string' ? frame.message : 'The call could not be placed.',
      };
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
