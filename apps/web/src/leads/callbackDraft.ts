import type { CallbackChoice } from '@parley/contract';

/** A callback being chosen for the wrap: the picker's local date and time ('' for none yet). */
export interface CallbackDraft {
  /** As a datetime-local field holds it: "2030-01-02T10:30", in the agent's time zone. */
  at: string;
  personal: boolean;
}

export const NO_CALLBACK: CallbackDraft = { at: '', personal: false };

/** Said while a callback outcome waits for its date and time. */
export const CALLBACK_REQUIRED_MESSAGE = 'Choose the callback date and time before wrapping';

/** The callback to send with the wrap, or undefined while its date and time are not chosen. */
export function toCallbackChoice(draft: CallbackDraft): CallbackChoice | undefined {
  const at = new Date(draft.at);
  if (draft.at === '' || Number.isNaN(at.getTime())) return undefined;
  return { at: at.toISOString(), personal: draft.personal };
}
