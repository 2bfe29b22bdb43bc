import { Alert, Select, Stack, Text, TextInput } from '@mantine/core';
import type { Assignments, CampaignKind, LeadSummary } from '@parley/contract';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import {
  LEAD_QUERY_MAX_LENGTH,
  LEAD_QUERY_MIN_LENGTH,
  type LeadSearch,
  useLeadSearch,
} from '../../leads/useLeadSearch';
import { useApiAction } from '../useApiAction';
import { LeadManagerItem } from './LeadManagerItem';
import { SidePanelSection } from './SidePanelSection';

/** How long after the agent stops typing the search is sent: a name typed at speed is one search. */
export const LEAD_SEARCH_DELAY_MS = 300;

const OUTBOUND_KINDS: readonly CampaignKind[] = ['outbound_preview', 'outbound_predictive'];

export interface LeadManagerProps {
  /** The agent's campaigns: the outbound ones are searched, and may be filtered to one. */
  campaigns: Assignments['campaigns'];
  onSessionExpired: () => void;
}

/**
 * The side panel's Lead Manager (guide overview, 7.3): the leads of the agent's outbound campaigns
 * found by name or number, one of which the agent sets as their next contact (presented at once
 * when they are Available with nothing on the toolbar, else when they next are).
 */
export function LeadManager({ campaigns, onSessionExpired }: LeadManagerProps) {
  const outbound = campaigns.filter((c) => OUTBOUND_KINDS.includes(c.kind));
  const [query, setQuery] = useState('');
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const { search, clear, ...found } = useLeadSearch((q, c) => api.searchLeads(q, c), onSessionExpired);
  const choose = useApiAction(onSessionExpired);
  const [chosenId, setChosenId] = useState<string | undefined>(undefined);
  const [nextContact, setNextContact] = useState<string | undefined>(undefined);
  // A campaign the agent is no longer on filters nothing.
  const filter = outbound.some((c) => c.id === campaignId) ? campaignId : null;

  useEffect(() => {
    if (query.trim().length < LEAD_QUERY_MIN_LENGTH) {
      clear();
      return;
    }
    const timer = window.setTimeout(() => search(query, filter), LEAD_SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [query, filter, search, clear]);

  function handleChoose(lead: LeadSummary) {
    setChosenId(lead.id);
    setNextContact(undefined);
    void choose.run(async () => {
      await api.chooseLead(lead.id);
      setNextContact(lead.label);
    });
  }
  if (outbound.length === 0)
    return (
      <SidePanelSection
        title="Lead Manager"
        count={0}
        emptyText="You are on no outbound campaign to find leads in."
      >
        {null}
      </SidePanelSection>
    );

  return (
    <SidePanelSection
      title="Lead Manager"
      count={found.leads.length}
      emptyText={emptyText(found.status, query)}
      listLabel="Leads found"
      before={
        <Stack gap={6} px={4}>
          <TextInput
            type="search"
            label="Search leads"
            description="By name or number"
            size="xs"
            autoComplete="off"
            maxLength={LEAD_QUERY_MAX_LENGTH}
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
          />
          {outbound.length > 1 && (
            <Select
              label="Campaign"
              size="xs"
              placeholder="All campaigns"
              data={outbound.map((c) => ({ value: c.id, label: c.name }))}
              value={filter}
              onChange={setCampaignId}
              clearable
            />
          )}
          <Text role="status" size="sm" fw={500} c="green.8">
            {nextContact && `${nextContact} is your next contact`}
          </Text>
          {(choose.error ?? found.error) && (
            <Alert role="alert" variant="light" color="red" py="xs">
              {choose.error ?? found.error}
            </Alert>
          )}
        </Stack>
      }
    >
      {found.leads.map((lead) => (
        <LeadManagerItem
          key={lead.id}
          lead={lead}
          choosing={choose.pending && chosenId === lead.id}
          disabled={choose.pending}
          onChoose={() => handleChoose(lead)}
        />
      ))}
    </SidePanelSection>
  );
}

/** What the section says while no lead is listed. */
function emptyText(status: LeadSearch['status'], query: string): string | undefined {
  if (status === 'searching') return 'Searching…';
  if (status === 'done') return 'No leads found.';
  if (status === 'idle' && query.trim().length > 0 && query.trim().length < LEAD_QUERY_MIN_LENGTH)
    return `Type at least ${LEAD_QUERY_MIN_LENGTH} characters.`;
  return undefined;
}
