import { Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { DiallerCampaignStats } from '@parley/contract';
import { DiallerReportSection } from './DiallerReportSection';
import { DiallerWindowsTable } from './DiallerWindowsTable';
import { capPercent, MODE_LABELS, percent } from './diallerLabels';

export interface DiallerCampaignCardProps {
  campaign: DiallerCampaignStats;
  workspaceId: string;
  /** Now, for the report's default range (the last 7 days). */
  nowMs: number;
}

function Figure({ label, value }: { label: string; value: string | number }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </div>
  );
}

/** One predictive campaign: how it dials now, its windows against the cap, today, its report. */
export function DiallerCampaignCard({ campaign: c, workspaceId, nowMs }: DiallerCampaignCardProps) {
  return (
    <Paper component="section" withBorder p="md" aria-label={c.name}>
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} fz="lg">
            {c.name}
          </Title>
          <Text size="sm">
            Mode: <strong>{MODE_LABELS[c.mode]}</strong>
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 5 }}>
          <Figure label="Agents free / working" value={`${c.freeAgents} / ${c.agents - c.freeAgents}`} />
          <Figure label="Calls in flight" value={c.inFlight} />
          <Figure label="Dial level" value={c.dialLevel.toFixed(2)} />
          <Figure label="Answer rate" value={percent(c.answerRate)} />
          <Figure label="Abandonment cap" value={capPercent(c.cap)} />
        </SimpleGrid>
        <DiallerWindowsTable campaignName={c.name} windows={c.windows} cap={c.cap} />
        <SimpleGrid cols={{ base: 2, sm: 4 }} aria-label={`Today at ${c.name}`}>
          <Figure label="Dialled today" value={c.today.dialled} />
          <Figure label="Answered today" value={c.today.answered} />
          <Figure label="Connected today" value={c.today.connected} />
          <Figure label="Abandoned today" value={c.today.abandoned} />
        </SimpleGrid>
        <DiallerReportSection workspaceId={workspaceId} campaign={c} nowMs={nowMs} />
      </Stack>
    </Paper>
  );
}
