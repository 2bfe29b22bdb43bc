import { Divider, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { AgentInteraction, InteractionNotesBody, Lead } from '@parley/contract';
import { type ReactNode, useId } from 'react';
import { CallbackPicker } from '../../leads/CallbackPicker';
import type { CallbackDraft } from '../../leads/callbackDraft';
import { LeadNumbers } from '../../leads/LeadNumbers';
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
  /** A lead's callback, chosen under a callback Outcome. */
  callback: CallbackDraft;
  onCallbackChange: (draft: CallbackDraft) => void;
  /** The agent changed the lead's numbers. */
  onLeadChanged: (lead: Lead) => void;
  onSessionExpired: () => void;
  /** Fields of the interaction's kind, after its ID (an email's "Email thread ID"). */
  extraFields?: ReactNode;
}

/**
 * "Interaction information & notes", on the right of the toolbar, with the Outcome at the bottom;
 * a lead's phone numbers above it all, and its callback's date and time under a callback Outcome.
 */
export function InformationPanel({
  interaction,
  load,
  onRetry,
  onNotesSaved,
  outcome,
  onChooseOutcome,
  callback,
  onCallbackChange,
  onLeadChanged,
  onSessionExpired,
  extraFields,
}: InformationPanelProps) {
  const headingId = useId();
  const { panel, error } = load;
  // From the moment the conversation starts until it is wrapped; only a campaign with outcomes.
  const outcomeShown =
    (interaction.state === 'busy' || interaction.state === 'wrapping') && (panel?.wrapCodes.length ?? 0) > 0;
  const lead = panel?.lead ?? null;
  const callbackShown =
    lead !== null && panel?.wrapCodes.find((code) => code.id === outcome.value)?.schedulesCallback === true;
  const information = (
    <Paper component="section" aria-labelledby={headingId} withBorder radius="md" p="md">
      <Title id={headingId} order={2} size="h5">
        Interaction information
      </Title>
      <Text size="sm" c="dimmed" truncate="end" mb="sm">
        {interaction.label}
      </Text>
      {panel ? (
        <Stack gap="sm">
          <InformationList interaction={interaction} panel={panel} extraFields={extraFields} />
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
              {callbackShown && <CallbackPicker draft={callback} onChange={onCallbackChange} />}
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
  // One tree with or without the lead's numbers, so the notes are not drawn afresh when they appear.
  return (
    <Stack gap="md">
      {lead && (
        <LeadNumbers
          interaction={interaction}
          lead={lead}
          onLeadChanged={onLeadChanged}
          onSessionExpired={onSessionExpired}
        />
      )}
      {information}
    </Stack>
  );
}
