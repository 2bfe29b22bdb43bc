import { Alert, Box, Divider, Modal, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { ApiError } from '@parley/client';
import type { EmailHistoryItem, EmailThreadView } from '@parley/contract';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';
import { formatAttemptTime } from '../../leads/formatAttemptTime';
import { EmailMessageView } from '../email/EmailMessageView';
import { InformationField as Field } from '../interactions/InformationField';
import { contactText, messagesText } from './EmailHistoryItem';

export interface EmailHistoryThreadProps {
  /** The thread as listed, shown while its messages load. */
  thread: EmailHistoryItem;
  onClose: () => void;
  onSessionExpired: () => void;
}

/** A past email thread, read-only: its details, then every email oldest first with its Outcome. */
export function EmailHistoryThread({ thread, onClose, onSessionExpired }: EmailHistoryThreadProps) {
  const [view, setView] = useState<EmailThreadView | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const expired = useRef(onSessionExpired);
  expired.current = onSessionExpired;

  useEffect(() => {
    let current = true;
    api.emailThread(thread.threadId).then(
      (loaded) => {
        if (current) setView(loaded);
      },
      (failure: unknown) => {
        if (!current) return;
        if (failure instanceof ApiError && failure.status === 401) expired.current();
        else setError(describeError(failure));
      },
    );
    return () => {
      current = false;
    };
  }, [thread.threadId]);

  const shown = view ?? thread;
  return (
    <Modal
      opened
      onClose={onClose}
      title={shown.subject || '(no subject)'}
      size="xl"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack gap="sm">
        <Box
          component="dl"
          m={0}
          style={{
            display: 'grid',
            gridTemplateColumns: 'max-content minmax(0, 1fr)',
            columnGap: 12,
            rowGap: 4,
          }}
        >
          <Field label="Contact">{contactText(shown)}</Field>
          <Field label="Campaign">{shown.campaignName}</Field>
          <Field label="Agents">{shown.agentNames.join(', ')}</Field>
          <Field label="Started">{formatAttemptTime(shown.startedAt)}</Field>
          <Field label="Last email">{formatAttemptTime(shown.lastAt)}</Field>
          <Field label="Messages">{messagesText(shown.messageCount)}</Field>
          <Field label="Email thread ID">{shown.threadId}</Field>
        </Box>
        <Divider />
        {view ? (
          <Stack component="ol" aria-label="Emails" gap="sm" m={0} p={0} style={{ listStyle: 'none' }}>
            {view.messages.map((message) => (
              <Paper component="li" key={message.id} withBorder radius="sm" p="sm">
                <EmailMessageView
                  message={message}
                  extraFields={<Field label="Outcome">{message.outcome ?? 'No outcome'}</Field>}
                />
              </Paper>
            ))}
            {view.messages.length === 0 && <Text c="dimmed">This thread has no emails.</Text>}
          </Stack>
        ) : error ? (
          <Alert role="alert" variant="light" color="red" title="Could not load the thread">
            {error}
          </Alert>
        ) : (
          <Stack gap="xs" role="status" aria-busy="true" aria-label="Loading the thread">
            <Skeleton h={14} w="60%" />
            <Skeleton h={80} />
          </Stack>
        )}
      </Stack>
    </Modal>
  );
}
