import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import type { AgentInteraction, InteractionPanel } from '@parley/contract';
import { useState } from 'react';
import { api } from '../../api';
import { useApiAction } from '../useApiAction';
import { interactionKinds } from './interactionKinds';
import { OfferCountdown } from './OfferCountdown';

export type WrapCode = InteractionPanel['wrapCodes'][number];

export interface InteractionActionsProps {
  interaction: AgentInteraction;
  /** The campaign's outcomes; undefined until the interaction's panel is loaded. */
  wrapCodes: WrapCode[] | undefined;
  /** The outcomes could not be fetched (the information panel offers to try again). */
  outcomesFailed: boolean;
  onSessionExpired: () => void;
}

/** Said when the agent wraps without an outcome (the server says the same). */
export const OUTCOME_REQUIRED_MESSAGE = 'Choose an Outcome before wrapping';

/**
 * The one control that moves an interaction on: Accept, then End or Hang Up, then Wrap with
 * the Outcome chosen beside it.
 */
export function InteractionActions({
  interaction,
  wrapCodes,
  outcomesFailed,
  onSessionExpired,
}: InteractionActionsProps) {
  const { pending, error, run, dismissError } = useApiAction(onSessionExpired);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [outcomeMissing, setOutcomeMissing] = useState(false);
  const kind = interactionKinds[interaction.kind];
  const { id } = interaction;

  const action = {
    offered: { label: 'Accept', color: 'green', request: () => api.acceptInteraction(id) },
    busy: {
      label: kind.endLabel,
      color: interaction.kind === 'voice' ? 'red' : 'gray',
      request: () => api.endInteraction(id),
    },
    wrapping: {
      label: kind.wrapLabel,
      color: 'indigo',
      request: () => api.wrapInteraction(id, outcome ? { wrapCodeId: outcome } : {}),
    },
  }[interaction.state];

  const wrapping = interaction.state === 'wrapping';
  const needsOutcome = wrapping && (wrapCodes === undefined || wrapCodes.length > 0);
  const handleClick = () => {
    // While the outcomes load, the server is the judge: it says the same when one is needed.
    if (wrapping && !outcome && wrapCodes && wrapCodes.length > 0) {
      dismissError();
      setOutcomeMissing(true);
      return;
    }
    void run(action.request);
  };
  const message = outcomeMissing ? OUTCOME_REQUIRED_MESSAGE : error;

  // A call rings where the agent takes calls (the Web Connect tab or their phone), not here.
  const ringsElsewhere = interaction.state === 'offered' && interaction.kind === 'voice';
  return (
    <Stack gap="xs" mt="sm">
      <Group gap="sm" align="flex-end">
        {needsOutcome && (
          <Select
            label="Outcome"
            placeholder={
              wrapCodes ? 'Choose an outcome' : outcomesFailed ? 'Outcomes not loaded' : 'Loading outcomes…'
            }
            data={(wrapCodes ?? []).map((code) => ({ value: code.id, label: code.name }))}
            value={outcome}
            onChange={(value) => {
              setOutcome(value);
              setOutcomeMissing(false);
            }}
            disabled={!wrapCodes}
            allowDeselect={false}
            error={outcomeMissing}
            size="sm"
            w={220}
          />
        )}
        {ringsElsewhere ? (
          <Text size="sm" fw={500}>
            Ringing: answer it in your Web Connect tab
          </Text>
        ) : (
          <Button size="sm" color={action.color} loading={pending} onClick={handleClick}>
            {action.label}
          </Button>
        )}
        {interaction.state === 'offered' && interaction.offerExpiresAt && (
          <OfferCountdown expiresAt={interaction.offerExpiresAt} />
        )}
      </Group>
      {message && (
        <Alert role="alert" variant="light" color="red" py="xs">
          {message}
        </Alert>
      )}
    </Stack>
  );
}
