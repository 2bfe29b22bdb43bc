import { Alert, Radio, Stack, Text } from '@mantine/core';
import { LeadSummaryDetails } from '../../leads/LeadSummaryDetails';
import type { LeadSearch } from '../../leads/useLeadSearch';

export interface ConvertLeadResultsProps {
  search: LeadSearch;
  /** The lead chosen to convert the call to, if any. */
  chosen: string | null;
  onChoose: (leadId: string) => void;
  disabled: boolean;
}

/** What "Search Leads" found: one lead to choose (one another agent works cannot be), or why none. */
export function ConvertLeadResults({ search, chosen, onChoose, disabled }: ConvertLeadResultsProps) {
  return (
    <>
      {search.error && (
        <Alert role="alert" variant="light" color="red" py="xs" title="Could not search the leads">
          {search.error}
        </Alert>
      )}
      <Text role="status" size="sm" c="dimmed">
        {search.status === 'searching'
          ? 'Searching…'
          : search.status === 'done' && search.leads.length === 0
            ? 'No leads found'
            : ''}
      </Text>
      {search.leads.length > 0 && (
        <Radio.Group label="Leads found" value={chosen} onChange={onChoose}>
          <Stack gap="sm" mt="xs" mah={280} style={{ overflowY: 'auto' }}>
            {search.leads.map((lead) => (
              <Radio
                key={lead.id}
                value={lead.id}
                label={lead.label}
                description={<LeadSummaryDetails lead={lead} />}
                // The server would refuse it (LEAD_TAKEN): the description says why.
                disabled={disabled || lead.taken}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}
    </>
  );
}
