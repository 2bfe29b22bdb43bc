import { Button, Group } from '@mantine/core';
import type { TransferBody } from '@parley/contract';
import { api } from '../../api';
import type { TransferTypeProps } from './transferTypes';

export interface TransferButtonsProps extends Pick<TransferTypeProps, 'callId' | 'pending' | 'onSend'> {
  /** Where to, once the agent has said; undefined while the destination is incomplete. */
  body: TransferBody | undefined;
  /**
   * The name of the move that opens a second line to the destination, in the guide's words:
   * Consult (an agent or a number, section 8) or Assisted transfer (a workflow, section 7).
   */
  consultLabel: 'Consult' | 'Assisted transfer';
}

/** The dialog's moves: Transfer (blind) and the one that keeps the agent on the call (a second line). */
export function TransferButtons({ callId, body, consultLabel, pending, onSend }: TransferButtonsProps) {
  return (
    <Group justify="flex-end" gap="sm">
      <Button
        variant="default"
        disabled={!body || pending}
        onClick={() => {
          if (body) onSend(() => api.consultCall(callId, body));
        }}
      >
        {consultLabel}
      </Button>
      <Button
        disabled={!body || pending}
        onClick={() => {
          if (body) onSend(() => api.transferCall(callId, body));
        }}
      >
        Transfer
      </Button>
    </Group>
  );
}
