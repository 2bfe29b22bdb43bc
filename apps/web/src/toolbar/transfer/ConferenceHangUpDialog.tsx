import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { api } from '../../api';
import { useApiAction } from '../useApiAction';

export interface ConferenceHangUpDialogProps {
  callId: string;
  onClose: () => void;
  onSessionExpired: () => void;
}

/**
 * Hanging up a conference (guide section 8, step 7): the agent says whether they leave (the
 * others keep talking, the agent wraps up) or end the call for every party.
 */
export function ConferenceHangUpDialog({ callId, onClose, onSessionExpired }: ConferenceHangUpDialogProps) {
  const { pending, error, run } = useApiAction(onSessionExpired);

  function handleChoice(request: () => Promise<unknown>) {
    void run(async () => {
      await request();
      onClose();
    });
  }

  return (
    <Modal
      opened
      onClose={onClose}
      title="Hang up call"
      // Wide enough for its three choices on one row.
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close' }}
      styles={{ title: { fontWeight: 700 } }}
    >
      <Stack gap="md">
        <Text size="sm">
          Leave the conference and the others keep talking, or end the call for all parties.
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
            Leave the conference
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
    </Modal>
  );
}
