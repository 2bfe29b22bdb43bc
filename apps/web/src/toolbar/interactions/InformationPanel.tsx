import { Divider, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { AgentInteraction, InteractionNotesBody } from '@parley/contract';
import { useId } from 'react';
import { InformationList } from './InformationList';
import { InteractionNotes } from './InteractionNotes';
import { OutcomeSelect } from './OutcomeSelect';
import { PanelLoadFailed } from './PanelLoadFailed';
import type { PanelLoad } from './useInteractionPanels';
import type { OutcomeChoice } from './useOutcomeChoices';

export interface InformationPanelProps {
  interaction: AgentInteraction;
  load: PanelLoad;
  onRetry: () => void;
  onNotesSaved: (saved: InteractionNotesBody) => void;
  /** The interaction's Outcome as chosen so far. */
  outcome: OutcomeChoice;
  onChooseOutcome: (value: string | null) => void;
  onSessionExpired: () => void;
}

/** "Interaction information & notes", on the right of the toolbar, with the Outcome at the bottom. */
export function InformationPanel({
  interaction,
  load,
  onRetry,
  onNotesSaved,
  outcome,
  onChooseOutcome,
  onSessionExpired,
}: InformationPanelProps) {
  const headingId = useId();
  const { panel, error } = load;
  // From the moment the conversation starts until it is wrapped; only a campaign with outcomes.
  const outcomeShown =
    (interaction.state === 'busy' || interaction.state === 'wrapping') && (panel?.wrapCodes.length ?? 0) > 0;
  return (
    <Paper component="section" aria-labelledby={headingId} withBorder radius="md" p="md">
      <Title id={headingId} order={2} size="h5">
        Interaction information
      </Title>
      <Text size="sm" c="dimmed" truncate="end" mb="sm">
        {interaction.label}
      </Text>
      {panel ? (
        <Stack gap="sm">
          <InformationList interaction={interaction} panel={panel} />
          <Divider />
          <InteractionNotes
            interactionId={interaction.id}
            server={{ notes: panel.notes, transferNotes: panel.transferNotes }}
            onSaved={onNotesSaved}
            onSessionExpired={onSessionExpired}
          />
          {outcomeShown && (
            <>
              <Divider />
              <OutcomeSelect wrapCodes={panel.wrapCodes} choice={outcome} onChoose={onChooseOutcome} />
            </>
          )}
        </Stack>
      ) : error ? (
        <PanelLoadFailed error={error} onRetry={onRetry} />
      ) : (
        <Stack gap="xs" role="status" aria-busy="true" aria-label="Loading the interaction information">
          {[0, 1, 2, 3, 4, 5].map((row) => (
            <Skeleton key={row} h={14} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}
