import { Select, Stack, TextInput } from '@mantine/core';
import type { TransferBody } from '@parley/contract';
import { useState } from 'react';
import { api } from '../../api';
import { ListLoadFailed } from './ListLoadFailed';
import { TransferButtons } from './TransferButtons';
import type { TransferTypeProps } from './transferTypes';
import { useServerList } from './useServerList';

/** The choice that is not in the pool: a number typed by the agent. */
const OTHER = 'other';

/** Transfer Type "Number": one of the campaign's transfer pool, or Other number. */
export function NumberTransfer({ callId, campaignId, pending, onSend, onSessionExpired }: TransferTypeProps) {
  const pool = useServerList(() => api.campaignTransferPool(campaignId), onSessionExpired);
  const [choice, setChoice] = useState<string | null>(null);
  const [number, setNumber] = useState('');

  // Pool entries are named by their ids, which are UUIDs: never "other".
  const typed = number.trim();
  const body: TransferBody | undefined =
    choice === OTHER
      ? typed
        ? { type: 'number', number: typed }
        : undefined
      : choice
        ? { type: 'number', destinationId: choice }
        : undefined;
  const options = [
    ...(pool.items ?? []).map((entry) => ({ value: entry.id, label: `${entry.name} (${entry.number})` })),
    { value: OTHER, label: 'Other number' },
  ];
  return (
    <Stack gap="sm">
      {pool.error && <ListLoadFailed what="the transfer numbers" error={pool.error} />}
      <Select
        label="Transfer number"
        placeholder={pool.items || pool.error ? 'Choose a number' : 'Loading numbers…'}
        data={options}
        value={choice}
        onChange={setChoice}
        disabled={pending}
      />
      {choice === OTHER && (
        <TextInput
          label="Phone number"
          type="tel"
          autoComplete="off"
          value={number}
          onChange={(event) => setNumber(event.currentTarget.value)}
          disabled={pending}
          data-autofocus
        />
      )}
      <TransferButtons callId={callId} body={body} consultLabel="Consult" pending={pending} onSend={onSend} />
    </Stack>
  );
}
