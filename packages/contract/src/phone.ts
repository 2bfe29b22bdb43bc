import { type Static, Type } from '@sinclair/typebox';

/**
 * The customer web phone: a public page where a caller rings one of the platform's inbound
 * numbers over WebRTC. No sign-in; signalling on a WebSocket of its own.
 */
export const PHONE_PATH = '/phone/';
export const PHONE_SOCKET_PATH = '/api/public/phone';
export const PHONE_NUMBERS_PATH = '/api/public/phone/numbers';

/** An inbound number the web phone may call. */
export const PhoneNumber = Type.Object({
  /** E.164, as dialled: "+61290001000". */
  number: Type.String(),
  /** What the caller sees beside it: "ACME Demo · Customer Care". */
  name: Type.String(),
});
export type PhoneNumber = Static<typeof PhoneNumber>;

export const PhoneNumbersResponse = Type.Object({ numbers: Type.Array(PhoneNumber) });
export type PhoneNumbersResponse = Static<typeof PhoneNumbersResponse>;

/** Caller → platform: place the call (one per socket), with a complete (non-trickle) offer. */
export const PhoneCallFrame = Type.Object(
  {
    type: Type.Literal('call'),
    number: Type.String({ minLength: 2, maxLength: 32 }),
    sdp: Type.String({ minLength: 10, maxLength: 20_000 }),
  },
  { additionalProperties: false },
);
export type PhoneCallFrame = Static<typeof PhoneCallFrame>;

/** Caller → platform: hang up. Closing the socket hangs up too. */
export const PhoneHangupFrame = Type.Object(
  { type: Type.Literal('hangup') },
  { additionalProperties: false },
);
export type PhoneHangupFrame = Static<typeof PhoneHangupFrame>;

export const PhoneClientFrame = Type.Union([PhoneCallFrame, PhoneHangupFrame]);
export type PhoneClientFrame = Static<typeof PhoneClientFrame>;

/** Where the call stands, as the caller may know it. */
export type PhoneCallState = 'menu' | 'queued' | 'connected' | 'held' | 'ended';

export type PhoneServerFrame =
  | { type: 'answer'; callId: string; sdp: string }
  | { type: 'state'; state: PhoneCallState; reason?: string }
  /** The call could not be placed or a frame was refused; `code` is one of ERROR_CODES. */
  | { type: 'error'; code: string; message: string };
