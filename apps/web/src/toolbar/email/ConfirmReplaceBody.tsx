import { Button, Group, Modal, Text } from '@mantine/core';

export interface ConfirmReplaceBodyProps {
  /** What would replace the body ("the template", "the reply to all"); closed when undefined. */
  what: string | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asked before what the agent has written is replaced. */
export function ConfirmReplaceBody({ what, onConfirm, onCancel }: ConfirmReplaceBodyProps) {
  return (
    <Modal
      opened={what !== undefined}
      onClose={onCancel}
      title="Replace what you have written?"
      size="sm"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Text size="sm">You have changed the email's body. It will be replaced with {what}.</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={onCancel}>
          Keep my text
        </Button>
        <Button color="red" onClick={onConfirm}>
          Replace
        </Button>
      </Group>
    </Modal>
  );
}
