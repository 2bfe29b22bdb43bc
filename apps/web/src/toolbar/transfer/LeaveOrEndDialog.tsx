import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { AgentInteraction, ConsultLine } from '@parley/contract';
import { api } from '../../api';
import { CallDialog } from '../CallDialog';
import { useApiAction } from '../useApiAction';

/**
 * Whether hanging up this call asks first: it does with a second line connected (a consult or a
 * conference), where the agent may leave the others talking. A second line still connecting is
 * not one to leave to (the server refuses): Hang Up ends the call, as without one.
 */
export function hangUpAsksLeaveOrEnd(call: AgentInteraction): boolean {
  return call.kind === 'voice' && call.state === 'busy' && call.consult?.state === 'connected';
}

export interface LeaveOrEndDialogProps {
  callId: string;
  consult: ConsultLine;
  onClose: () => void;
  onSessionExpired: () => void;
}

/**
 * Hanging up with a second line (guide section 8, step 7): the agent says whether they leave (the
 * others keep talking, the agent wraps up) or end the call for every party. Leaving a consult
 * hands the customer to the consulted party: an attended transfer.
 */
export function LeaveOrEndDialog({ callId, consult, onClose, onSessionExpired }: LeaveOrEndDialogProps) {
  const { pending, error, run } = useApiAction(onSessionExpired);
  const conference = consult.active === 'conference';

  function handleChoice(request: () => Promise<unknown>) {
    void run(async () => {
      await request();
      onClose();
    });
  }

  return (
    <CallDialog
      onClose={onClose}
      title="Hang up call"
      // Wide enough for its three choices on one row.
      size="lg"
    >
      <Stack gap="md">
        <Text size="sm">
          {conference
            ? 'Leave the conference and the others keep talking, or end the call for all parties.'
            : `Leave the call and ${consult.label} keeps the customer, or end the call for all parties.`}
        </Text>
        {error && (
          <Alert role="alert" variant="light" color="red" py="xs">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant="light"
            disabled={pending}
            onClick={() => handleChoice(() => api.leaveConference(callId))}
            data-autofocus
          >
            {conference ? 'Leave the conference' : 'Leave the call'}
          </Button>
          <Button
            color="red"
            disabled={pending}
            onClick={() => handleChoice(() => api.endInteraction(callId))}
          >
            End call for all
          </Button>
        </Group>
      </Stack>
    </CallDialog>
  );
}
