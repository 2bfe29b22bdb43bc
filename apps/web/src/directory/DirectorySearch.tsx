import { Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { DirectoryChoice } from './DirectoryContactItem';
import { DirectoryResults } from './DirectoryResults';
import {
  DIRECTORY_QUERY_MAX_LENGTH,
  DIRECTORY_QUERY_MIN_LENGTH,
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
 * dialog): it reports the contact and number chosen. The Manual Call searches from its own phone
 * number box, with the same hook and results.
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
      <DirectoryResults search={search} onChoose={onChoose} chosen={chosen} disabled={disabled} />
    </Stack>
  );
}
