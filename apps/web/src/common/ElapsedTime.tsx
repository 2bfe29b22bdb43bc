import { Text, type TextProps, VisuallyHidden } from '@mantine/core';
import { formatDuration } from './formatDuration';
import { useNow } from './useNow';

export interface ElapsedTimeProps extends TextProps {
  /** ISO timestamp the timer counts from. */
  since: string;
  /** Read before the time by screen readers only, e.g. "Time in status". */
  description?: string;
  id?: string;
}

/** A live "mm:ss" (or "hh:mm:ss") since a moment, ticking each second. */
export function ElapsedTime({ since, description, ...others }: ElapsedTimeProps) {
  const now = useNow(1000);
  const start = Date.parse(since);
  const elapsed = Number.isNaN(start) ? 0 : now - start;
  return (
    <Text component="span" ff="monospace" {...others}>
      {description && <VisuallyHidden>{`${description} `}</VisuallyHidden>}
      {formatDuration(elapsed)}
    </Text>
  );
}
