import { Box, Text } from '@mantine/core';
import type { AgentInteraction, InteractionPanel } from '@parley/contract';
import type { ReactNode } from 'react';
import { ElapsedTime } from '../../common/ElapsedTime';

export interface InformationListProps {
  /** The interaction as the realtime channel reports it now. */
  interaction: AgentInteraction;
  panel: InteractionPanel;
}

/** Shown for a field the interaction has no value for. */
const NONE = '—';

/** The name of the timer of the interaction's current activity, in the guide's words. */
function activityTimeLabel(interaction: AgentInteraction): string {
  if (interaction.state === 'wrapping') return 'Wrapping Time';
  return interaction.kind === 'chat' ? 'Chatting Time' : 'Talking Time';
}

/**
 * "View Call Information": the guide's fields as label and value pairs (a description list, each
 * value right after its label). Timers run from the server's moments.
 */
export function InformationList({ interaction, panel }: InformationListProps) {
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
      <Field label="Total Time">
        <ElapsedTime since={panel.enqueuedAt} clock size="sm" />
      </Field>
      <Field label={activityTimeLabel(interaction)}>
        {activitySince && <ElapsedTime since={activitySince} clock size="sm" />}
      </Field>
      <Field label="Campaign">{panel.campaignName}</Field>
      <Field label="Call Type">{panel.callType}</Field>
      <Field label="Customer phone">{panel.customerPhone}</Field>
      <Field label="Platform phone">{panel.platformPhone}</Field>
      <Field label="IVR Data">{panel.ivrData}</Field>
      <Field label="IVR Text">{panel.ivrText}</Field>
      <Field label="Time in queue">
        <ElapsedTime since={panel.enqueuedAt} until={acceptedAt} clock size="sm" />
      </Field>
    </Box>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  const empty = children === null || children === undefined || children === '' || children === false;
  return (
    <>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere' }}>
        {empty ? NONE : children}
      </Text>
    </>
  );
}
