import { Button, Group } from '@mantine/core';
import type { TransferBody } from '@parley/contract';
import { api } from '../../api';
import type { TransferTypeProps } from './transferTypes';

export interface TransferButtonsProps extends Pick<TransferTypeProps, 'callId' | 'pending' | 'onSend'> {
  /** Where to, once the agent has said; undefined while the destination is incomplete. */
  body: TransferBody | undefined;
  /** Offer Consult beside Transfer (a second line to an agent or a number, guide section 8). */
  consult: boolean;
}

/** The dialog's moves: Transfer (blind) and, where a second line can be made, Consult. */
export function TransferButtons({ callId, body, consult, pending, onSend }: TransferButtonsProps) {
  return (
    <Group justify="flex-end" gap="sm">
      {consult && (
        <Button
          variant="default"
          disabled={!body || pending}
          onClick={() => {
            if (body && body.type !== 'workflow') onSend(() => api.consultCall(callId, body));
          }}
        >
          Consult
        </Button>
      )}
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
