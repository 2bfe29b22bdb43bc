import { type Static, Type } from '@sinclair/typebox';
import { Name, Strict, Uuid } from './common.js';

/*
 * Calls an agent places from the toolbar (F1, F3): a Manual Call to a number, recorded under a
 * campaign the agent is on, and an Agent Call to a colleague who is Available. Both start from a
 * pause state; the call appears on the agent's toolbar at once, with its dial progress.
 */

/** The most digits a number may have (E.164 allows 15). */
export const MAX_DIAL_DIGITS = 15;

export const PlaceCallBody = Type.Union([
  Strict({
    type: Type.Literal('number'),
    /**
     * As typed or picked: digits with optional +, spaces, dashes, dots and brackets; read in the
     * workspace's default country and dialled in E.164 (or a desk phone's short extension).
     */
    number: Type.String({ minLength: 1, maxLength: 40 }),
    campaignId: Uuid,
    /** A directory contact's name, shown on the call instead of the bare number. */
    label: Type.Optional(Name),
  }),
  Strict({ type: Type.Literal('agent'), agentId: Uuid }),
]);
export type PlaceCallBody = Static<typeof PlaceCallBody>;

export const PlacedCall = Type.Object({
  /** The new interaction on the agent's toolbar. */
  interactionId: Uuid,
  /** What is being called: the number in E.164 (or the extension), or the agent's name. */
  to: Type.String(),
});
export type PlacedCall = Static<typeof PlacedCall>;

export const DIAL_STATES = ['dialling', 'ringing', 'answered', 'failed'] as const;
export type DialState = (typeof DIAL_STATES)[number];

/** A call the agent placed, as its card shows it until and after the far end answers. */
export const DialProgress = Type.Object({
  state: Type.Union(DIAL_STATES.map((s) => Type.Literal(s))),
  /** The number in E.164, or the agent called. */
  to: Type.String(),
  /** Failed: why, in words ("The line is busy", "There was no answer"). */
  reason: Type.Optional(Type.String()),
});
export type DialProgress = Static<typeof DialProgress>;

/** Keys pressed on the dial pad during a call, sent to the far end as RFC 4733 events. */
export const SendDigitsBody = Strict({
  digits: Type.String({ minLength: 1, maxLength: 32, pattern: '^[0-9*#A-Da-d]+$' }),
});
export type SendDigitsBody = Static<typeof SendDigitsBody>;

/** A campaign an agent may record a Manual Call under: a voice campaign of one of their teams. */
export const DialCampaign = Type.Object({ id: Uuid, name: Type.String() });
export type DialCampaign = Static<typeof DialCampaign>;
