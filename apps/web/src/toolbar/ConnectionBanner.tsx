import { Alert } from '@mantine/core';
import type { ConnectionStatus } from '@parley/client';
import IconPlugConnectedX from '@tabler/icons-react/icons/IconPlugConnectedX';
import { useAfterDelay } from './useAfterDelay';

/** A first connection gets this long before the banner shows, so a normal start shows nothing. */
const INITIAL_GRACE_MS = 1000;

export interface ConnectionBannerProps {
  status: ConnectionStatus;
  hasBeenOpen: boolean;
}

/** Tells the agent when the realtime channel is down: what they see may be out of date. */
export function ConnectionBanner({ status, hasBeenOpen }: ConnectionBannerProps) {
  const graceOver = useAfterDelay(INITIAL_GRACE_MS);
  const lost = status === 'down' || status === 'connecting';
  if (!lost || !(hasBeenOpen || graceOver)) return null;

  return (
    <Alert
      role="status"
      variant="light"
      color="orange"
      mb="md"
      icon={<IconPlugConnectedX size={18} />}
      title="Realtime connection lost"
    >
      Parley is reconnecting… What you see may be out of date until the connection is back.
    </Alert>
  );
}
