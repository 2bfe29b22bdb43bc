import { Center, Stack } from '@mantine/core';
import type { AgentInteraction } from '@parley/contract';
import { InteractionCard } from './InteractionCard';
import { NoInteractions } from './NoInteractions';

export interface InteractionsAreaProps {
  /** Undefined until the first realtime snapshot arrives. */
  interactions: AgentInteraction[] | undefined;
  recordingControlsVisible: boolean;
  onSessionExpired: () => void;
}

/** The agent's active interactions, as the server reports them. */
export function InteractionsArea({
  interactions,
  recordingControlsVisible,
  onSessionExpired,
}: InteractionsAreaProps) {
  if (!interactions || interactions.length === 0) {
    return (
      <Center component="section" aria-label="Interactions" flex={1}>
        <NoInteractions />
      </Center>
    );
  }
  return (
    <Stack component="section" aria-label="Interactions" gap="sm" maw={720}>
      {interactions.map((interaction) => (
        <InteractionCard
          key={interaction.id}
          interaction={interaction}
          recordingControlsVisible={recordingControlsVisible}
          onSessionExpired={onSessionExpired}
        />
      ))}
    </Stack>
  );
}
