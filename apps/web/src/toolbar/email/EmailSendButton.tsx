import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { ApiError } from '@parley/client';
import { useId, useState } from 'react';
import { api } from '../../api';
import { OUTCOME_REQUIRED_MESSAGE, type WrapCode } from '../interactions/InteractionActions';
import type { ComposeFields } from './composeDraft';
import { describeEmailError } from './emailErrors';

export interface EmailSendButtonProps {
  interactionId: string;
  /** "Send & wrap email" for a queued email's reply, "Send and wrap email" for a new one (the guide's words). */
  label: string;
  fields: ComposeFields;
  /** To, Cc or Bcc fields holding something that is not an address. */
  invalidFields: string[];
  wrapCodes: WrapCode[] | undefined;
  outcome: string | null;
  /** Saves what is not saved yet, first. */
  beforeSend: () => Promise<void>;
  onSessionExpired: () => void;
}

/**
 * Sends the email as last written and wraps the interaction with the Outcome chosen in the
 * information panel; the status after it is the one chosen in the status control, as for calls.
 * A refusal is said in words and the draft stays as it is.
 */
export function EmailSendButton({
  interactionId,
  label,
  fields,
  invalidFields,
  wrapCodes,
  outcome,
  beforeSend,
  onSessionExpired,
}: EmailSendButtonProps) {
  const hintId = useId();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const hint =
    invalidFields.length > 0
      ? `Correct the addresses in ${invalidFields.join(', ')}`
      : !outcome && (wrapCodes?.length ?? 0) > 0
        ? OUTCOME_REQUIRED_MESSAGE
        : undefined;

  async function handleSend() {
    setSending(true);
    setError(undefined);
    try {
      await beforeSend();
      await api.sendEmail(interactionId, {
        draft: {
          mode: fields.mode,
          to: fields.to,
          cc: fields.cc,
          bcc: fields.bcc,
          subject: fields.subject,
          html: fields.html,
        },
        ...(outcome ? { wrapCodeId: outcome } : {}),
      });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) onSessionExpired();
      else setError(describeEmailError(failure));
    } finally {
      setSending(false);
    }
  }

  return (
    <Stack gap="xs">
      <Group gap="sm">
        <Button
          color="indigo"
          loading={sending}
          disabled={hint !== undefined}
          aria-describedby={hint ? hintId : undefined}
          onClick={() => void handleSend()}
        >
          {label}
        </Button>
        {hint && (
          <Text id={hintId} size="sm" c="dimmed">
            {hint}
          </Text>
        )}
      </Group>
      {error && (
        <Alert role="alert" variant="light" color="red" py="xs" title="Not sent">
          {error}
        </Alert>
      )}
    </Stack>
  );
}
