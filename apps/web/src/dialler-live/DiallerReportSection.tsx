import { Alert, Anchor, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { DiallerCampaignStats } from '@parley/contract';
import { useState } from 'react';
import { api } from '../api';
import { capLevel, lastSevenDays, percent } from './diallerLabels';
import { useDiallerReport } from './useDiallerReport';

export interface DiallerReportSectionProps {
  workspaceId: string;
  campaign: Pick<DiallerCampaignStats, 'campaignId' | 'name' | 'cap'>;
  nowMs: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const COLUMNS = [
  'Day (UTC)',
  'Dialled',
  'Answered',
  'Connected',
  'Abandoned',
  'Abandon rate',
  'Messages played',
  '24 hours',
  '30 days',
  'Longest abandoned wait',
  'Decisions',
  'Settings changes',
];

/** A rolling window's rate in the report, worded when it is near the cap. */
function windowRate(rate: number, cap: number): string {
  return capLevel(rate, cap) === 'ok' ? percent(rate) : `${percent(rate)} (near the cap)`;
}

/** The compliance report of one campaign for a range of days, and its audit log and calls as CSV. */
export function DiallerReportSection({ workspaceId, campaign, nowMs }: DiallerReportSectionProps) {
  const [range, setRange] = useState(() => lastSevenDays(nowMs));
  const problem =
    !DAY.test(range.from) || !DAY.test(range.to)
      ? 'Choose both dates.'
      : range.from > range.to
        ? 'The start date is after the end date.'
        : undefined;
  const { report, error, loading } = useDiallerReport(
    workspaceId,
    campaign.campaignId,
    problem ? undefined : range,
  );
  const csvUrl = (what: 'audit' | 'calls') =>
    api.diallerCsvUrl(workspaceId, campaign.campaignId, what, range.from, range.to);

  return (
    <Stack gap="sm">
      <Title order={3} fz="md">
        Report
      </Title>
      <Group align="flex-end">
        <TextInput
          type="date"
          label="From"
          value={range.from}
          onChange={(e) => setRange({ ...range, from: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label="To"
          value={range.to}
          onChange={(e) => setRange({ ...range, to: e.currentTarget.value })}
        />
        {!problem && (
          <>
            <Anchor href={csvUrl('audit')} download>
              Download audit log (CSV)
            </Anchor>
            <Anchor href={csvUrl('calls')} download>
              Download calls (CSV)
            </Anchor>
          </>
        )}
      </Group>
      {problem && (
        <Text size="sm" c="red">
          {problem}
        </Text>
      )}
      {!problem && error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!problem && loading && !report && <Text size="sm">Loading the report…</Text>}
      {!problem && report && (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label={`Report of ${campaign.name}`} striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((c) => (
                  <Table.Th key={c}>{c}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.days.map((d) => (
                <Table.Tr key={d.date}>
                  <Table.Td>{d.date}</Table.Td>
                  <Table.Td>{d.dialled}</Table.Td>
                  <Table.Td>{d.answered}</Table.Td>
                  <Table.Td>{d.connected}</Table.Td>
                  <Table.Td>{d.abandoned}</Table.Td>
                  <Table.Td>{percent(d.abandonRate)}</Table.Td>
                  <Table.Td>{d.messagesPlayed}</Table.Td>
                  <Table.Td>{windowRate(d.rate24Hours, report.cap)}</Table.Td>
                  <Table.Td>{windowRate(d.rate30Days, report.cap)}</Table.Td>
                  <Table.Td>{(d.longestAbandonWaitMs / 1000).toFixed(1)} s</Table.Td>
                  <Table.Td>{d.decisions}</Table.Td>
                  <Table.Td>{d.settingsChanges}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
