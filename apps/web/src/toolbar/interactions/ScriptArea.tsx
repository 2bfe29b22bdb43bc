import { Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { AgentInteraction } from '@parley/contract';
import { useId } from 'react';
import { PanelLoadFailed } from './PanelLoadFailed';
import type { PanelLoad } from './useInteractionPanels';

export interface ScriptAreaProps {
  interaction: AgentInteraction;
  load: PanelLoad;
  /** Several interactions are on the toolbar: say which one the script is for. */
  showLabel: boolean;
  onRetry: () => void;
}

/** "Script Area": the campaign's script for the interaction, with its fields filled in. */
export function ScriptArea({ interaction, load, showLabel, onRetry }: ScriptAreaProps) {
  const headingId = useId();
  const { panel, error } = load;
  return (
    <Paper component="section" aria-labelledby={headingId} withBorder radius="md" p="md">
      <Group justify="space-between" wrap="nowrap" gap="sm" mb="sm">
        <Title id={headingId} order={2} size="h5">
          Script
        </Title>
        {showLabel && (
          <Text size="sm" c="dimmed" truncate="end">
            {interaction.label}
          </Text>
        )}
      </Group>
      {panel ? (
        panel.script.trim() ? (
          <Text style={{ whiteSpace: 'pre-wrap' }}>{panel.script}</Text>
        ) : (
          <Text c="dimmed">This campaign has no script.</Text>
        )
      ) : error ? (
        <PanelLoadFailed error={error} onRetry={onRetry} />
      ) : (
        <Stack gap="xs" role="status" aria-busy="true" aria-label="Loading the script">
          <Skeleton h={12} />
          <Skeleton h={12} w="70%" />
        </Stack>
      )}
    </Paper>
  );
}
