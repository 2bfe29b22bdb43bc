import { Alert, Badge, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ChatHistoryItem as PastChat } from '@parley/contract';
import IconSearch from '@tabler/icons-react/icons/IconSearch';
import { type FormEvent, useId, useState } from 'react';
import { NO_SEARCH, useChatHistory } from '../chat/useChatHistory';
import { ChatHistoryItem } from './ChatHistoryItem';
import { ChatHistoryTranscript } from './ChatHistoryTranscript';

export interface ChatHistoryProps {
  /** The side panel is open: the latest chats are fetched the first time it is. */
  open: boolean;
  onSessionExpired: () => void;
}

/**
 * The side panel's Chat History (guide overview, 7.4): past chats of the agent's teams, searched
 * by contact, words of the messages and days, newest first; each opens its transcript.
 */
export function ChatHistory({ open, onSessionExpired }: ChatHistoryProps) {
  const headingId = useId();
  const history = useChatHistory(open, onSessionExpired);
  const [form, setForm] = useState(NO_SEARCH);
  const [shown, setShown] = useState<PastChat | undefined>(undefined);
  const chats = history.chats ?? [];

  function handleSearch(event: FormEvent) {
    event.preventDefault();
    history.search(form);
  }
  const field = (name: keyof typeof form) => ({
    size: 'xs' as const,
    value: form[name],
    onChange: (event: { currentTarget: { value: string } }) => {
      const { value } = event.currentTarget;
      setForm((current) => ({ ...current, [name]: value }));
    },
  });

  return (
    <Stack component="section" aria-labelledby={headingId} gap={6}>
      <Group justify="space-between" wrap="nowrap" px={4}>
        <Title id={headingId} order={2} fz="xs" fw={700} tt="uppercase" c="dimmed" lts={0.4}>
          Chat History
        </Title>
        {history.total > 0 && (
          <Badge size="xs" variant="light" color="gray" aria-hidden>
            {history.total}
          </Badge>
        )}
      </Group>
      <Stack
        component="form"
        role="search"
        aria-label="Search chat history"
        gap={6}
        px={4}
        onSubmit={handleSearch}
      >
        <TextInput
          type="search"
          label="Contact"
          placeholder="Name or survey answer"
          maxLength={100}
          {...field('contact')}
        />
        <TextInput
          type="search"
          label="Text"
          placeholder="Words in the messages"
          maxLength={200}
          {...field('text')}
        />
        <Group grow gap={6}>
          <TextInput type="date" label="From" {...field('from')} />
          <TextInput type="date" label="To" {...field('to')} />
        </Group>
        <Button type="submit" size="xs" variant="light" leftSection={<IconSearch size={14} aria-hidden />}>
          Search
        </Button>
      </Stack>
      {history.error && (
        <Alert role="alert" variant="light" color="red" py="xs" title="Could not load the chat history">
          {history.error}
        </Alert>
      )}
      {chats.length === 0 ? (
        <Text size="sm" c="dimmed" px={4} role="status">
          {history.loading ? 'Searching…' : history.chats ? 'No chats found.' : ''}
        </Text>
      ) : (
        <Stack component="ul" aria-label="Past chats" gap={2} m={0} p={0} style={{ listStyle: 'none' }}>
          {chats.map((chat) => (
            <ChatHistoryItem key={chat.chatId} chat={chat} onOpen={() => setShown(chat)} />
          ))}
        </Stack>
      )}
      {chats.length > 0 && chats.length < history.total && (
        <Button size="compact-xs" variant="subtle" loading={history.loading} onClick={history.loadMore}>
          Load more
        </Button>
      )}
      {shown && (
        <ChatHistoryTranscript
          chat={shown}
          onClose={() => setShown(undefined)}
          onSessionExpired={onSessionExpired}
        />
      )}
    </Stack>
  );
}
