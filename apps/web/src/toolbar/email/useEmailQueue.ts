import type { RealtimeListener } from '@parley/client';
import type { QueueSummary } from '@parley/contract';
import { useCallback, useEffect, useState } from 'react';

export interface EmailFailure {
  interactionId: string;
  messageId: string;
  subject: string;
  error: string;
}

export interface EmailQueueState {
  /** How many emails wait in the agent's queues; undefined before the first snapshot. */
  waiting: number | undefined;
  /** Sent emails refused for good or bounced, newest first, until the agent dismisses them. */
  failures: EmailFailure[];
  dismissFailure: (messageId: string) => void;
}

/** What waits in the email campaigns the agent serves, as the pushed queues say. */
export const waitingEmails = (queues: QueueSummary[] | undefined) =>
  queues
    ?.filter((queue) => queue.campaignKind === 'email')
    .reduce((total, queue) => total + queue.waiting, 0);

/**
 * The Email Queue icon's count, from the queues the toolbar is pushed (`queues.changed`), and
 * the notices of sent emails that failed (`email.failed`).
 */
export function useEmailQueue(
  queues: QueueSummary[] | undefined,
  subscribe: (listener: RealtimeListener) => () => void,
): EmailQueueState {
  const [failures, setFailures] = useState<EmailFailure[]>([]);

  useEffect(
    () =>
      subscribe({
        state: (_state, cause) => {
          if (cause === 'snapshot' || cause.name !== 'email.failed') return;
          const failure = cause.data;
          setFailures((all) => [failure, ...all.filter((f) => f.messageId !== failure.messageId)]);
        },
      }),
    [subscribe],
  );

  const dismissFailure = useCallback(
    (messageId: string) => setFailures((all) => all.filter((f) => f.messageId !== messageId)),
    [],
  );

  return { waiting: waitingEmails(queues), failures, dismissFailure };
}
