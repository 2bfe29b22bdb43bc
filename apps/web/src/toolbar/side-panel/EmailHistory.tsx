import { Alert, Badge, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import type { EmailHistoryItem as PastThread } from '@parley/contract';
import IconSearch from '@tabler/icons-react/icons/IconSearch';
import { type FormEvent, useId, useState } from 'react';
import { NO_EMAIL_SEARCH, useEmailHistory } from '../email/useEmailHistory';
import { EmailHistoryItem } from './EmailHistoryItem';
import { EmailHistoryThread } from './EmailHistoryThread';

export interface EmailHistoryProps {
  /** The side panel is open: the latest threads are fetched the first time it is. */
  open: boolean;
  onSessionExpired: () => void;
}

/**
 * The side panel's Email History (guide overview, 7.5): email threads of the agent's teams,
 * searched by contact, words of the emails and days, latest first; each opens its thread.
 */
export function EmailHistory({ open, onSessionExpired }: EmailHistoryProps) {
  const headingId = useId();
  const history = useEmailHistory(open, onSessionExpired);
  const [form, setForm] = useState(NO_EMAIL_SEARCH);
  const [shown, setShown] = useState<PastThread | undefined>(undefined);
  const threads = history.threads ?? [];

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
          Email History
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
        aria-label="Search email history"
        gap={6}
        px={4}
        onSubmit={handleSearch}
      >
        <TextInput
          type="search"
          label="Contact"
          placeholder="Name or address"
          maxLength={100}
          {...field('contact')}
        />
        <TextInput
          type="search"
          label="Text"
          placeholder="Words in the emails"
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
        <Alert role="alert" variant="light" color="red" py="xs" title="Could not load the email history">
          {history.error}
        </Alert>
      )}
      {threads.length === 0 ? (
        <Text size="sm" c="dimmed" px={4} role="status">
          {history.loading ? 'Searching…' : history.threads ? 'No emails found.' : ''}
        </Text>
      ) : (
        <Stack component="ul" aria-label="Email threads" gap={2} m={0} p={0} style={{ listStyle: 'none' }}>
          {threads.map((thread) => (
            <EmailHistoryItem key={thread.threadId} thread={thread} onOpen={() => setShown(thread)} />
          ))}
        </Stack>
      )}
      {threads.length > 0 && threads.length < history.total && (
        <Button size="compact-xs" variant="subtle" loading={history.loading} onClick={history.loadMore}>
          Load more
        </Button>
      )}
      {shown && (
        <EmailHistoryThread
          thread={shown}
          onClose={() => setShown(undefined)}
          onSessionExpired={onSessionExpired}
        />
      )}
    </Stack>
  );
}
