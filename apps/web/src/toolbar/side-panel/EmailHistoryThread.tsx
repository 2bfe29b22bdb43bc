import { Paper, Skeleton, Stack, Text } from '@mantine/core';
import type { EmailHistoryItem } from '@parley/contract';
import { api } from '../../api';
import { formatAttemptTime } from '../../leads/formatAttemptTime';
import { EmailMessageView } from '../email/EmailMessageView';
import { InformationField as Field } from '../interactions/InformationField';
import { contactText, messagesText } from './EmailHistoryItem';
import { HistoryDialog } from './HistoryDialog';
import { useHistoryDetail } from './useHistoryDetail';

export interface EmailHistoryThreadProps {
  /** The thread as listed, shown while its messages load. */
  thread: EmailHistoryItem;
  onClose: () => void;
  onSessionExpired: () => void;
}

const loadThread = (threadId: string) => api.emailThread(threadId);

/** A past email thread, read-only: its details, then every email oldest first with its Outcome. */
export function EmailHistoryThread({ thread, onClose, onSessionExpired }: EmailHistoryThreadProps) {
  const { detail: view, error } = useHistoryDetail(thread.threadId, loadThread, onSessionExpired);
  const shown = view ?? thread;
  return (
    <HistoryDialog
      title={shown.subject || '(no subject)'}
      size="xl"
      onClose={onClose}
      fields={
        <>
          <Field label="Contact">{contactText(shown)}</Field>
          <Field label="Campaign">{shown.campaignName}</Field>
          <Field label="Agents">{shown.agentNames.join(', ')}</Field>
          <Field label="Started">{formatAttemptTime(shown.startedAt)}</Field>
          <Field label="Last email">{formatAttemptTime(shown.lastAt)}</Field>
          <Field label="Messages">{messagesText(shown.messageCount)}</Field>
          <Field label="Email thread ID">{shown.threadId}</Field>
        </>
      }
      body={
        view && (
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
        )
      }
      error={error}
      errorTitle="Could not load the thread"
      loadingLabel="Loading the thread"
      placeholder={
        <>
          <Skeleton h={14} w="60%" />
          <Skeleton h={80} />
        </>
      }
    />
  );
}
