import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { AgentInteraction, InteractionPanel } from '@parley/contract';
import { useId, useState } from 'react';
import { api } from '../../api';
import { isConnecting } from '../../dialler/dialProgress';
import { CALLBACK_REQUIRED_MESSAGE, type CallbackDraft, toCallbackChoice } from '../../leads/callbackDraft';
import { LeadWrapButtons } from '../../leads/LeadWrapButtons';
import { offersLeadWrap } from '../../leads/leadCall';
import { leadWrapBody, wrapLead } from '../../leads/wrapLead';
import { hangUpAsksLeaveOrEnd, LeaveOrEndDialog } from '../transfer/LeaveOrEndDialog';
import { useApiAction } from '../useApiAction';
import { HANG_UP_BUTTON_ATTRIBUTE, TOOLBAR_SHORTCUTS } from '../useToolbarShortcuts';
import { interactionKinds } from './interactionKinds';
import { OfferCountdown } from './OfferCountdown';

export type WrapCode = InteractionPanel['wrapCodes'][number];

export interface InteractionActionsProps {
  interaction: AgentInteraction;
  /** The campaign's outcomes; undefined until the interaction's panel is loaded. */
  wrapCodes: WrapCode[] | undefined;
  /** The Outcome chosen in the information panel, or null while none is. */
  outcome: string | null;
  /** A lead's callback, chosen under a callback Outcome. */
  callback?: CallbackDraft | undefined;
  onSessionExpired: () => void;
}

/** Why the wrap waits (the server says the same to a wrap without one). */
export const OUTCOME_REQUIRED_MESSAGE = 'Choose an Outcome before wrapping';

/**
 * The one control that moves an interaction on: Accept (or, for a call the agent placed, Cancel
 * call until it is answered), then End or Hang Up, then Wrap with the Outcome chosen in the
 * information panel. The wrap waits for an Outcome when the campaign has them; while they load,
 * the server judges. A lead has "Wrap Lead" and "Wrap and continue with Lead" instead, from the
 * moment it is presented (it may be skipped without a call) except while one of its numbers is
 * being called; a callback Outcome waits for its date and time too.
 */
export function InteractionActions({
  interaction,
  wrapCodes,
  outcome,
  callback,
  onSessionExpired,
}: InteractionActionsProps) {
  const { pending, error, run } = useApiAction(onSessionExpired);
  const hintId = useId();
  const [askingLeaveOrEnd, setAskingLeaveOrEnd] = useState(false);
  const kind = interactionKinds[interaction.kind];
  const { id } = interaction;
  const voice = interaction.kind === 'voice';
  // Hanging up with a second line connected asks first: leave it to the others, or end it for all.
  const asksLeaveOrEnd = hangUpAsksLeaveOrEnd(interaction);
  // The question goes with the line: it does not come back by itself with a later one.
  if (askingLeaveOrEnd && !asksLeaveOrEnd) setAskingLeaveOrEnd(false);

  const action = {
    offered: { label: 'Accept', color: 'green', request: () => api.acceptInteraction(id) },
    busy: {
      // A placed call not yet answered is cancelled (the server stops dialling), not hung up.
      label: isConnecting(interaction.dial) ? 'Cancel call' : kind.endLabel,
      color: interaction.kind === 'voice' ? 'red' : 'gray',
      request: () => api.endInteraction(id),
    },
    wrapping: {
      label: kind.wrapLabel,
      color: 'indigo',
      request: () => api.wrapInteraction(id, outcome ? { wrapCodeId: outcome } : {}),
    },
  }[interaction.state];

  // The keys that do the same (listed in Help): answering a chat or email, hanging up a call.
  const shortcut =
    interaction.state === 'offered' && !voice
      ? TOOLBAR_SHORTCUTS.answer
      : interaction.state === 'busy' && voice
        ? TOOLBAR_SHORTCUTS.hangUp
        : undefined;

  const leadWrap = offersLeadWrap(interaction);
  const outcomeMissing =
    (interaction.state === 'wrapping' || leadWrap) &&
    !outcome &&
    wrapCodes !== undefined &&
    wrapCodes.length > 0;
  const code = wrapCodes?.find((c) => c.id === outcome);
  const callbackMissing =
    leadWrap && code?.schedulesCallback === true && !(callback && toCallbackChoice(callback));
  const hint = outcomeMissing
    ? OUTCOME_REQUIRED_MESSAGE
    : callbackMissing
      ? CALLBACK_REQUIRED_MESSAGE
      : undefined;

  function handleWrapLead(continueWithLead: boolean) {
    const body = leadWrapBody({ outcome, code, callback, continueWithLead });
    void run(() => wrapLead(interaction, body));
  }

  // A call rings where the agent takes calls (the Web Connect tab or their phone), not here.
  const ringsElsewhere = interaction.state === 'offered' && interaction.kind === 'voice';
  // An email being answered ends by being sent or discarded, in its composer.
  const emailInComposer = interaction.state === 'busy' && interaction.kind === 'email';
  return (
    <Stack gap="xs" mt="sm">
      <Group gap="sm" align="center">
        {ringsElsewhere ? (
          <Text size="sm" fw={500}>
            Ringing: answer it in your Web Connect tab
          </Text>
        ) : emailInComposer ? (
          <Text size="sm" c="dimmed">
            Send or delete the email in the script area
          </Text>
        ) : leadWrap ? (
          <LeadWrapButtons
            pending={pending}
            disabled={hint !== undefined}
            describedBy={hint ? hintId : undefined}
            onWrap={handleWrapLead}
          />
        ) : (
          <Button
            size="sm"
            color={action.color}
            loading={pending}
            disabled={hint !== undefined}
            aria-describedby={hint ? hintId : undefined}
            aria-keyshortcuts={shortcut?.keys}
            aria-haspopup={asksLeaveOrEnd ? 'dialog' : undefined}
            {...{ [HANG_UP_BUTTON_ATTRIBUTE]: shortcut === TOOLBAR_SHORTCUTS.hangUp ? id : undefined }}
            onClick={() => (asksLeaveOrEnd ? setAskingLeaveOrEnd(true) : void run(action.request))}
          >
            {action.label}
          </Button>
        )}
        {hint && (
          <Text id={hintId} size="sm" c="dimmed">
            {hint}
          </Text>
        )}
        {interaction.state === 'offered' && interaction.offerExpiresAt && (
          <OfferCountdown expiresAt={interaction.offerExpiresAt} />
        )}
      </Group>
      {error && (
        <Alert role="alert" variant="light" color="red" py="xs">
          {error}
        </Alert>
      )}
      {askingLeaveOrEnd && interaction.consult && (
        <LeaveOrEndDialog
          callId={id}
          consult={interaction.consult}
          onClose={() => setAskingLeaveOrEnd(false)}
          onSessionExpired={onSessionExpired}
        />
      )}
    </Stack>
  );
}
