import { type Static, Type } from '@sinclair/typebox';

/** Web Connect signalling frames, on the same authenticated WebSocket as the toolbar's channel. */
export const VoiceOfferFrame = Type.Object(
  {
    type: Type.Literal('voice.offer'),
    requestId: Type.String({ maxLength: 64 }),
    /** The browser's non-trickle SDP offer (PCMU + telephone-event). */
    sdp: Type.String({ minLength: 10, maxLength: 20_000 }),
    persistent: Type.Boolean(),
    /** Non-persistent: the offered call this answers (from `voice.ring`). */
    interactionId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type VoiceOfferFrame = Static<typeof VoiceOfferFrame>;

/** A non-persistent Web Connect tab is open and waiting: calls may be offered to it (they ring). */
export const VoiceStandbyFrame = Type.Object(
  { type: Type.Literal('voice.standby') },
  { additionalProperties: false },
);
export type VoiceStandbyFrame = Static<typeof VoiceStandbyFrame>;

export const VoiceHangupFrame = Type.Object(
  { type: Type.Literal('voice.hangup') },
  { additionalProperties: false },
);
export type VoiceHangupFrame = Static<typeof VoiceHangupFrame>;

export type VoiceServerFrame =
  | { type: 'voice.answer'; requestId: string; sdp: string }
  | {
      type: 'voice.failed';
      requestId: string;
      code: 'VOICE_UNAVAILABLE' | 'VOICE_BAD_OFFER';
      message: string;
    }
  /** The server ended this tab's voice leg (another Web Connect tab took over, sign-out). */
  | { type: 'voice.ended'; reason: 'replaced' | 'signed_out' | 'failed' }
  /** Non-persistent: a call is offered; the tab rings until answered or `voice.ringStopped`. */
  | {
      type: 'voice.ring';
      interactionId: string;
      caller: string;
      campaignName: string;
      /** A call the agent is placing: the tab connects at once (nothing to answer). */
      placed?: boolean;
    }
  | { type: 'voice.ringStopped'; interactionId: string }
  /** Non-persistent: the call is over; the tab waits for the next one. */
  | { type: 'voice.callEnded'; interactionId: string };

/** The Web Connect tab's route in the toolbar app. */
export const WEB_CONNECT_PATH = '/web-connect';

/** "Call me to connect" (B2): the platform calls the agent's phone. */
export const CallMeBody = Type.Object(
  {
    /** A phone number (national or +E.164) or a SIP address of a phone on the office network. */
    destination: Type.String({ minLength: 1, maxLength: 100 }),
    persistent: Type.Boolean(),
    /** "Save as default": true keeps this number and mode for the agent, false forgets the default. */
    saveAsDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CallMeBody = Static<typeof CallMeBody>;

/** A "Call me to connect" choice: the number or SIP address, and the mode. */
export const CallMeChoice = Type.Object(
  { destination: Type.String(), persistent: Type.Boolean() },
  { additionalProperties: false },
);
export type CallMeChoice = Static<typeof CallMeChoice>;

/** The agent's saved "Call me to connect" choice, wherever they sign in. */
export const CallMeDefault = Type.Object({ default: Type.Union([CallMeChoice, Type.Null()]) });
export type CallMeDefault = Static<typeof CallMeDefault>;
