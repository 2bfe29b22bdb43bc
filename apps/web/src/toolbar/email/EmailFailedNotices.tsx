import { Alert, Stack } from '@mantine/core';
import type { EmailFailure } from './useEmailQueue';

export interface EmailFailedNoticesProps {
  failures: EmailFailure[];
  onDismiss: (messageId: string) => void;
}

/** An email the agent sent that was refused for good or bounced: which one, and why. */
export function EmailFailedNotices({ failures, onDismiss }: EmailFailedNoticesProps) {
  if (failures.length === 0) return null;
  return (
    <Stack gap="xs" mb="md">
      {failures.map((failure) => (
        <Alert
          key={failure.messageId}
          role="alert"
          variant="light"
          color="red"
          title={`Email not delivered: ${failure.subject || '(no subject)'}`}
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => onDismiss(failure.messageId)}
        >
          {failure.error}
        </Alert>
      ))}
    </Stack>
  );
}
