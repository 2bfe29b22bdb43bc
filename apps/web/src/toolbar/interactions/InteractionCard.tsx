import { Card, Group, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import type { AgentInteraction, Announcement } from '@parley/contract';
import IconSpeakerphone from '@tabler/icons-react/icons/IconSpeakerphone';
import { useId } from 'react';
import { ElapsedTime } from '../../common/ElapsedTime';
import { DialProgressNotice } from '../../dialler/DialProgressNotice';
import { isConnecting, isTalking } from '../../dialler/dialProgress';
import type { CallbackDraft } from '../../leads/callbackDraft';
import { isLeadInteraction, leadCallInProgress, offersLeadWrap } from '../../leads/leadCall';
import { AssistRequestedNotice } from '../assist/AssistRequestedNotice';
import { ConsultLines } from '../transfer/ConsultLines';
import { CallControls } from './CallControls';
import { InteractionActions, type WrapCode } from './InteractionActions';
import { interactionKinds } from './interactionKinds';

export interface InteractionCardProps {
  interaction: AgentInteraction;
  recordingControlsVisible: boolean;
  /** The workspace lets agents ask a manager for help (Agent Assist). */
  agentAssistEnabled?: boolean;
  /** The campaign's announcements (a call's Options menu); undefined until loaded. */
  announcements?: Announcement[] | undefined;
  /** The caller's number, from the information panel once loaded (Convert to Outbound searches by it). */
  customerPhone?: string | null | undefined;
  /** The campaign's outcomes for wrapping; undefined until loaded. */
  wrapCodes: WrapCode[] | undefined;
  /** The Outcome chosen in the information panel, or null while none is. */
  outcome: string | null;
  /** A lead's callback, chosen in the information panel under a callback Outcome. */
  callback?: CallbackDraft | undefined;
  /**
   * With several interactions: whether this one's script and information are shown, and how to
   * show them. Without, the card is not a choice.
   */
  selection?: { selected: boolean; onSelect: () => void };
  onSessionExpired: () => void;
}

/** One active interaction: what it is, where it stands, for how long, and its next control. */
export function InteractionCard({
  interaction,
  recordingControlsVisible,
  agentAssistEnabled = false,
  announcements,
  customerPhone,
  wrapCodes,
  outcome,
  callback,
  selection,
  onSessionExpired,
}: InteractionCardProps) {
  const labelId = useId();
  const kind = interactionKinds[interaction.kind];
  // A call on hold says so, timed from when it was put on hold.
  const held = interaction.state === 'busy' && interaction.held === true;
  // A call the agent placed is "Calling" until the far end answers.
  const connecting = interaction.state === 'busy' && isConnecting(interaction.dial);
  // A lead is presented to the agent until one of its numbers is called (and between calls).
  const lead = isLeadInteraction(interaction);
  const presented = lead && interaction.state === 'busy' && !leadCallInProgress(interaction);
  const stateText = held
    ? 'On hold'
    : connecting
      ? 'Calling'
      : presented
        ? 'Presented'
        : { offered: 'Offered', busy: kind.busyText, wrapping: 'Wrapping' }[interaction.state];
  const stateSince = held ? (interaction.heldSince ?? interaction.since) : interaction.since;
  const selected = selection?.selected === true;
  // The call controls wait for someone to talk to: a placed call shows them once answered.
  const liveCall = isTalking(interaction) && !presented;

  return (
    <Card
      component="article"
      aria-labelledby={labelId}
      withBorder
      radius="md"
      padding="md"
      // Any click on a card (its controls included) shows that interaction's script and information.
      onClick={selection?.onSelect}
      style={
        selection && {
          cursor: selected ? undefined : 'pointer',
          ...(selected && {
            borderColor: 'var(--mantine-primary-color-filled)',
            boxShadow: '0 0 0 1px var(--mantine-primary-color-filled)',
          }),
        }
      }
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <ThemeIcon size="lg" variant="light" color={kind.color} role="img" aria-label={kind.label}>
            <kind.Icon size={20} />
          </ThemeIcon>
          <Stack gap={0} miw={0}>
            <Text id={labelId} component="h3" fw={600} size="md" m={0} truncate="end">
              {selection ? (
                <UnstyledButton
                  fw={600}
                  aria-current={selected ? 'true' : undefined}
                  onClick={selection.onSelect}
                  style={{ textDecoration: selected ? undefined : 'underline dotted' }}
                >
                  {interaction.label}
                </UnstyledButton>
              ) : (
                interaction.label
              )}
            </Text>
            <Text size="sm" c="dimmed" truncate="end">
              {interaction.campaignName}
            </Text>
            {interaction.transferredBy && (
              <Text size="sm" c="dimmed" truncate="end">
                Transferred by {interaction.transferredBy}
              </Text>
            )}
          </Stack>
        </Group>
        <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
          <Text size="sm" fw={600}>
            {stateText}
          </Text>
          <ElapsedTime since={stateSince} description={`${stateText} for`} size="sm" c="dimmed" />
        </Stack>
      </Group>
      {interaction.dial && <DialProgressNotice dial={interaction.dial} />}
      {liveCall && interaction.announcement && (
        <Group gap={6} mt="xs" wrap="nowrap">
          <IconSpeakerphone size={16} aria-hidden />
          <Text role="status" size="sm" fw={500}>
            Playing announcement: {interaction.announcement}
          </Text>
        </Group>
      )}
      {liveCall && interaction.assistRequested && <AssistRequestedNotice />}
      {liveCall && (
        <Group justify="flex-end" mt="xs">
          <CallControls
            call={interaction}
            recordingControlsVisible={recordingControlsVisible}
            agentAssistEnabled={agentAssistEnabled}
            announcements={announcements}
            customerPhone={customerPhone}
            onSessionExpired={onSessionExpired}
          />
        </Group>
      )}
      {liveCall && interaction.consult && (
        <ConsultLines call={interaction} consult={interaction.consult} onSessionExpired={onSessionExpired} />
      )}
      {/*
        A new state brings new controls: keyed so an old error or spinner does not linger. A lead's
        wrap keeps its key from presented to wrapping, as its wrap ends it first: a wrap refused
        after that end is still said.
      */}
      <InteractionActions
        key={
          offersLeadWrap(interaction) ? 'lead-wrap' : `${interaction.state}:${interaction.dial?.state ?? ''}`
        }
        interaction={interaction}
        wrapCodes={wrapCodes}
        outcome={outcome}
        callback={callback}
        onSessionExpired={onSessionExpired}
      />
    </Card>
  );
}
