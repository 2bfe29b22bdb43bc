import { Box, Text } from '@mantine/core';
import type { AgentInteraction, InteractionPanel } from '@parley/contract';
import type { ReactNode } from 'react';
import { ElapsedTime } from '../../common/ElapsedTime';
import { LeadInformationRows } from '../../leads/LeadInformationRows';
import { leadNotAnswered } from '../../leads/leadCall';
import { InformationField as Field } from './InformationField';

export interface InformationListProps {
  /** The interaction as the realtime channel reports it now. */
  interaction: AgentInteraction;
  panel: InteractionPanel;
  /** Fields of the interaction's kind, after its ID (an email's "Email thread ID"). */
  extraFields?: ReactNode;
}

/**
 * The name of the timer of the interaction's current activity, in the guide's words; a lead's, as
 * its card says, is the time it has been presented until a call on it is answered.
 */
function activityTimeLabel(interaction: AgentInteraction): string {
  if (interaction.state === 'wrapping') return 'Wrapping Time';
  if (leadNotAnswered(interaction)) return 'Presented Time';
  if (interaction.kind === 'email') return 'Working Time';
  return interaction.kind === 'chat' ? 'Chatting Time' : 'Talking Time';
}

/**
 * "View Call Information": the guide's fields as label and value pairs (a description list, each
 * value right after its label). Timers run from the server's moments.
 */
export function InformationList({ interaction, panel, extraFields }: InformationListProps) {
  // The realtime state is ahead of a panel still being fetched again: its `since` is when the state began.
  const activitySince =
    interaction.state === 'busy'
      ? (panel.acceptedAt ?? interaction.since)
      : interaction.state === 'wrapping'
        ? (panel.endedAt ?? interaction.since)
        : undefined;
  const acceptedAt = interaction.state === 'offered' ? null : (panel.acceptedAt ?? interaction.since);
  return (
    <Box
      component="dl"
      m={0}
      style={{ display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: 12, rowGap: 6 }}
    >
      <Field label="Interaction ID">
        <Text component="span" size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {panel.id}
        </Text>
      </Field>
      {extraFields}
      <Field label="Total Time">
        <ElapsedTime since={panel.enqueuedAt} clock size="sm" />
      </Field>
      <Field label={activityTimeLabel(interaction)}>
        {activitySince && <ElapsedTime since={activitySince} clock size="sm" />}
      </Field>
      <Field label="Campaign">{panel.campaignName}</Field>
      <Field label="Call Type">{panel.callType}</Field>
      {/* An email has no phone and no IVR: its Email thread ID stands in their place. */}
      {interaction.kind !== 'email' && (
        <>
          <Field label="Customer phone">{panel.customerPhone}</Field>
          <Field label="Platform phone">{panel.platformPhone}</Field>
          <Field label="IVR Data">{panel.ivrData}</Field>
          <Field label="IVR Text">{panel.ivrText}</Field>
        </>
      )}
      <Field label="Time in queue">
        <ElapsedTime since={panel.enqueuedAt} until={acceptedAt} clock size="sm" />
      </Field>
      {/* "Pre-chat survey fields": what the contact answered before the chat, in the survey's order. */}
      {panel.chat?.survey.map((answer) => (
        <Field key={answer.key} label={answer.label}>
          {answer.value}
        </Field>
      ))}
      {panel.lead && <LeadInformationRows lead={panel.lead} dial={interaction.dial} />}
    </Box>
  );
}
