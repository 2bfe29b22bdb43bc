import { Checkbox, Stack, TextInput } from '@mantine/core';
import type { CallbackDraft } from './callbackDraft';

export interface CallbackPickerProps {
  draft: CallbackDraft;
  onChange: (draft: CallbackDraft) => void;
}

/** "2030-01-02T10:30" for now, in the agent's time zone: the earliest a callback may be. */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * A callback outcome's when, under the Outcome: the date and time to call the lead back (needed
 * before wrapping), and whether it is the agent's own ("Personal callback") or the campaign's.
 */
export function CallbackPicker({ draft, onChange }: CallbackPickerProps) {
  return (
    <Stack gap="xs">
      <TextInput
        type="datetime-local"
        label="Callback date and time"
        description="In your time zone"
        required
        size="sm"
        min={localNow()}
        value={draft.at}
        onChange={(event) => onChange({ ...draft, at: event.currentTarget.value })}
      />
      <Checkbox
        label="Personal callback"
        description="Only you are given the callback"
        size="sm"
        checked={draft.personal}
        onChange={(event) => onChange({ ...draft, personal: event.currentTarget.checked })}
      />
    </Stack>
  );
}
