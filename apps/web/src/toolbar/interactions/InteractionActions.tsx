import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { AgentInteraction } from '@parley/contract';
import { api } from '../../api';
import { useApiAction } from '../useApiAction';
import { interactionKinds } from './interactionKinds';
import { OfferCountdown } from './OfferCountdown';

export interface InteractionActionsProps {
  interaction: AgentInteraction;
  onSessionExpired: () => void;
}

/** The one control that moves an interaction on: Accept, then End or Hang Up, then Wrap. */
export function InteractionActions({ interaction, onSessionExpired }: InteractionActionsProps) {
  const { pending, error, run } = useApiAction(onSessionExpired);
  const kind = interactionKinds[interaction.kind];
  const { id } = interaction;

  const action = {
    offered: { label: 'Accept', color: 'green', request: () => api.acceptInteraction(id) },
    busy: {
      label: kind.endLabel,
      color: interaction.kind === 'voice' ? 'red' : 'gray',
      request: () => api.endInteraction(id),
    },
    wrapping: { label: kind.wrapLabel, color: 'indigo', request: () => api.wrapInteraction(id) },
  }[interaction.state];

  // A call rings where the agent takes calls (the Web Connect tab or their phone), not here.
  const ringsElsewhere = interaction.state === 'offered' && interaction.kind === 'voice';
  return (
    <Stack gap="xs" mt="sm">
      <Group gap="sm">
        {ringsElsewhere ? (
          <Text size="sm" fw={500}>
            Ringing: answer it in your Web Connect tab
          </Text>
        ) : (
          <Button size="sm" color={action.color} loading={pending} onClick={() => run(action.request)}>
            {action.label}
          </Button>
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
    </Stack>
  );
}
