import { CloseButton, Group, Paper, Stack, Tabs, Text, Title, VisuallyHidden } from '@mantine/core';
import type { WaitingChat } from '@parley/contract';
import { useEffect, useId } from 'react';
import { ChatConversation } from './ChatConversation';
import { ChatTab } from './ChatTab';
import { isUnread } from './chatThreads';
import type { Chats } from './useChats';
import { WaitingChatList } from './WaitingChatList';

export interface ChatPanelProps {
  chats: Chats;
  agentName: string;
  /** The interaction the toolbar shows now (its card, its information). */
  selectedId: string | undefined;
  /** Shows an interaction: choosing a chat's tab shows its information too. */
  onSelect: (interactionId: string) => void;
  /** The tab shown last, for when the toolbar shows an interaction that is not a chat. */
  lastTab: string | undefined;
  onTabShown: (interactionId: string) => void;
  /** A chat to show as soon as it is the agent's (just taken, just accepted). */
  wanted: string | undefined;
  onWantedShown: () => void;
  onTake: (chat: WaitingChat) => Promise<void>;
  onClose: () => void;
}

/**
 * The guide's Chat Panel: the chats waiting in the agent's campaigns, and a tab with the contact's
 * name for each chat the agent has, the chosen one's conversation below.
 */
export function ChatPanel({
  chats,
  agentName,
  selectedId,
  onSelect,
  lastTab,
  onTabShown,
  wanted,
  onWantedShown,
  onTake,
  onClose,
}: ChatPanelProps) {
  const headingId = useId();
  const unreadId = useId();
  const endedId = useId();
  const ids = chats.active.map((i) => i.id);
  // A chat just taken or accepted first, then the one the toolbar shows, then the last shown.
  const tab = [wanted, selectedId, lastTab].find((id) => id !== undefined && ids.includes(id)) ?? ids[0];
  const shown = chats.active.find((i) => i.id === tab);

  useEffect(() => {
    if (wanted && ids.includes(wanted)) {
      onSelect(wanted);
      onWantedShown();
    }
  });
  useEffect(() => {
    if (tab) onTabShown(tab);
  }, [tab, onTabShown]);

  return (
    <Paper component="section" aria-labelledby={headingId} withBorder radius="md" p="md">
      <Group justify="space-between" wrap="nowrap" mb="sm">
        <Title id={headingId} order={2} size="h5">
          Chat Panel
        </Title>
        <CloseButton aria-label="Close Chat Panel" onClick={onClose} />
      </Group>
      <Stack gap="md">
        <WaitingChatList chats={chats.waiting} loadError={chats.waitingError} onTake={onTake} />
        {shown && tab ? (
          <Tabs value={tab} onChange={(value) => value && onSelect(value)}>
            <Tabs.List aria-label="Active chats">
              {chats.active.map((interaction) => {
                const thread = chats.threads[interaction.id];
                const unread = thread !== undefined && isUnread(thread) && interaction.id !== tab;
                const ended = interaction.state !== 'busy';
                return (
                  <ChatTab
                    key={interaction.id}
                    interactionId={interaction.id}
                    contactName={thread?.view?.contactName ?? interaction.label}
                    unread={unread}
                    ended={ended}
                    describedBy={unread ? unreadId : ended ? endedId : undefined}
                  />
                );
              })}
            </Tabs.List>
            {/* A panel for each tab (each tab names its own), with only the shown one's conversation. */}
            {chats.active.map((interaction) => (
              <Tabs.Panel key={interaction.id} value={interaction.id} pt="sm">
                {interaction.id === shown.id && (
                  <ChatConversation interaction={shown} chats={chats} agentName={agentName} />
                )}
              </Tabs.Panel>
            ))}
          </Tabs>
        ) : (
          <Text size="sm" c="dimmed">
            You have no active chats. Start one of the waiting chats, or accept a chat when one is offered.
          </Text>
        )}
      </Stack>
      <VisuallyHidden id={unreadId}>New messages</VisuallyHidden>
      <VisuallyHidden id={endedId}>Ended</VisuallyHidden>
    </Paper>
  );
}
