import { Alert, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { type DirectoryChoice, DirectoryContactItem } from './DirectoryContactItem';
import {
  DIRECTORY_QUERY_MAX_LENGTH,
  DIRECTORY_QUERY_MIN_LENGTH,
  type DirectorySearchState,
  useDirectorySearch,
} from './useDirectorySearch';

export type { DirectoryChoice } from './DirectoryContactItem';

export interface DirectorySearchProps {
  /** The agent chose one of a contact's numbers. */
  onChoose: (choice: DirectoryChoice) => void;
  /** What is chosen now, marked in the results. */
  chosen?: DirectoryChoice | null;
  /** While a move using the choice is on its way. */
  disabled?: boolean;
  onSessionExpired: () => void;
}

/**
 * The directory (F2) as a search box with its results: the workspace's own contacts and, where an
 * administrator turned it on, Microsoft Graph's. Knows nothing of where it is used (the transfer
 * dialog now; the manual call's dial box later): it reports the contact and number chosen.
 */
export function DirectorySearch({
  onChoose,
  chosen,
  disabled = false,
  onSessionExpired,
}: DirectorySearchProps) {
  const [query, setQuery] = useState('');
  const search = useDirectorySearch(query, onSessionExpired);
  return (
    <Stack gap="xs">
      <TextInput
        label="Search the directory"
        description={`Type a name (at least ${DIRECTORY_QUERY_MIN_LENGTH} characters)`}
        type="search"
        autoComplete="off"
        maxLength={DIRECTORY_QUERY_MAX_LENGTH}
        value={query}
        onChange={(event) => setQuery(event.currentTarget.value)}
        disabled={disabled}
        data-autofocus
      />
      {search.warning && (
        <Alert role="note" variant="light" color="yellow" py="xs">
          {search.warning}
        </Alert>
      )}
      {search.error && (
        <Alert role="alert" variant="light" color="red" py="xs" title="Could not search the directory">
          {search.error}
        </Alert>
      )}
      <Text role="status" size="sm" c="dimmed">
        {statusText(search)}
      </Text>
      {search.contacts.length > 0 && (
        <Stack
          component="ul"
          aria-label="Contacts found"
          gap={0}
          m={0}
          p={0}
          mah={280}
          style={{ listStyle: 'none', overflowY: 'auto' }}
        >
          {search.contacts.map((contact) => (
            <DirectoryContactItem
              key={contact.id}
              contact={contact}
              chosenNumber={chosen?.contact.id === contact.id ? chosen.number : undefined}
              disabled={disabled}
              onChoose={onChoose}
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function statusText(search: DirectorySearchState): string {
  if (search.status === 'searching') return 'Searching…';
  if (search.status === 'done' && search.contacts.length === 0) return 'No contacts found';
  return '';
}
