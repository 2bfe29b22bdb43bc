import { ActionIcon, Group, Stack, TextInput } from '@mantine/core';
import type { Lead, LeadNumber, LeadNumberBody } from '@parley/contract';
import IconCheck from '@tabler/icons-react/icons/IconCheck';
import IconCircleX from '@tabler/icons-react/icons/IconCircleX';
import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { api } from '../api';
import { useApiAction } from '../toolbar/useApiAction';

/** The contract's longest number as typed, and longest label. */
const NUMBER_MAX_LENGTH = 40;
const LABEL_MAX_LENGTH = 50;

export interface LeadNumberEditorProps {
  interactionId: string;
  /** The number edited; undefined: a new one is added. */
  number: LeadNumber | undefined;
  /** Saved (the lead as the server now has it) or cancelled (undefined). */
  onClose: (lead?: Lead) => void;
  onSessionExpired: () => void;
}

/**
 * A lead's number being added or edited, in place: the tick saves it, the cancel icon (or Escape)
 * leaves it as it was, and a number emptied and ticked is removed. The server reads the number in
 * the campaign's country; what it refuses is said beside the field, with the text kept.
 */
export function LeadNumberEditor({
  interactionId,
  number,
  onClose,
  onSessionExpired,
}: LeadNumberEditorProps) {
  const { pending, error, run, dismissError } = useApiAction(onSessionExpired);
  const [text, setText] = useState(number?.number ?? '');
  const [label, setLabel] = useState(number?.label ?? '');

  function handleSave(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const typed = text.trim();
    // A label left empty is not sent: the server keeps (or gives) the number its own.
    const body: LeadNumberBody = { number: typed, ...(label.trim() && { label: label.trim() }) };
    if (!number && typed === '') return onClose(); // nothing to add
    void run(async () => {
      const lead = !number
        ? await api.addLeadNumber(interactionId, body)
        : typed === ''
          ? await api.removeLeadNumber(interactionId, number.id)
          : await api.updateLeadNumber(interactionId, number.id, body);
      onClose(lead);
    });
  }

  function handleKeyDown(event: KeyboardEvent) {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    onClose();
  }

  return (
    <form onSubmit={handleSave} onKeyDown={handleKeyDown} noValidate>
      <Group align="flex-start" gap="xs" wrap="nowrap">
        <Stack gap={4} flex={1} miw={0}>
          <TextInput
            label="Phone number"
            size="xs"
            autoComplete="off"
            maxLength={NUMBER_MAX_LENGTH}
            value={text}
            onChange={(event) => {
              setText(event.currentTarget.value);
              dismissError();
            }}
            error={error && <span role="alert">{error}</span>}
            disabled={pending}
            // The field appears because the agent clicked to edit (or add): they type next.
            autoFocus
          />
          <TextInput
            label="Label"
            placeholder="Mobile"
            size="xs"
            maxLength={LABEL_MAX_LENGTH}
            value={label}
            onChange={(event) => setLabel(event.currentTarget.value)}
            disabled={pending}
          />
        </Stack>
        <Group gap={4} wrap="nowrap" mt={22}>
          <ActionIcon
            type="button"
            variant="subtle"
            color="red"
            aria-label="Cancel"
            onClick={() => onClose()}
          >
            <IconCircleX size={18} aria-hidden />
          </ActionIcon>
          <ActionIcon type="submit" variant="subtle" color="green" aria-label="Save" loading={pending}>
            <IconCheck size={18} aria-hidden />
          </ActionIcon>
        </Group>
      </Group>
    </form>
  );
}
