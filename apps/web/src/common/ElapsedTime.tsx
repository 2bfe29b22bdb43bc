import { Text, type TextProps, VisuallyHidden } from '@mantine/core';
import { formatClock, formatDuration } from './formatDuration';
import { useNow } from './useNow';

export interface ElapsedTimeProps extends TextProps {
  /** ISO timestamp the timer counts from. */
  since: string;
  /** ISO timestamp the timer stopped at; without it the timer runs. */
  until?: string | null;
  /** Always "hh:mm:ss", even under an hour. */
  clock?: boolean;
  /** Read before the time by screen readers only, e.g. "Time in status". */
  description?: string;
  id?: string;
}

/** A live "mm:ss" (or "hh:mm:ss") since a moment, ticking each second; or the time between two moments. */
export function ElapsedTime({ since, until, clock = false, description, ...others }: ElapsedTimeProps) {
  const now = useNow(1000);
  const start = Date.parse(since);
  const end = until ? Date.parse(until) : now;
  const elapsed = Number.isNaN(start) || Number.isNaN(end) ? 0 : end - start;
  return (
    <Text component="span" ff="monospace" {...others}>
      {description && <VisuallyHidden>{`${description} `}</VisuallyHidden>}
      {clock ? formatClock(elapsed) : formatDuration(elapsed)}
    </Text>
  );
}
