import { Box, Button, Group, Text } from '@mantine/core';
import type { LeadSummary } from '@parley/contract';
import { useId } from 'react';
import { LeadSummaryDetails } from '../../leads/LeadSummaryDetails';

export interface LeadManagerItemProps {
  lead: LeadSummary;
  /** This lead is being set as the next contact now. */
  choosing: boolean;
  /** Another lead is being set: this one waits. */
  disabled: boolean;
  onChoose: () => void;
}

/**
 * A lead found: its name, numbers, campaign and last outcome, and "Set as next". One another agent
 * is working, or one that is completed, cannot be chosen, and says why.
 */
export function LeadManagerItem({ lead, choosing, disabled, onChoose }: LeadManagerItemProps) {
  const nameId = useId();
  const detailsId = useId();
  const unavailable = lead.taken || lead.done;
  return (
    <Box
      component="li"
      aria-labelledby={nameId}
      px={4}
      py={6}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Text id={nameId} size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
        {lead.label}
      </Text>
      <LeadSummaryDetails lead={lead} id={detailsId} />
      <Group justify="flex-end" mt={4}>
        <Button
          size="compact-xs"
          variant="light"
          aria-label={`Set ${lead.label} as next contact`}
          aria-describedby={unavailable ? detailsId : undefined}
          loading={choosing}
          disabled={unavailable || disabled}
          onClick={onChoose}
        >
          Set as next
        </Button>
      </Group>
    </Box>
  );
}
