import { Alert, Badge, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import IconSearch from '@tabler/icons-react/icons/IconSearch';
import { type FormEvent, Fragment, type ReactNode, useId, useState } from 'react';
import { type HistorySource, NO_SEARCH, useHistorySearch } from './useHistorySearch';

/** What a history calls itself and its items: the accessible names e2e tests find it by. */
export interface HistoryLabels {
  /** The section's heading, e.g. "Chat History". */
  title: string;
  /** The search form's name. */
  search: string;
  contactPlaceholder: string;
  textPlaceholder: string;
  /** The title of the alert when a page fails to load. */
  error: string;
  /** Said when the search finds nothing. */
  noneFound: string;
  /** The results list's name. */
  list: string;
}

export interface HistorySearchPanelProps<Item> {
  /** The side panel is open: the latest items are fetched the first time it is. */
  open: boolean;
  onSessionExpired: () => void;
  source: HistorySource<Item>;
  labels: HistoryLabels;
  /** One result, a list item that calls onOpen when chosen. */
  renderItem: (item: Item, onOpen: () => void) => ReactNode;
  /** The chosen result, opened (a dialog that calls onClose). */
  renderOpened: (item: Item, onClose: () => void) => ReactNode;
}

/**
 * A side panel history: searched by contact, words and days, the results a page at a time
 * with Load more; each result opens.
 */
export function HistorySearchPanel<Item>({
  open,
  onSessionExpired,
  source,
  labels,
  renderItem,
  renderOpened,
}: HistorySearchPanelProps<Item>) {
  const headingId = useId();
  const history = useHistorySearch(open, onSessionExpired, source);
  const [form, setForm] = useState(NO_SEARCH);
  const [shown, setShown] = useState<Item | undefined>(undefined);
  const items = history.items ?? [];

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
          {labels.title}
        </Title>
        {history.total > 0 && (
          <Badge size="xs" variant="light" color="gray" aria-hidden>
            {history.total}
          </Badge>
        )}
      </Group>
      <Stack component="form" role="search" aria-label={labels.search} gap={6} px={4} onSubmit={handleSearch}>
        <TextInput
          type="search"
          label="Contact"
          placeholder={labels.contactPlaceholder}
          maxLength={100}
          {...field('contact')}
        />
        <TextInput
          type="search"
          label="Text"
          placeholder={labels.textPlaceholder}
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
        <Alert role="alert" variant="light" color="red" py="xs" title={labels.error}>
          {history.error}
        </Alert>
      )}
      {items.length === 0 ? (
        <Text size="sm" c="dimmed" px={4} role="status">
          {history.loading ? 'Searching…' : history.items ? labels.noneFound : ''}
        </Text>
      ) : (
        <Stack component="ul" aria-label={labels.list} gap={2} m={0} p={0} style={{ listStyle: 'none' }}>
          {items.map((item) => (
            <Fragment key={source.keyOf(item)}>{renderItem(item, () => setShown(item))}</Fragment>
          ))}
        </Stack>
      )}
      {items.length > 0 && items.length < history.total && (
        <Button size="compact-xs" variant="subtle" loading={history.loading} onClick={history.loadMore}>
          Load more
        </Button>
      )}
      {shown !== undefined && renderOpened(shown, () => setShown(undefined))}
    </Stack>
  );
}
