import { Box, Center, Flex, Stack } from '@mantine/core';
import type { AgentInteraction } from '@parley/contract';
import { type ReactNode, useState } from 'react';
import { useCallbackDrafts } from '../../leads/useCallbackDrafts';
import { useCampaignAnnouncements } from '../call-options/useCampaignAnnouncements';
import { EmailThreadIdField } from '../email/EmailThreadIdField';
import { EmailWorkspace } from '../email/EmailWorkspace';
import { hasEmailView, useEmailViews } from '../email/useEmailViews';
import { InformationPanel } from './InformationPanel';
import { InteractionCard } from './InteractionCard';
import { NoInteractions } from './NoInteractions';
import { ScriptArea } from './ScriptArea';
import { useInteractionPanels } from './useInteractionPanels';
import { useOutcomeChoices } from './useOutcomeChoices';

export interface InteractionsAreaProps {
  /** Undefined until the first realtime snapshot arrives. */
  interactions: AgentInteraction[] | undefined;
  recordingControlsVisible: boolean;
  /** The workspace lets agents ask a manager for help (Agent Assist). */
  agentAssistEnabled?: boolean;
  /**
   * Shown in the middle above the script (the Chat Panel), told which interaction is shown and
   * how to show another; also shown when there is none.
   */
  centre?:
    | ((selection: { selectedId: string | undefined; onSelect: (id: string) => void }) => ReactNode)
    | undefined;
  /** Interactions whose cards come under the centre (chats with a tab in the Chat Panel), the rest above it. */
  belowCentre?: ((interaction: AgentInteraction) => boolean) | undefined;
  onSessionExpired: () => void;
}

/** Keeps the information panel in view while the middle column scrolls. */
const STICKY_TOP = 'calc(var(--app-shell-header-offset, 0rem) + var(--mantine-spacing-md))';

/**
 * The agent's active interactions, as the server reports them; in the middle the script of the
 * chosen one (the first unless the agent picks another card), on the right its information and notes.
 */
export function InteractionsArea({
  interactions,
  recordingControlsVisible,
  agentAssistEnabled = false,
  centre,
  belowCentre,
  onSessionExpired,
}: InteractionsAreaProps) {
  const [chosenId, setChosenId] = useState<string | undefined>(undefined);
  const panels = useInteractionPanels(interactions ?? [], onSessionExpired);
  const outcomes = useOutcomeChoices(interactions ?? [], onSessionExpired);
  const announcements = useCampaignAnnouncements(interactions ?? [], onSessionExpired);
  const callbacks = useCallbackDrafts(interactions ?? []);
  const emails = useEmailViews(interactions ?? [], onSessionExpired);

  if (!interactions || interactions.length === 0) {
    return (
      <>
        {centre && <Box maw={760}>{centre({ selectedId: undefined, onSelect: setChosenId })}</Box>}
        <Center component="section" aria-label="Interactions" flex={1}>
          <NoInteractions />
        </Center>
      </>
    );
  }
  const selected = interactions.find((i) => i.id === chosenId) ?? interactions[0];
  if (!selected) return null;
  const several = interactions.length > 1;
  const load = panels.get(selected.id);
  const renderCard = (interaction: AgentInteraction) => (
    <InteractionCard
      key={interaction.id}
      interaction={interaction}
      recordingControlsVisible={recordingControlsVisible}
      agentAssistEnabled={agentAssistEnabled}
      announcements={announcements(interaction.campaignId)}
      customerPhone={panels.get(interaction.id).panel?.customerPhone}
      wrapCodes={panels.get(interaction.id).panel?.wrapCodes}
      outcome={outcomes.get(interaction.id, panels.get(interaction.id).panel).value}
      callback={callbacks.get(interaction.id)}
      selection={
        several
          ? { selected: interaction.id === selected.id, onSelect: () => setChosenId(interaction.id) }
          : undefined
      }
      onSessionExpired={onSessionExpired}
    />
  );
  return (
    <Flex direction={{ base: 'column', md: 'row' }} gap="md" align={{ base: 'stretch', md: 'flex-start' }}>
      <Stack gap="md" flex={1} miw={0} maw={{ md: 760 }}>
        <Stack component="section" aria-label="Interactions" gap="sm">
          {interactions.filter((interaction) => !belowCentre?.(interaction)).map(renderCard)}
          {centre?.({ selectedId: selected.id, onSelect: setChosenId })}
          {belowCentre && interactions.filter(belowCentre).map(renderCard)}
        </Stack>
        {hasEmailView(selected) ? (
          <EmailWorkspace
            key={selected.id}
            interaction={selected}
            load={emails.get(selected.id)}
            showLabel={several}
            wrapCodes={load.panel?.wrapCodes}
            outcome={outcomes.get(selected.id, load.panel).value}
            onRetry={() => emails.retry(selected.id)}
            onDraftChanged={(draft) => emails.draftChanged(selected.id, draft)}
            onSessionExpired={onSessionExpired}
          />
        ) : (
          <ScriptArea
            interaction={selected}
            load={load}
            showLabel={several}
            onRetry={() => panels.retry(selected.id)}
          />
        )}
      </Stack>
      <Box
        w={{ base: '100%', md: 340 }}
        pos={{ base: 'static', md: 'sticky' }}
        top={STICKY_TOP}
        style={{ flexShrink: 0 }}
      >
        <InformationPanel
          key={selected.id}
          interaction={selected}
          load={load}
          onRetry={() => panels.retry(selected.id)}
          onNotesSaved={(saved) => panels.notesSaved(selected.id, saved)}
          outcome={outcomes.get(selected.id, load.panel)}
          onChooseOutcome={(value) => outcomes.choose(selected.id, value)}
          callback={callbacks.get(selected.id)}
          onCallbackChange={(draft) => callbacks.change(selected.id, draft)}
          onLeadChanged={(lead) => panels.leadChanged(selected.id, lead)}
          onSessionExpired={onSessionExpired}
          extraFields={
            selected.kind === 'email' ? (
              <EmailThreadIdField threadId={emails.get(selected.id).view?.threadId} />
            ) : undefined
          }
        />
      </Box>
    </Flex>
  );
}
