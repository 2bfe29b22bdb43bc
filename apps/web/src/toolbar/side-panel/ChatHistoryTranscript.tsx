import { Alert, Box, Divider, Modal, Skeleton, Stack } from '@mantine/core';
import { ApiError } from '@parley/client';
import type { ChatHistoryItem, ChatTranscript } from '@parley/contract';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';
import { formatAttemptTime } from '../../leads/formatAttemptTime';
import { ChatMessageList } from '../chat/ChatMessageList';
import { InformationField as Field } from '../interactions/InformationField';
import { outcomeText } from './ChatHistoryItem';

export interface ChatHistoryTranscriptProps {
  /** The chat as listed, shown while its transcript loads. */
  chat: ChatHistoryItem;
  onClose: () => void;
  onSessionExpired: () => void;
}

/** A past chat, read-only: its details and outcome, the survey answers, and every message. */
export function ChatHistoryTranscript({ chat, onClose, onSessionExpired }: ChatHistoryTranscriptProps) {
  const [transcript, setTranscript] = useState<ChatTranscript | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const expired = useRef(onSessionExpired);
  expired.current = onSessionExpired;

  useEffect(() => {
    let current = true;
    api.chatTranscript(chat.chatId).then(
      (loaded) => {
        if (current) setTranscript(loaded);
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
  }, [chat.chatId]);

  const shown = transcript ?? chat;
  return (
    <Modal
      opened
      onClose={onClose}
      title={`Chat with ${shown.contactName}`}
      size="lg"
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
          <Field label="Campaign">{shown.campaignName}</Field>
          <Field label="Agents">{shown.agentNames.join(', ')}</Field>
          <Field label="Started">{formatAttemptTime(shown.startedAt)}</Field>
          <Field label="Ended">{shown.endedAt && formatAttemptTime(shown.endedAt)}</Field>
          <Field label="Outcome">{outcomeText(shown)}</Field>
          {transcript?.survey.map((answer) => (
            <Field key={answer.key} label={answer.label}>
              {answer.value}
            </Field>
          ))}
        </Box>
        <Divider />
        {transcript ? (
          <ChatMessageList messages={transcript.messages} contactName={transcript.contactName} mah="55vh" />
        ) : error ? (
          <Alert role="alert" variant="light" color="red" title="Could not load the transcript">
            {error}
          </Alert>
        ) : (
          <Stack gap="xs" role="status" aria-busy="true" aria-label="Loading the transcript">
            <Skeleton h={14} w="60%" />
            <Skeleton h={14} w="45%" ml="auto" />
          </Stack>
        )}
      </Stack>
    </Modal>
  );
}
