import { Alert } from '@mantine/core';
import type { AgentState } from '@parley/contract';
import IconPlayerPause from '@tabler/icons-react/icons/IconPlayerPause';
import { useState } from 'react';
import { isAutoPause, systemPauseDetail } from './statusDisplay';

export interface AutoPauseAlertProps {
  /** Undefined until the first realtime snapshot arrives. */
  agent: AgentState | undefined;
}

/** Says plainly that the system paused the agent (C2); dismissed, it stays away until the next Auto Pause. */
export function AutoPauseAlert({ agent }: AutoPauseAlertProps) {
  const [dismissedSince, setDismissedSince] = useState<string | undefined>(undefined);
  if (!agent || !isAutoPause(agent.status) || dismissedSince === agent.since) return null;

  const detail = systemPauseDetail(agent.status);
  const since = agent.since;
  return (
    <Alert
      variant="light"
      color="red"
      mb="md"
      icon={<IconPlayerPause size={18} />}
      title="Auto Pause"
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={() => setDismissedSince(since)}
    >
      {detail ? `${detail.replace(/\.$/, '')}. ` : ''}You cannot receive calls until you change your status to
      Available.
    </Alert>
  );
}
