import { Box, Stack, Text } from '@mantine/core';
import type { ChatAttachment, ChatMessage } from '@parley/contract';
import { useLayoutEffect, useRef } from 'react';
import { ChatMessageItem } from './ChatMessageItem';
import type { OutgoingMessage } from './chatThreads';
import { NotSent } from './NotSent';

export interface ChatMessageListProps {
  messages: readonly ChatMessage[];
  /** The contact's name, over their messages. */
  contactName: string;
  /** The agent's messages not confirmed yet, after the others, under the agent's name. */
  outgoing?: readonly OutgoingMessage[];
  agentName?: string;
  /** The customer has read up to here: the agent's messages say "Read" or "Sent". Without it, neither. */
  customerReadSeq?: number;
  attachmentUrl?: (attachment: ChatAttachment) => string | undefined;
  onRetry?: (outgoing: OutgoingMessage) => void;
  /** The tallest the list grows before it scrolls. */
  mah?: number | string;
}

/** How close to the bottom counts as following the conversation (new messages scroll into view). */
const FOLLOW_PX = 48;

/** A chat's messages in order, the newest at the bottom and kept in view while the agent follows along. */
export function ChatMessageList({
  messages,
  contactName,
  outgoing = [],
  agentName = 'You',
  customerReadSeq,
  attachmentUrl,
  onRetry,
  mah = 420,
}: ChatMessageListProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const count = messages.length + outgoing.length;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new message is what scrolls
  useLayoutEffect(() => {
    const box = viewport.current;
    if (box && following.current) box.scrollTop = box.scrollHeight;
  }, [count]);

  function handleScroll() {
    const box = viewport.current;
    if (box) following.current = box.scrollHeight - box.scrollTop - box.clientHeight < FOLLOW_PX;
  }

  return (
    <Box
      ref={viewport}
      role="log"
      aria-label="Messages"
      tabIndex={0}
      mah={mah}
      onScroll={handleScroll}
      style={{ overflowY: 'auto' }}
    >
      {count === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="md">
          No messages yet.
        </Text>
      ) : (
        <Stack component="ol" gap={6} m={0} p={4} style={{ listStyle: 'none' }}>
          {messages.map((message) => (
            <ChatMessageItem
              key={message.seq}
              from={message.from}
              name={message.from === 'customer' ? contactName : (message.name ?? 'Agent')}
              text={message.text}
              at={message.at}
              attachment={message.attachment}
              attachmentUrl={message.attachment ? attachmentUrl?.(message.attachment) : undefined}
              delivery={
                message.from === 'agent' && customerReadSeq !== undefined
                  ? message.seq <= customerReadSeq
                    ? 'Read'
                    : 'Sent'
                  : undefined
              }
            />
          ))}
          {outgoing.map((o) => (
            <ChatMessageItem
              key={o.clientId}
              from="agent"
              name={agentName}
              text={o.text}
              at={o.at}
              delivery={
                o.state === 'failed' ? <NotSent error={o.error} onRetry={() => onRetry?.(o)} /> : 'Sending…'
              }
            />
          ))}
        </Stack>
      )}
    </Box>
  );
}
