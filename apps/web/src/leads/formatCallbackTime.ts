import { formatAttemptTime } from './formatAttemptTime';

/** A callback's date and time, "dd/mm/yyyy hh:mm" in the agent's own time zone (as it was picked). */
export function formatCallbackTime(iso: string): string {
  const full = formatAttemptTime(iso);
  return full === iso ? iso : full.slice(0, 16);
}
