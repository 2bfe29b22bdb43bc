import { Stack, Text, Textarea } from '@mantine/core';
import type { InteractionNotesBody } from '@parley/contract';
import { type NotesValues, useNotesAutosave } from './useNotesAutosave';

export interface InteractionNotesProps {
  interactionId: string;
  /** The notes as the server last reported them. */
  server: NotesValues;
  onSaved: (saved: InteractionNotesBody) => void;
  onSessionExpired: () => void;
}

/** "Notes" stored with the interaction, and "Transfer Notes" for the next agent, saved as the agent types. */
export function InteractionNotes({
  interactionId,
  server,
  onSaved,
  onSessionExpired,
}: InteractionNotesProps) {
  const { values, status, error, change, flush } = useNotesAutosave({
    interactionId,
    server,
    onSaved,
    onSessionExpired,
  });
  const statusText = { idle: '', saving: 'Saving…', saved: 'Saved', failed: `Notes not saved: ${error}` }[
    status
  ];
  return (
    <Stack gap="xs">
      <Textarea
        label="Notes"
        autosize
        minRows={3}
        maxRows={8}
        maxLength={10_000}
        value={values.notes}
        onChange={(event) => change('notes', event.currentTarget.value)}
        onBlur={flush}
      />
      <Textarea
        label="Transfer Notes"
        description="Passed to the next agent if the call is transferred"
        autosize
        minRows={2}
        maxRows={6}
        maxLength={2_000}
        value={values.transferNotes}
        onChange={(event) => change('transferNotes', event.currentTarget.value)}
        onBlur={flush}
      />
      <Text role="status" size="xs" c={status === 'failed' ? 'red.7' : 'dimmed'} mih={18}>
        {statusText}
      </Text>
    </Stack>
  );
}
