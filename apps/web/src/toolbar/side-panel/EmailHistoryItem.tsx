import { Text } from '@mantine/core';
import type { EmailHistoryItem as PastThread } from '@parley/contract';
import { formatAttemptTime } from '../../leads/formatAttemptTime';
import { HistoryListItem } from './HistoryListItem';

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
    <HistoryListItem
      title={thread.subject || '(no subject)'}
      outcome={thread.outcome ?? 'No outcome'}
      onOpen={onOpen}
    >
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
    </HistoryListItem>
  );
}
