import { Alert, Badge, Button, Group, Paper, ScrollArea, Stack, Text, Title } from '@mantine/core';
import type { WaitingChat } from '@parley/contract';
import { useId, useState } from 'react';
import { ElapsedTime } from '../../common/ElapsedTime';

export interface WaitingChatListProps {
  /** Undefined while loading. */
  chats: WaitingChat[] | undefined;
  loadError: string | undefined;
  /** Takes the chat; rejects with what to tell the agent. */
  onTake: (chat: WaitingChat) => Promise<void>;
}

/** "Waiting chats": the chats queued in the agent's campaigns, oldest first, each to start at once. */
export function WaitingChatList({ chats, loadError, onTake }: WaitingChatListProps) {
  const headingId = useId();
  const [taking, setTaking] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const sorted = [...(chats ?? [])].sort((a, b) => a.waitingSince.localeCompare(b.waitingSince));

  async function handleTake(chat: WaitingChat) {
    setTaking(chat.interactionId);
    setError(undefined);
    try {
      await onTake(chat);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setTaking(undefined);
    }
  }

  return (
    <Stack component="section" aria-labelledby={headingId} gap={6}>
      <Group gap="xs">
        <Title id={headingId} order={3} size="h6">
          Waiting chats
        </Title>
        {sorted.length > 0 && (
          <Badge size="sm" variant="light" aria-hidden>
            {sorted.length}
          </Badge>
        )}
      </Group>
      {loadError && (
        <Text size="sm" c="red">
          {loadError}
        </Text>
      )}
      {chats === undefined && !loadError ? (
        <Text size="sm" c="dimmed" role="status">
          Loading the waiting chats…
        </Text>
      ) : sorted.length === 0 ? (
        <Text size="sm" c="dimmed">
          No chats are waiting.
        </Text>
      ) : (
        // About three chats tall: a long queue does not push the agent's own chats out of sight.
        <ScrollArea.Autosize mah={176} type="auto" offsetScrollbars>
          <Stack component="ul" gap={4} m={0} p={0} style={{ listStyle: 'none' }}>
            {sorted.map((chat) => (
              <Paper component="li" key={chat.interactionId} withBorder radius="sm" px="sm" py={6}>
                <Group justify="space-between" wrap="nowrap" gap="sm">
                  <Stack gap={0} miw={0}>
                    <Text size="sm" fw={600} truncate="end">
                      {chat.contactName}
                    </Text>
                    <Text size="xs" c="dimmed" truncate="end">
                      {chat.campaignName} · waiting{' '}
                      <ElapsedTime since={chat.waitingSince} size="xs" c="dimmed" />
                    </Text>
                  </Stack>
                  <Button
                    size="compact-sm"
                    aria-label={`Start chat with ${chat.contactName}`}
                    loading={taking === chat.interactionId}
                    disabled={taking !== undefined && taking !== chat.interactionId}
                    onClick={() => void handleTake(chat)}
                    style={{ flexShrink: 0 }}
                  >
                    Start chat
                  </Button>
                </Group>
              </Paper>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      )}
      {error && (
        <Alert role="alert" color="red" variant="light" py="xs">
          {error}
        </Alert>
      )}
    </Stack>
  );
}
