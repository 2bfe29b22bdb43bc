import { Alert } from '@mantine/core';
import type { AgentStatus } from '@parley/contract';

/** The guide's rule for placing a call (section 4, step 1), in its words. */
export const PAUSE_RULE = 'Change your status to a pause state to make a call';

/** Calls are placed from a pause state only: Available, the agent is waiting for the next contact. */
export function mayPlaceCall(status: AgentStatus | undefined): boolean {
  return status?.kind === 'paused';
}

/** Why the dialog's call buttons wait: shown until the agent pauses. */
export function PauseRuleNotice() {
  return (
    <Alert role="note" variant="light" color="yellow" py="xs">
      {PAUSE_RULE}
    </Alert>
  );
}
