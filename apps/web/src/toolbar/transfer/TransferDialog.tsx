import { Alert, Select, Stack } from '@mantine/core';
import type { AgentInteraction } from '@parley/contract';
import { useState } from 'react';
import { CallDialog } from '../CallDialog';
import { useApiAction } from '../useApiAction';
import { CONVERT_TO_OUTBOUND, TRANSFER_TYPES } from './transferTypes';

export interface TransferDialogProps {
  call: AgentInteraction;
  /** Opens Convert to Outbound in place of this dialog; undefined where the call cannot be converted. */
  onConvertToOutbound?: (() => void) | undefined;
  onClose: () => void;
  onSessionExpired: () => void;
}

/**
 * The guide's Transfer dialog (sections 7 and 8): choose a Transfer Type, then its destination,
 * then Transfer (blind) or Consult (a second line; to a workflow, Assisted transfer). A refusal is
 * shown here and the dialog stays; a move that is made closes it, and the call's new state arrives
 * over the realtime channel. The type Convert to Outbound (a live inbound call's) opens its own
 * dialog in place of this one.
 */
export function TransferDialog({
  call,
  onConvertToOutbound,
  onClose,
  onSessionExpired,
}: TransferDialogProps) {
  const { pending, error, run, dismissError } = useApiAction(onSessionExpired);
  const [typeValue, setTypeValue] = useState<string | null>(null);
  const types = TRANSFER_TYPES.filter((t) => t.value !== CONVERT_TO_OUTBOUND || onConvertToOutbound);
  const type = types.find((t) => t.value === typeValue);

  function handleSend(request: () => Promise<unknown>) {
    void run(async () => {
      await request();
      onClose();
    });
  }

  return (
    <CallDialog onClose={onClose} title="Transfer">
      <Stack gap="md">
        <Select
          label="Transfer Type"
          placeholder="Choose a transfer type"
          data={types.map(({ value, label }) => ({ value, label }))}
          value={typeValue}
          onChange={(value) => {
            if (value === CONVERT_TO_OUTBOUND && onConvertToOutbound) {
              onConvertToOutbound();
              return;
            }
            setTypeValue(value);
            dismissError();
          }}
          allowDeselect={false}
          disabled={pending}
          data-autofocus
        />
        {type && 'Destination' in type && (
          <type.Destination
            // A new type starts afresh: its own list, nothing chosen.
            key={type.value}
            callId={call.id}
            campaignId={call.campaignId}
            pending={pending}
            onSend={handleSend}
            onSessionExpired={onSessionExpired}
          />
        )}
        {error && (
          <Alert role="alert" variant="light" color="red" py="xs">
            {error}
          </Alert>
        )}
      </Stack>
    </CallDialog>
  );
}
