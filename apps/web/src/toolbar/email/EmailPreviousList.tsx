import { Accordion, Group, Text, Title } from '@mantine/core';
import type { EmailMessage } from '@parley/contract';
import { useId, useState } from 'react';
import { EmailMessageView, senderName } from './EmailMessageView';
import { formatEmailDate } from './emailDates';

export interface EmailPreviousListProps {
  /** The thread before the message answered, newest first. */
  messages: EmailMessage[];
}

/** "Previous emails": the thread below the message, each folded to its sender, date and subject. */
export function EmailPreviousList({ messages }: EmailPreviousListProps) {
  const headingId = useId();
  // A folded email's body is not drawn (a long thread would load a frame per email).
  const [opened, setOpened] = useState<string[]>([]);
  if (messages.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <Title id={headingId} order={3} size="h6" mb="xs">
        Previous emails
      </Title>
      <Accordion multiple value={opened} onChange={setOpened} variant="contained" chevronPosition="left">
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
              {opened.includes(message.id) && <EmailMessageView message={message} />}
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </section>
  );
}
