import { Stack, Text } from '@mantine/core';
import type { TransferBody } from '@parley/contract';
import { useState } from 'react';
import { PHONE_KIND_LABELS } from '../../directory/DirectoryContactItem';
import { type DirectoryChoice, DirectorySearch } from '../../directory/DirectorySearch';
import { TransferButtons } from './TransferButtons';
import type { TransferTypeProps } from './transferTypes';

/** The contract's longest `label` (a Name); a longer directory name is cut rather than refused. */
const LABEL_MAX_LENGTH = 100;

/**
 * Transfer Type "Contact": a contact of the directory, found by name, and one of their numbers.
 * It goes as an "Other number" with the contact's name as its label, so the consult line and the
 * call's record show who was called; the dial plan decides as for any number.
 */
export function ContactTransfer({ callId, pending, onSend, onSessionExpired }: TransferTypeProps) {
  const [choice, setChoice] = useState<DirectoryChoice | null>(null);
  const body: TransferBody | undefined = choice
    ? { type: 'number', number: choice.number, label: choice.contact.name.slice(0, LABEL_MAX_LENGTH) }
    : undefined;
  return (
    <Stack gap="sm">
      <DirectorySearch
        chosen={choice}
        onChoose={setChoice}
        disabled={pending}
        onSessionExpired={onSessionExpired}
      />
      <Text size="sm" c={choice ? undefined : 'dimmed'}>
        {choice ? `To ${choice.contact.name}, ${describeNumber(choice)}` : 'Choose a number of a contact'}
      </Text>
      <TransferButtons callId={callId} body={body} consultLabel="Consult" pending={pending} onSend={onSend} />
    </Stack>
  );
}

function describeNumber({ contact, number }: DirectoryChoice): string {
  const phone = contact.phones.find((p) => p.number === number);
  return phone ? `${PHONE_KIND_LABELS[phone.kind]} ${number}` : number;
}
