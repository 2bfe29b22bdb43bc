import { Text } from '@mantine/core';
import type { ChatHistoryItem as PastChat } from '@parley/contract';
import { formatAttemptTime } from '../../leads/formatAttemptTime';
import { HistoryListItem } from './HistoryListItem';

export interface ChatHistoryItemProps {
  chat: PastChat;
  onOpen: () => void;
}

/** What a past chat ended with: its Outcome, or why it has none. */
export function outcomeText(chat: Pick<PastChat, 'outcome' | 'state'>): string {
  if (chat.outcome) return chat.outcome;
  return chat.state === 'ended' ? 'No outcome' : 'Not ended';
}

/** One past chat: the contact, the campaign and agents, when it started and its outcome; opens its transcript. */
export function ChatHistoryItem({ chat, onOpen }: ChatHistoryItemProps) {
  return (
    <HistoryListItem title={chat.contactName} outcome={outcomeText(chat)} onOpen={onOpen}>
      <Text size="xs" c="dimmed" truncate="end">
        {chat.campaignName}
        {chat.agentNames.length > 0 && ` · ${chat.agentNames.join(', ')}`}
      </Text>
      <Text size="xs" c="dimmed">
        {formatAttemptTime(chat.startedAt)}
      </Text>
    </HistoryListItem>
  );
}
