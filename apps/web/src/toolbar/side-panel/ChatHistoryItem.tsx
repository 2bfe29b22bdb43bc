import { Group, Text, UnstyledButton } from '@mantine/core';
import type { ChatHistoryItem as PastChat } from '@parley/contract';
import { useId } from 'react';
import { formatAttemptTime } from '../../leads/formatAttemptTime';

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
  const nameId = useId();
  const outcomeId = useId();
  const detailsId = useId();
  const startedId = useId();
  // Named for the contact alone, the rest its description: "Web Chat" in a name would answer to "Chat".
  return (
    <li>
      <UnstyledButton
        onClick={onOpen}
        aria-haspopup="dialog"
        aria-labelledby={nameId}
        aria-describedby={`${outcomeId} ${detailsId} ${startedId}`}
        w="100%"
        px={6}
        py={4}
        style={{ borderRadius: 'var(--mantine-radius-sm)' }}
      >
        <Group justify="space-between" wrap="nowrap" gap={6}>
          <Text id={nameId} size="sm" fw={600} truncate="end">
            {chat.contactName}
          </Text>
          <Text id={outcomeId} size="xs" c="dimmed" truncate="end" style={{ flexShrink: 0, maxWidth: '45%' }}>
            {outcomeText(chat)}
          </Text>
        </Group>
        <Text id={detailsId} size="xs" c="dimmed" truncate="end">
          {chat.campaignName}
          {chat.agentNames.length > 0 && ` · ${chat.agentNames.join(', ')}`}
        </Text>
        <Text id={startedId} size="xs" c="dimmed">
          {formatAttemptTime(chat.startedAt)}
        </Text>
      </UnstyledButton>
    </li>
  );
}
