import { type Static, Type } from '@sinclair/typebox';
import { Name, Strict, Timestamp, Uuid } from './common.js';

/*
 * Leads of outbound campaigns (G1-G8): lead lists, leads with their own fields and phone numbers
 * (each number with its own state, apart from the lead's), the campaign's calling rules and the
 * workspace's do-not-call list.
 */

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

/** When and how often a campaign's leads may be called. Checked at selection and again at dialling. */
export const LeadRules = Strict({
  /** How numbers without a country code are read (ISO 3166); null: the workspace's dial plan. */
  defaultCountry: Type.Union([Type.String({ pattern: '^[A-Z]{2}$' }), Type.Null()]),
  /** The time zone of leads whose own cannot be told from their number (IANA, "Australia/Sydney"). */
  timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  /** Calling hours in the lead's local time, on these days (1 Monday … 7 Sunday). */
  callingHours: Strict({
    from: HourMinute,
    to: HourMinute,
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { uniqueItems: true, maxItems: 7 }),
  }),
  maxAttemptsPerNumber: Type.Integer({ minimum: 1, maximum: 100 }),
  maxAttemptsPerLead: Type.Integer({ minimum: 1, maximum: 1000 }),
  /** Minutes before a number that was not answered (busy, no answer) is tried again. */
  retryMinutes: Type.Integer({ minimum: 1, maximum: 10_080 }),
  /** Agents may add, edit and remove a presented lead's numbers. */
  editNumbers: Type.Boolean(),
  /** A personal callback goes to the campaign when its owner is away this long after it is due. */
  callbackGraceMinutes: Type.Integer({ minimum: 0, maximum: 1440 }),
});
export type LeadRules = Static<typeof LeadRules>;

export const DEFAULT_LEAD_RULES: LeadRules = {
  defaultCountry: null,
  timeZone: 'Australia/Sydney',
  callingHours: { from: '09:00', to: '20:00', days: [1, 2, 3, 4, 5, 6] },
  maxAttemptsPerNumber: 5,
  maxAttemptsPerLead: 15,
  retryMinutes: 60,
  editNumbers: true,
  callbackGraceMinutes: 15,
};

export const LeadList = Type.Object({
  id: Uuid,
  campaignId: Uuid,
  name: Type.String(),
  leads: Type.Integer(),
  createdAt: Timestamp,
});
export type LeadList = Static<typeof LeadList>;
export const CreateLeadListBody = Strict({ campaignId: Uuid, name: Name });
export type CreateLeadListBody = Static<typeof CreateLeadListBody>;

export const LeadNumber = Type.Object({
  id: Uuid,
  /** The column it came from ("Mobile"), or what the agent called it. */
  label: Type.String(),
  /** E.164. */
  number: Type.String(),
  attempts: Type.Integer(),
  lastAttemptAt: Nullable(Timestamp),
  /** The last outcome on this number; null for a number never called. */
  lastOutcome: Nullable(Type.String()),
  /** Not before this time (a retry interval); null: whenever the rules allow. */
  nextCallAt: Nullable(Timestamp),
  completed: Type.Boolean(),
});
export type LeadNumber = Static<typeof LeadNumber>;

/** What a lead outcome is shown as before any call: the guide's "New Record". */
export const NEW_RECORD = 'New Record';

export const Lead = Type.Object({
  id: Uuid,
  campaignId: Uuid,
  listId: Uuid,
  /** The lead's own columns, by name. */
  fields: Type.Record(Type.String(), Type.String()),
  timeZone: Nullable(Type.String()),
  priority: Type.Integer(),
  done: Type.Boolean(),
  callbackAt: Nullable(Timestamp),
  /** A personal callback's agent; null: the campaign's. */
  callbackOwnerId: Nullable(Uuid),
  attempts: Type.Integer(),
  lastAttemptAt: Nullable(Timestamp),
  /** The last outcome, or "New Record". */
  lastOutcome: Type.String(),
  numbers: Type.Array(LeadNumber),
});
export type Lead = Static<typeof Lead>;

/** A presented lead's number the agent adds or edits (read in the campaign's country). */
export const LeadNumberBody = Strict({
  number: Type.String({ minLength: 1, maxLength: 40 }),
  label: Type.Optional(Type.String({ maxLength: 50 })),
});
export type LeadNumberBody = Static<typeof LeadNumberBody>;

/**
 * Dial one of the presented lead's numbers, or a number typed in the dial pad (a Manual Call on
 * the lead: recorded under its campaign, its outcome on the lead).
 */
export const DialLeadBody = Type.Union([
  Strict({ numberId: Uuid }),
  Strict({ number: Type.String({ minLength: 1, maxLength: 40 }) }),
]);
export type DialLeadBody = Static<typeof DialLeadBody>;

/** A callback the agent schedules when wrapping with a callback outcome. */
export const CallbackChoice = Strict({
  at: Timestamp,
  /** Personal: only this agent gets it; else anyone on the campaign. */
  personal: Type.Boolean(),
});
export type CallbackChoice = Static<typeof CallbackChoice>;

export const DoNotCallEntry = Type.Object({
  number: Type.String(),
  reason: Type.String(),
  createdAt: Timestamp,
});
export type DoNotCallEntry = Static<typeof DoNotCallEntry>;
export const DoNotCallBody = Strict({
  number: Type.String({ minLength: 1, maxLength: 40 }),
  reason: Type.Optional(Type.String({ maxLength: 200 })),
});
export type DoNotCallBody = Static<typeof DoNotCallBody>;

/** A lead as a search lists it (Lead Manager, Convert to Outbound's "Search Leads"). */
export const LeadSummary = Type.Object({
  id: Uuid,
  campaignId: Uuid,
  campaignName: Type.String(),
  /** Its name columns, else its first number. */
  label: Type.String(),
  numbers: Type.Array(Type.String()),
  fields: Type.Record(Type.String(), Type.String()),
  lastOutcome: Type.String(),
  callbackAt: Nullable(Timestamp),
  done: Type.Boolean(),
  /** Someone else is working it now (it cannot be chosen). */
  taken: Type.Boolean(),
});
export type LeadSummary = Static<typeof LeadSummary>;

/** Search by name, a field's text or a phone number (any way it is written), optionally in one campaign. */
export const LeadSearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 2, maxLength: 100 }),
    campaignId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type LeadSearchQuery = Static<typeof LeadSearchQuery>;

/** One of the agent's callbacks (the Callbacks side panel). */
export const Callback = Type.Object({
  leadId: Uuid,
  campaignId: Uuid,
  campaignName: Type.String(),
  label: Type.String(),
  at: Timestamp,
  /** The agent's own; otherwise the campaign's (for anyone on it). */
  personal: Type.Boolean(),
  due: Type.Boolean(),
});
export type Callback = Static<typeof Callback>;

/** An outbound campaign Convert to Outbound may move a call into. */
export const ConvertCampaign = Type.Object({ id: Uuid, name: Type.String() });
export type ConvertCampaign = Static<typeof ConvertCampaign>;
export const ConvertBody = Strict({ leadId: Uuid });
export type ConvertBody = Static<typeof ConvertBody>;
