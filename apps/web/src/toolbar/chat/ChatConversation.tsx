import { Alert, Button, Skeleton, Stack, Text } from '@mantine/core';
import type { AgentInteraction, ChatAttachment } from '@parley/contract';
import { useEffect } from 'react';
import { api } from '../../api';
import { ChatComposer } from './ChatComposer';
import { ChatMessageList } from './ChatMessageList';
import { lastCustomerSeq } from './chatThreads';
import type { Chats } from './useChats';
import { usePageVisible } from './usePageVisible';

export interface ChatConversationProps {
  interaction: AgentInteraction;
  chats: Chats;
  /** The agent's display name: their messages, and `{agent.name}` in canned responses. */
  agentName: string;
}

/** Where the agent downloads a customer's file (served as an attachment, never shown inline). */
export const attachmentPath = (interactionId: string, attachment: ChatAttachment) =>
  `/api/interactions/${encodeURIComponent(interactionId)}/chat/attachments/${encodeURIComponent(attachment.id)}`;

/** One chat tab: the messages, whether the customer is typing, and the text box. */
export function ChatConversation({ interaction, chats, agentName }: ChatConversationProps) {
  const { id } = interaction;
  const thread = chats.threads[id];
  const view = thread?.view;
  const contactName = view?.contactName ?? interaction.label;
  const { markSeen } = chats;

  // Looking at the tab reads what the customer wrote, including what arrives while it is open
  // (and the toolbar's browser tab is the one shown: the customer is told it was read).
  const visible = usePageVisible();
  const unreadUpTo = thread ? lastCustomerSeq(thread) : 0;
  const seen = thread?.seenSeq ?? 0;
  useEffect(() => {
    if (visible && unreadUpTo > seen) markSeen(id);
  }, [id, visible, unreadUpTo, seen, markSeen]);

  if (!view && thread?.loadError) {
    return (
      <Alert role="alert" color="red" variant="light" title="The chat could not be loaded">
        <Text size="sm">{thread.loadError}</Text>
        <Button size="xs" variant="light" color="red" mt="xs" onClick={() => chats.reload(id)}>
          Try again
        </Button>
      </Alert>
    );
  }
  if (!view && (thread?.messages.length ?? 0) === 0) {
    return (
      <Stack gap="xs" role="status" aria-busy="true" aria-label="Loading the chat">
        <Skeleton h={14} w="60%" />
        <Skeleton h={14} w="45%" ml="auto" />
        <Skeleton h={14} w="55%" />
      </Stack>
    );
  }

  const ended = interaction.state !== 'busy' || view?.state === 'ended';
  return (
    <Stack gap="xs">
      <ChatMessageList
        messages={thread?.messages ?? []}
        outgoing={thread?.outgoing}
        contactName={contactName}
        agentName={agentName}
        customerReadSeq={thread?.customerReadSeq ?? 0}
        attachmentUrl={(attachment) => attachmentPath(id, attachment)}
        onRetry={(outgoing) => chats.retry(id, outgoing)}
      />
      <Text role="status" size="xs" c="dimmed" mih={18}>
        {thread?.customerTyping && !ended ? `${contactName} is typing…` : ''}
      </Text>
      <ChatComposer
        draft={chats.drafts.get(id) ?? ''}
        onDraftChange={(text) => chats.drafts.set(id, text)}
        onSend={(text) => chats.send(id, text)}
        onTyping={(typing) => {
          api.chatTyping(id, typing).catch(() => {
            // A lost typing notice only misleads the customer for a moment.
          });
        }}
        cannedResponses={view?.cannedResponses ?? []}
        context={{ agentName, contactName, survey: view?.survey ?? [] }}
        closedReason={ended ? 'The chat has ended' : undefined}
      />
    </Stack>
  );
}
