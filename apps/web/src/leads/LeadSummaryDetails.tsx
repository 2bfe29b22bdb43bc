import { Text } from '@mantine/core';
import type { LeadSummary } from '@parley/contract';

export interface LeadSummaryDetailsProps {
  lead: LeadSummary;
  id?: string;
}

/** What tells one lead found from another: its numbers, its campaign and its last outcome. */
export function LeadSummaryDetails({ lead, id }: LeadSummaryDetailsProps) {
  return (
    <Text id={id} component="span" size="xs" c="dimmed" display="block">
      {lead.numbers.length > 0 && (
        <Text component="span" inherit ff="monospace" display="block" style={{ overflowWrap: 'anywhere' }}>
          {lead.numbers.join(', ')}
        </Text>
      )}
      <Text component="span" inherit display="block">
        {lead.campaignName} · Last Outcome: {lead.lastOutcome}
      </Text>
      {(lead.done || lead.taken) && (
        <Text component="span" inherit display="block" fw={500}>
          {lead.done ? 'Completed' : 'Another agent is working this lead'}
        </Text>
      )}
    </Text>
  );
}
