import { Alert } from '@mantine/core';
import IconAlertTriangle from '@tabler/icons-react/icons/IconAlertTriangle';

export interface StatusErrorAlertProps {
  error: string | undefined;
  onDismiss: () => void;
}

/** Why the status the agent asked for was refused; the status itself stays as the server says. */
export function StatusErrorAlert({ error, onDismiss }: StatusErrorAlertProps) {
  if (!error) return null;
  return (
    <Alert
      variant="light"
      color="red"
      mb="md"
      icon={<IconAlertTriangle size={18} />}
      title="Status not changed"
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onDismiss}
    >
      {error}
    </Alert>
  );
}
