import { Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import type { AgentInteraction } from '@parley/contract';
import { useId } from 'react';
import { ElapsedTime } from '../../common/ElapsedTime';
import { CallControls } from './CallControls';
import { InteractionActions } from './InteractionActions';
import { interactionKinds } from './interactionKinds';

export interface InteractionCardProps {
  interaction: AgentInteraction;
  recordingControlsVisible: boolean;
  onSessionExpired: () => void;
}

/** One active interaction: what it is, where it stands, for how long, and its next control. */
export function InteractionCard({
  interaction,
  recordingControlsVisible,
  onSessionExpired,
}: InteractionCardProps) {
  const labelId = useId();
  const kind = interactionKinds[interaction.kind];
  const stateText = { offered: 'Offered', busy: kind.busyText, wrapping: 'Wrapping' }[interaction.state];

  return (
    <Card component="article" aria-labelledby={labelId} withBorder radius="md" padding="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <ThemeIcon size="lg" variant="light" color={kind.color} role="img" aria-label={kind.label}>
            <kind.Icon size={20} />
          </ThemeIcon>
          <Stack gap={0} miw={0}>
            <Text id={labelId} component="h3" fw={600} size="md" m={0} truncate="end">
              {interaction.label}
            </Text>
            <Text size="sm" c="dimmed" truncate="end">
              {interaction.campaignName}
            </Text>
          </Stack>
        </Group>
        <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
          <Text size="sm" fw={600}>
            {stateText}
          </Text>
          <ElapsedTime since={interaction.since} description={`${stateText} for`} size="sm" c="dimmed" />
        </Stack>
      </Group>
      {interaction.kind === 'voice' && interaction.state === 'busy' && (
        <Group justify="flex-end" mt="xs">
          <CallControls
            call={interaction}
            recordingControlsVisible={recordingControlsVisible}
            onSessionExpired={onSessionExpired}
          />
        </Group>
      )}
      {/* A new state brings new controls: keyed so an old error or spinner does not linger. */}
      <InteractionActions
        key={interaction.state}
        interaction={interaction}
        onSessionExpired={onSessionExpired}
      />
    </Card>
  );
}
