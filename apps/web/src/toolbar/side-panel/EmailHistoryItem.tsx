import { Group, Text, UnstyledButton } from '@mantine/core';
import type { EmailHistoryItem as PastThread } from '@parley/contract';
import { formatAttemptTime } from '../../leads/formatAttemptTime';

export interface EmailHistoryItemProps {
  thread: PastThread;
  onOpen: () => void;
}

/** The contact as listed: their name, else their address. */
export const contactText = (thread: Pick<PastThread, 'contact'>) =>
  thread.contact.name || thread.contact.address;

export const messagesText = (count: number) => (count === 1 ? '1 message' : `${count} messages`);

/** One email thread: subject, contact, campaign and agents, the last email's day, messages and Outcome. */
export function EmailHistoryItem({ thread, onOpen }: EmailHistoryItemProps) {
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
            {thread.subject || '(no subject)'}
          </Text>
          <Text size="xs" c="dimmed" truncate="end" style={{ flexShrink: 0, maxWidth: '45%' }}>
            {thread.outcome ?? 'No outcome'}
          </Text>
        </Group>
        <Text size="xs" truncate="end">
          {contactText(thread)}
        </Text>
        <Text size="xs" c="dimmed" truncate="end">
          {thread.campaignName}
          {thread.agentNames.length > 0 && ` · ${thread.agentNames.join(', ')}`}
        </Text>
        <Text size="xs" c="dimmed">
          {formatAttemptTime(thread.lastAt)} · {messagesText(thread.messageCount)}
        </Text>
      </UnstyledButton>
    </li>
  );
}
