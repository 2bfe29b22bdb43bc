import { Alert } from '@mantine/core';
import { EmailFailedNotices } from './EmailFailedNotices';
import type { EmailToolbar } from './useEmailToolbar';

export interface EmailNoticesProps {
  email: EmailToolbar;
}

/** Above the interactions: why the Email Queue opened nothing, and sent emails that failed. */
export function EmailNotices({ email }: EmailNoticesProps) {
  return (
    <>
      {email.queueError && (
        <Alert
          role="alert"
          variant="light"
          color="yellow"
          mb="md"
          title="Email Queue"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={email.dismissQueueError}
        >
          {email.queueError}
        </Alert>
      )}
      <EmailFailedNotices failures={email.queue.failures} onDismiss={email.queue.dismissFailure} />
    </>
  );
}
