import { Skeleton } from '@mantine/core';
import type { ChatHistoryItem } from '@parley/contract';
import { api } from '../../api';
import { formatAttemptTime } from '../../leads/formatAttemptTime';
import { ChatMessageList } from '../chat/ChatMessageList';
import { InformationField as Field } from '../interactions/InformationField';
import { outcomeText } from './ChatHistoryItem';
import { HistoryDialog } from './HistoryDialog';
import { useHistoryDetail } from './useHistoryDetail';

export interface ChatHistoryTranscriptProps {
  /** The chat as listed, shown while its transcript loads. */
  chat: ChatHistoryItem;
  onClose: () => void;
  onSessionExpired: () => void;
}

const loadTranscript = (chatId: string) => api.chatTranscript(chatId);

/** A past chat, read-only: its details and outcome, the survey answers, and every message. */
export function ChatHistoryTranscript({ chat, onClose, onSessionExpired }: ChatHistoryTranscriptProps) {
  const { detail: transcript, error } = useHistoryDetail(chat.chatId, loadTranscript, onSessionExpired);
  const shown = transcript ?? chat;
  return (
    <HistoryDialog
      title={`Chat with ${shown.contactName}`}
      size="lg"
      onClose={onClose}
      fields={
        <>
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
        </>
      }
      body={
        transcript && (
          <ChatMessageList messages={transcript.messages} contactName={transcript.contactName} mah="55vh" />
        )
      }
      error={error}
      errorTitle="Could not load the transcript"
      loadingLabel="Loading the transcript"
      placeholder={
        <>
          <Skeleton h={14} w="60%" />
          <Skeleton h={14} w="45%" ml="auto" />
        </>
      }
    />
  );
}
