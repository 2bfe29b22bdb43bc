import { type Static, Type } from '@sinclair/typebox';
import { Strict, Timestamp, Uuid } from './common.js';

/*
 * Predictive dialling (H1, H2): a predictive campaign's settings, the live figures managers see,
 * and the compliance report and audit log a regulator could read.
 */

/** The highest abandonment rate any campaign may run at (Ofcom's and the FTC's 3%). */
export const MAX_ABANDON_CAP = 0.03;

export const PredictiveSettings = Strict({
  /**
   * The most abandoned calls may be of live-answered ones, in every rolling 24-hour and 30-day
   * window at once; at most 3%, lower if the campaign wants.
   */
  abandonCap: Type.Number({ exclusiveMinimum: 0, maximum: MAX_ABANDON_CAP }),
  /** After an abandoned call, hours the dialler leaves that number alone (an agent may still call it). */
  lockoutHours: Type.Integer({ minimum: 72, maximum: 720 }),
  /**
   * What an abandoned call hears (who called and how to opt out): one of the campaign's
   * announcements; null: the platform's stock message.
   */
  infoMessageId: Type.Union([Uuid, Type.Null()]),
  /** The most calls ringing at once for each agent signed in to the campaign. */
  maxLinesPerAgent: Type.Integer({ minimum: 1, maximum: 5 }),
});
export type PredictiveSettings = Static<typeof PredictiveSettings>;

export const DEFAULT_PREDICTIVE: PredictiveSettings = {
  abandonCap: MAX_ABANDON_CAP,
  lockoutHours: 72,
  infoMessageId: null,
  maxLinesPerAgent: 3,
};

/** One abandonment window's figures: live-answered calls, abandoned ones, and their rate. */
export const DiallerWindow = Type.Object({
  name: Type.Union([Type.Literal('24 hours'), Type.Literal('30 days')]),
  answered: Type.Integer(),
  abandoned: Type.Integer(),
  /** abandoned / answered; 0 with no answer. */
  rate: Type.Number(),
});
export type DiallerWindow = Static<typeof DiallerWindow>;

/** A predictive campaign as the dialler sees it now (the managers' live view). */
export const DiallerCampaignStats = Type.Object({
  campaignId: Uuid,
  name: Type.String(),
  /** Agents on the campaign who are not paused: free, talking or wrapping. */
  agents: Type.Integer(),
  freeAgents: Type.Integer(),
  /** Calls ringing now. */
  inFlight: Type.Integer(),
  /** Calls ringing per agent working the campaign. */
  dialLevel: Type.Number(),
  /** The answer rate measured today (the estimate pacing plans with, before its margin). */
  answerRate: Type.Number(),
  /** How the last decision dialled: no call, predictive, or one line per free agent. */
  mode: Type.Union([Type.Literal('idle'), Type.Literal('predictive'), Type.Literal('progressive')]),
  cap: Type.Number(),
  windows: Type.Array(DiallerWindow),
  /** Today so far (UTC). */
  today: Type.Object({
    dialled: Type.Integer(),
    answered: Type.Integer(),
    connected: Type.Integer(),
    abandoned: Type.Integer(),
  }),
  updatedAt: Timestamp,
});
export type DiallerCampaignStats = Static<typeof DiallerCampaignStats>;

/** One day (UTC) of a campaign's compliance report. */
export const DiallerReportDay = Type.Object({
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  dialled: Type.Integer(),
  answered: Type.Integer(),
  connected: Type.Integer(),
  abandoned: Type.Integer(),
  /** abandoned / answered that day. */
  abandonRate: Type.Number(),
  /** Abandoned calls that heard the information message to its end (or hung up during it). */
  messagesPlayed: Type.Integer(),
  /** The rolling windows as they stood at the day's last answered call. */
  rate24Hours: Type.Number(),
  rate30Days: Type.Number(),
  /** Abandoned calls' longest wait for an agent, from the answer (ms). */
  longestAbandonWaitMs: Type.Integer(),
  decisions: Type.Integer(),
  settingsChanges: Type.Integer(),
});
export type DiallerReportDay = Static<typeof DiallerReportDay>;

export const DiallerReport = Type.Object({
  campaignId: Uuid,
  name: Type.String(),
  cap: Type.Number(),
  days: Type.Array(DiallerReportDay),
});
export type DiallerReport = Static<typeof DiallerReport>;

export const DiallerReportQuery = Strict({
  from: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  to: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
});
export type DiallerReportQuery = Static<typeof DiallerReportQuery>;
