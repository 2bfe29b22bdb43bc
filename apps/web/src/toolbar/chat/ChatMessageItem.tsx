import { Anchor, Box, Group, Paper, Text } from '@mantine/core';
import type { ChatAttachment, ChatSender } from '@parley/contract';
import IconPaperclip from '@tabler/icons-react/icons/IconPaperclip';
import type { ReactNode } from 'react';
import { MessageText } from './MessageText';

export interface ChatMessageItemProps {
  from: ChatSender;
  /** Who wrote it, as shown above it. */
  name: string;
  text: string;
  at: string;
  attachment?: ChatAttachment | null;
  /** Where the agent downloads the attachment; without it, only its name shows. */
  attachmentUrl?: string | undefined;
  /** The agent's own message: "Sending…", "Sent", "Read", or "Not sent". */
  delivery?: ReactNode;
}

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * One message of a chat: the customer's on the left, the agent's on the right, the system's
 * across the middle. The text is only ever text (React escapes it), links apart.
 */
export function ChatMessageItem({
  from,
  name,
  text,
  at,
  attachment,
  attachmentUrl,
  delivery,
}: ChatMessageItemProps) {
  if (from === 'system') {
    return (
      <Box component="li" ta="center" py={2}>
        <Text size="sm" c="dimmed" fs="italic" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          <MessageText text={text} />
        </Text>
      </Box>
    );
  }
  const mine = from === 'agent';
  return (
    <Box component="li" style={{ display: 'flex', justifyContent: mine ? 'flex-end' : 'flex-start' }}>
      <Paper
        px="sm"
        py={6}
        radius="md"
        maw="85%"
        bg={mine ? 'var(--mantine-primary-color-light)' : 'gray.1'}
        data-from={from}
      >
        <Group gap={8} justify="space-between" wrap="nowrap">
          <Text size="xs" fw={600} truncate="end">
            {name}
          </Text>
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
            {time(at)}
          </Text>
        </Group>
        {text && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            <MessageText text={text} />
          </Text>
        )}
        {attachment && (
          <Group gap={4} wrap="nowrap" mt={4}>
            <IconPaperclip size={14} aria-hidden />
            {attachmentUrl ? (
              <Anchor href={attachmentUrl} size="sm" download={attachment.name} rel="noopener noreferrer">
                {attachment.name}
              </Anchor>
            ) : (
              <Text size="sm">{attachment.name}</Text>
            )}
            <Text size="xs" c="dimmed">
              ({formatSize(attachment.size)})
            </Text>
          </Group>
        )}
        {delivery && (
          <Text size="xs" c="dimmed" ta="right" mt={2} component="div">
            {delivery}
          </Text>
        )}
      </Paper>
    </Box>
  );
}
