import { Alert, Stack, Text } from '@mantine/core';
import { type DirectoryChoice, DirectoryContactItem } from './DirectoryContactItem';
import type { DirectorySearchState } from './useDirectorySearch';

export interface DirectoryResultsProps {
  search: DirectorySearchState;
  /** The agent chose one of a contact's numbers. */
  onChoose: (choice: DirectoryChoice) => void;
  /** What is chosen now, marked in the results. */
  chosen?: DirectoryChoice | null;
  disabled?: boolean;
}

/**
 * What a directory search found, under whichever box the name is typed in (the directory's own
 * search box, or the Manual Call's phone number box): a source's warning, a failure, progress,
 * and the contacts with their numbers to choose from.
 */
export function DirectoryResults({ search, onChoose, chosen, disabled = false }: DirectoryResultsProps) {
  return (
    <>
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
    </>
  );
}

function statusText(search: DirectorySearchState): string {
  if (search.status === 'searching') return 'Searching…';
  if (search.status === 'done' && search.contacts.length === 0) return 'No contacts found';
  return '';
}
