import { Text } from '@mantine/core';
import { useNow } from '../../common/useNow';

export interface OfferCountdownProps {
  /** ISO timestamp when the offer times out into Auto Pause. */
  expiresAt: string;
}

/** The seconds left to accept an offer before the Agent Ring Timeout. */
export function OfferCountdown({ expiresAt }: OfferCountdownProps) {
  const now = useNow(500);
  const expires = Date.parse(expiresAt);
  if (Number.isNaN(expires)) return null;
  const seconds = Math.max(0, Math.ceil((expires - now) / 1000));
  return (
    <Text size="sm" c={seconds <= 5 ? 'red.7' : 'dimmed'} ff="monospace">
      {seconds} s left
    </Text>
  );
}
