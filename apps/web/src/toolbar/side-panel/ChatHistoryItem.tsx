import { Group, Text, UnstyledButton } from '@mantine/core';
import type { ChatHistoryItem as PastChat } from '@parley/contract';
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
  return (
    <li>
      <UnstyledButton
        onClick={onOpen}
        aria-haspopup="dialog"
        w="100%"
        px={6}
        py={4}
        style={{ borderRadius: 'var(--mantine-radius-sm)' }}
      >
        <Group justify="space-between" wrap="nowrap" gap={6}>
          <Text size="sm" fw={600} truncate="end">
            {chat.contactName}
          </Text>
          <Text size="xs" c="dimmed" truncate="end" style={{ flexShrink: 0, maxWidth: '45%' }}>
            {outcomeText(chat)}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" truncate="end">
          {chat.campaignName}
          {chat.agentNames.length > 0 && ` · ${chat.agentNames.join(', ')}`}
        </Text>
        <Text size="xs" c="dimmed">
          {formatAttemptTime(chat.startedAt)}
        </Text>
      </UnstyledButton>
    </li>
  );
}
