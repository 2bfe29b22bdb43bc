import { ActionIcon, Button, Popover, ScrollArea, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import type { CannedResponse } from '@parley/contract';
import IconMessageBolt from '@tabler/icons-react/icons/IconMessageBolt';
import IconSearch from '@tabler/icons-react/icons/IconSearch';
import { useId, useState } from 'react';
import { type CannedContext, fillCanned, searchCanned } from './cannedText';

export interface CannedResponsesPickerProps {
  responses: readonly CannedResponse[];
  context: CannedContext;
  /** The chosen response's text, filled in, to add where the agent is typing. */
  onAdd: (text: string) => void;
  disabled?: boolean;
}

/** The canned responses icon: a search over the campaign's responses, each with "Add to Text". */
export function CannedResponsesPicker({
  responses,
  context,
  onAdd,
  disabled = false,
}: CannedResponsesPickerProps) {
  const [opened, setOpened] = useState(false);
  const [search, setSearch] = useState('');
  const listId = useId();
  const found = searchCanned(responses, search, context);

  function handleAdd(response: CannedResponse) {
    setOpened(false);
    setSearch('');
    onAdd(fillCanned(response.text, context));
  }

  return (
    <Popover opened={opened} onChange={setOpened} position="top-start" width={360} shadow="md" trapFocus>
      <Popover.Target>
        <Tooltip label="Canned responses" openDelay={400}>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label="Canned responses"
            aria-expanded={opened}
            disabled={disabled}
            onClick={() => setOpened((open) => !open)}
          >
            <IconMessageBolt size={20} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown role="dialog" aria-label="Canned responses" p="xs">
        <TextInput
          type="search"
          aria-label="Search canned responses"
          placeholder="Search by snippet or text"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          aria-controls={listId}
          data-autofocus
          mb="xs"
        />
        <ScrollArea.Autosize mah={280} type="auto">
          {found.length === 0 ? (
            <Text size="sm" c="dimmed" px={4} id={listId}>
              {responses.length === 0
                ? 'This campaign has no canned responses.'
                : 'No canned response matches.'}
            </Text>
          ) : (
            <Stack id={listId} component="ul" gap={4} m={0} p={0} style={{ listStyle: 'none' }}>
              {found.map((response) => (
                <CannedResponseItem
                  key={response.id}
                  response={response}
                  text={fillCanned(response.text, context)}
                  onAdd={() => handleAdd(response)}
                />
              ))}
            </Stack>
          )}
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}

interface CannedResponseItemProps {
  response: CannedResponse;
  text: string;
  onAdd: () => void;
}

function CannedResponseItem({ response, text, onAdd }: CannedResponseItemProps) {
  const nameId = useId();
  return (
    <Stack
      component="li"
      aria-labelledby={nameId}
      gap={2}
      p={6}
      style={{ borderRadius: 4, background: 'var(--mantine-color-gray-0)' }}
    >
      <Text id={nameId} size="sm" fw={600} ff="monospace">
        /{response.snippet}
      </Text>
      <Text size="sm" lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>
        {text}
      </Text>
      <Button
        size="compact-xs"
        variant="light"
        aria-describedby={nameId}
        onClick={onAdd}
        style={{ alignSelf: 'flex-end' }}
      >
        Add to Text
      </Button>
    </Stack>
  );
}
