import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { LEAD_QUERY_MAX_LENGTH, LEAD_QUERY_MIN_LENGTH, useLeadSearch } from '../../leads/useLeadSearch';
import { CallDialog } from '../CallDialog';
import { ListLoadFailed } from '../transfer/ListLoadFailed';
import { useServerList } from '../transfer/useServerList';
import { useApiAction } from '../useApiAction';
import { ConvertLeadResults } from './ConvertLeadResults';
import { searchableNumber } from './convertToOutbound';

/** Said when the workspace's setting offers no outbound campaign to convert to. */
export const CONVERT_NOT_AVAILABLE = 'Convert to Outbound is not available in this workspace';

export interface ConvertToOutboundDialogProps {
  callId: string;
  /** The caller's number (the information panel's Customer phone), to search by at first. */
  customerPhone: string | null | undefined;
  onClose: () => void;
  onSessionExpired: () => void;
}

/**
 * The guide's Convert to Outbound (section 10): find the lead by a phone number on it and its
 * campaign ("Search Leads"), select it, Convert. The call goes on as an interaction of the lead on
 * its outbound campaign (its script, fields and wrap), which arrives over the realtime channel.
 */
export function ConvertToOutboundDialog({
  callId,
  customerPhone,
  onClose,
  onSessionExpired,
}: ConvertToOutboundDialogProps) {
  const campaigns = useServerList(() => api.convertCampaigns(callId), onSessionExpired);
  const search = useLeadSearch((q, campaignId) => api.convertLeads(callId, q, campaignId), onSessionExpired);
  const convert = useApiAction(onSessionExpired);
  const [number, setNumber] = useState(() => searchableNumber(customerPhone));
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const only = campaigns.items?.length === 1 ? campaigns.items[0]?.id : undefined;
  const campaign = campaignId ?? only ?? null;
  const searchable = number.trim().length >= LEAD_QUERY_MIN_LENGTH;

  function handleSearch(event: FormEvent) {
    event.preventDefault();
    if (!searchable || convert.pending) return;
    setChosen(null);
    convert.dismissError();
    search.search(number, campaign);
  }

  function handleConvert() {
    if (!chosen) return;
    void convert.run(async () => {
      await api.convertCall(callId, chosen);
      onClose();
    });
  }

  return (
    <CallDialog onClose={onClose} title="Convert to Outbound">
      {campaigns.error ? (
        <ListLoadFailed what="the outbound campaigns" error={campaigns.error} />
      ) : campaigns.items?.length === 0 ? (
        <Text size="sm">{CONVERT_NOT_AVAILABLE}</Text>
      ) : (
        <form onSubmit={handleSearch} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              Find the lead by a phone number on it and its campaign: the call goes on as the lead's.
            </Text>
            <TextInput
              label="Phone number"
              type="tel"
              autoComplete="off"
              maxLength={LEAD_QUERY_MAX_LENGTH}
              value={number}
              onChange={(event) => setNumber(event.currentTarget.value)}
              disabled={convert.pending}
              data-autofocus
            />
            <Select
              label="Campaign"
              placeholder={campaigns.items ? 'All campaigns' : 'Loading campaigns…'}
              data={(campaigns.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={campaign}
              onChange={setCampaignId}
              clearable={campaigns.items !== undefined && campaigns.items.length > 1}
              disabled={!campaigns.items || convert.pending}
            />
            <Group justify="flex-end">
              <Button
                type="submit"
                variant="default"
                disabled={!searchable || convert.pending}
                loading={search.status === 'searching'}
              >
                Search Leads
              </Button>
            </Group>
            <ConvertLeadResults
              search={search}
              chosen={chosen}
              onChoose={(leadId) => {
                setChosen(leadId);
                convert.dismissError();
              }}
              disabled={convert.pending}
            />
            {convert.error && (
              <Alert role="alert" variant="light" color="red" py="xs">
                {convert.error}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button onClick={handleConvert} disabled={!chosen || convert.pending} loading={convert.pending}>
                Convert
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </CallDialog>
  );
}
