import type { BusinessHours } from '@parley/contract';

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Weekday (1 = Monday) and "HH:MM" of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { day: number; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAY[get('weekday')] ?? 0, time: `${get('hour')}:${get('minute')}` };
}

/** Whether `at` falls in one of the weekly windows, read in the hours' time zone. */
export function isOpen(hours: BusinessHours, at: Date): boolean {
  const { day, time } = localTime(at, hours.timeZone);
  return hours.windows.some((w) => w.days.includes(day) && time >= w.from && time < w.to);
}
