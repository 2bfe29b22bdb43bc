import { Select, Stack, Text, Textarea } from '@mantine/core';
import type { TransferBody } from '@parley/contract';
import { useState } from 'react';
import { api } from '../../api';
import { ListLoadFailed } from './ListLoadFailed';
import { TransferButtons } from './TransferButtons';
import type { TransferTypeProps } from './transferTypes';
import { useServerList } from './useServerList';

/** The receiving agent reads them as the call's Transfer Notes (the contract's limit). */
const NOTES_MAX_LENGTH = 4000;

/** Transfer Type "Agent": one of the agents Available with voice now, and notes for them. */
export function AgentTransfer({ callId, pending, onSend, onSessionExpired }: TransferTypeProps) {
  const agents = useServerList(() => api.transferAgents(), onSessionExpired);
  const [userId, setUserId] = useState<string | null>(null);
  const [notes, setNotes] = useState('');

  const body: TransferBody | undefined = userId
    ? { type: 'agent', userId, ...(notes.trim() ? { notes } : {}) }
    : undefined;
  return (
    <Stack gap="sm">
      {agents.error ? (
        <ListLoadFailed what="the agents" error={agents.error} />
      ) : agents.items?.length === 0 ? (
        <Text size="sm" c="dimmed">
          No agents are available
        </Text>
      ) : (
        <Select
          label="Agent"
          description="Only available agents appear in the list"
          placeholder={agents.items ? 'Choose an agent' : 'Loading agents…'}
          data={(agents.items ?? []).map((agent) => ({ value: agent.id, label: agent.name }))}
          value={userId}
          onChange={setUserId}
          disabled={!agents.items || pending}
          searchable
          nothingFoundMessage="No agent by that name"
        />
      )}
      <Textarea
        label="Notes"
        description="Shown to the receiving agent as Transfer Notes"
        autosize
        minRows={2}
        maxRows={6}
        maxLength={NOTES_MAX_LENGTH}
        value={notes}
        onChange={(event) => setNotes(event.currentTarget.value)}
        disabled={pending}
      />
      <TransferButtons callId={callId} body={body} consultLabel="Consult" pending={pending} onSend={onSend} />
    </Stack>
  );
}
