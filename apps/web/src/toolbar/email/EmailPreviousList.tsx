import { Accordion, Group, Text, Title } from '@mantine/core';
import type { EmailMessage } from '@parley/contract';
import { useId } from 'react';
import { EmailMessageView, senderName } from './EmailMessageView';
import { formatEmailDate } from './emailDates';

export interface EmailPreviousListProps {
  /** The thread before the message answered, newest first. */
  messages: EmailMessage[];
}

/** "Previous emails": the thread below the message, each folded to its sender, date and subject. */
export function EmailPreviousList({ messages }: EmailPreviousListProps) {
  const headingId = useId();
  if (messages.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <Title id={headingId} order={3} size="h6" mb="xs">
        Previous emails
      </Title>
      <Accordion multiple variant="contained" chevronPosition="left">
        {messages.map((message) => (
          <Accordion.Item key={message.id} value={message.id}>
            <Accordion.Control>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Text size="sm" fw={600} truncate="end">
                  {senderName(message)}: {message.subject || '(no subject)'}
                </Text>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {formatEmailDate(message.at)}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <EmailMessageView message={message} />
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </section>
  );
}
