import type { LeadRules } from '@parley/contract';

/** What the rules need of a lead. */
export interface LeadFacts {
  done: boolean;
  attempts: number;
  timeZone: string | null;
}

/** What the rules need of the number to call. */
export interface NumberFacts {
  number: string;
  attempts: number;
  nextCallAt: Date | null;
  completed: boolean;
}

/** Why a number may not be called now, in words, with a stable code. */
export type Refusal = {
  code:
    | 'LEAD_DONE'
    | 'NUMBER_COMPLETED'
    | 'ATTEMPTS'
    | 'RETRY_LATER'
    | 'OUTSIDE_HOURS'
    | 'DO_NOT_CALL'
    | 'LIVE_CALL'
    | 'LOCKED_OUT';
  reason: string;
};

const DAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock day (1 Monday … 7 Sunday) and minute of the day at `at` in time zone `tz`. */
export function localTime(at: Date, tz: string): { day: number; minutes: number } {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: DAY[parts.weekday ?? ''] ?? 0, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** Whether `tz` is a time zone this runtime knows (IANA). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether `at` falls in the calling hours, in the lead's local time: from inclusive, to exclusive;
 * a window whose end is not after its start runs past midnight (22:00 to 02:00), and one that
 * starts and ends at the same time is the whole day. The day is the one the window starts on.
 */
export function inCallingHours(at: Date, tz: string, hours: LeadRules['callingHours']): boolean {
  const { day, minutes } = localTime(at, tz);
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  if (from < to) return hours.days.includes(day) && minutes >= from && minutes < to;
  if (from === to) return hours.days.includes(day);
  if (minutes >= from) return hours.days.includes(day);
  return minutes < to && hours.days.includes(day === 1 ? 7 : day - 1);
}

/**
 * Whether `number` of `lead` may be dialled at `now` under the campaign's `rules`, checked at the
 * moment of dialling (selection checks the same, but time passes and others call): not done or
 * completed, within the attempt limits, past its retry time, inside calling hours in the lead's
 * time zone, not on the do-not-call list, and no other call to it live.
 */
export function mayCall(
  lead: LeadFacts,
  number: NumberFacts,
  rules: LeadRules,
  now: Date,
  elsewhere: { doNotCall: boolean; liveCall: boolean },
): Refusal | undefined {
  if (lead.done) return { code: 'LEAD_DONE', reason: 'This lead is complete' };
  if (number.completed) return { code: 'NUMBER_COMPLETED', reason: `${number.number} is complete` };
  if (elsewhere.doNotCall)
    return { code: 'DO_NOT_CALL', reason: `${number.number} is on the do-not-call list` };
  if (number.attempts >= rules.maxAttemptsPerNumber)
    return {
      code: 'ATTEMPTS',
      reason: `${number.number} has been tried ${number.attempts} times, the most this campaign allows`,
    };
  if (lead.attempts >= rules.maxAttemptsPerLead)
    return {
      code: 'ATTEMPTS',
      reason: `This lead has been tried ${lead.attempts} times, the most this campaign allows`,
    };
  if (number.nextCallAt && number.nextCallAt > now)
    return {
      code: 'RETRY_LATER',
      reason: `${number.number} may be tried again from ${number.nextCallAt.toISOString()}`,
    };
  const tz = lead.timeZone ?? rules.timeZone;
  if (!inCallingHours(now, tz, rules.callingHours))
    return {
      code: 'OUTSIDE_HOURS',
      reason: `It is outside calling hours (${rules.callingHours.from} to ${rules.callingHours.to}) in ${tz}`,
    };
  if (elsewhere.liveCall) return { code: 'LIVE_CALL', reason: `${number.number} is on another call now` };
  return undefined;
}
