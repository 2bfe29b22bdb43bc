import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api';
import type { WrapCode } from '../interactions/InteractionActions';
import { OUTCOME_REQUIRED_MESSAGE } from '../interactions/InteractionActions';
import { useApiAction } from '../useApiAction';

export interface DiscardEmailDialogProps {
  opened: boolean;
  interactionId: string;
  wrapCodes: WrapCode[] | undefined;
  /** The Outcome chosen in the information panel, offered first. */
  outcome: string | null;
  onClose: () => void;
  onSessionExpired: () => void;
}

/** The Delete icon's question: the draft is dropped and the interaction wrapped with an Outcome. */
export function DiscardEmailDialog({
  opened,
  interactionId,
  wrapCodes,
  outcome,
  onClose,
  onSessionExpired,
}: DiscardEmailDialogProps) {
  const [chosen, setChosen] = useState<string | null>(outcome);
  const { pending, error, run } = useApiAction(onSessionExpired);
  const codes = wrapCodes ?? [];
  const missing = codes.length > 0 && !chosen;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Discard this email?"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack gap="sm">
        <Text size="sm">The draft is deleted and not sent. The interaction is wrapped with the Outcome.</Text>
        {codes.length > 0 && (
          <Select
            label="Outcome"
            placeholder="Choose an outcome"
            data={codes.map((code) => ({ value: code.id, label: code.name }))}
            value={chosen}
            onChange={setChosen}
            allowDeselect={false}
          />
        )}
        {missing && (
          <Text size="sm" c="dimmed">
            {OUTCOME_REQUIRED_MESSAGE}
          </Text>
        )}
        {error && (
          <Alert role="alert" variant="light" color="red" py="xs">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={pending}
            disabled={missing}
            onClick={() =>
              void run(async () => {
                await api.discardEmail(interactionId, chosen ? { wrapCodeId: chosen } : {});
                onClose();
              })
            }
          >
            Discard and Wrap Email
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
