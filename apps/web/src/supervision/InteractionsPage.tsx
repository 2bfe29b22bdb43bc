import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { Campaign, InteractionDetail, InteractionSummary, SessionResponse } from '@parley/contract';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { describeError } from '../common/describeError';
import { SupervisionHeader } from './SupervisionHeader';

const STATES = ['waiting', 'offered', 'busy', 'wrapping', 'done', 'abandoned'] as const;
type State = (typeof STATES)[number];

const when = (iso: string) => new Date(iso).toLocaleString();

/** Interaction records for managers and administrators: filter, open one, play its recording (Q2). */
export function InteractionsPage({ session }: { session: SessionResponse }) {
  useDocumentTitle('Interactions · Parley');
  const ws = session.workspace.id;
  const staff = session.user.role !== 'agent';
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [campaignId, setCampaignId] = useState('');
  const [state, setState] = useState<State | ''>('');
  const [rows, setRows] = useState<InteractionSummary[] | undefined>(undefined);
  const [open, setOpen] = useState<InteractionDetail | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const load = useCallback(() => {
    setError(undefined);
    api
      .interactions(ws, { ...(campaignId && { campaignId }), ...(state && { state }) })
      .then(setRows)
      .catch((e: unknown) => setError(describeError(e)));
  }, [ws, campaignId, state]);

  useEffect(() => {
    if (!staff) return;
    api
      .campaigns(ws)
      .list()
      .then(setCampaigns)
      .catch(() => undefined);
  }, [ws, staff]);
  useEffect(() => {
    if (staff) load();
  }, [load, staff]);

  const show = (id: string) =>
    api
      .interaction(ws, id)
      .then(setOpen)
      .catch((e: unknown) => setError(describeError(e)));

  return (
    <Box mih="100vh" bg="gray.0">
      <SupervisionHeader title="Interactions" />
      <Stack component="main" p="md" gap="md" maw={1200}>
        {!staff && <Alert color="orange">This page is for managers and administrators.</Alert>}
        {staff && (
          <Group align="flex-end">
            <NativeSelect
              label="Campaign"
              value={campaignId}
              onChange={(e) => setCampaignId(e.currentTarget.value)}
              data={[
                { value: '', label: 'All campaigns' },
                ...campaigns.map((c) => ({ value: c.id, label: c.name })),
              ]}
            />
            <NativeSelect
              label="State"
              value={state}
              onChange={(e) => setState(e.currentTarget.value as State | '')}
              data={[{ value: '', label: 'Any state' }, ...STATES.map((s) => ({ value: s, label: s }))]}
            />
            <Button variant="default" onClick={load}>
              Refresh
            </Button>
          </Group>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {rows && (
          <Paper withBorder>
            <Table striped highlightOnHover aria-label="Interactions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Queued</Table.Th>
                  <Table.Th>Campaign</Table.Th>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th>Agent</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th>Recordings</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text c="dimmed">No interactions match.</Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {rows.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Anchor component="button" onClick={() => show(r.id)}>
                        {when(r.enqueuedAt)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{r.campaignName}</Table.Td>
                    <Table.Td>{r.customerPhone ?? r.label}</Table.Td>
                    <Table.Td>{r.agentName ?? '—'}</Table.Td>
                    <Table.Td>
                      <Badge variant="light">{r.state}</Badge>
                    </Table.Td>
                    <Table.Td>{r.outcome ?? '—'}</Table.Td>
                    <Table.Td>{r.recordings}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        )}
        {open && <InteractionRecord record={open} />}
      </Stack>
    </Box>
  );
}

function InteractionRecord({ record }: { record: InteractionDetail }) {
  return (
    <Paper withBorder p="md" component="section" aria-label="Interaction record">
      <Stack gap="sm">
        <Title order={2} fz="lg">
          {record.label} · {record.campaignName}
        </Title>
        <Text size="sm" c="dimmed">
          {record.id} · {record.channelName ?? ''} {record.ivrData ? `· IVR Data ${record.ivrData}` : ''} ·
          ended by {record.endedBy ?? '—'} · outcome {record.outcome ?? '—'}
        </Text>
        {(record.notes || record.transferNotes) && (
          <Text size="sm">
            Notes: {record.notes || '—'} · Transfer Notes: {record.transferNotes || '—'}
          </Text>
        )}
        <Title order={3} fz="md">
          Timeline
        </Title>
        <Box component="ol" m={0} pl="lg">
          {record.timeline.map((t) => (
            <li key={`${t.at}-${t.kind}`}>
              <Text size="sm">
                {when(t.at)} — {t.kind}
                {t.detail ? ` ${JSON.stringify(t.detail)}` : ''}
              </Text>
            </li>
          ))}
        </Box>
        <Title order={3} fz="md">
          Recordings
        </Title>
        {record.recordingList.length === 0 && <Text size="sm">None.</Text>}
        {record.recordingList.map((r) => (
          <Stack key={r.id} gap={4}>
            <Text size="sm">
              {when(r.startedAt)} ·{' '}
              {r.durationMs === null ? 'recording' : `${Math.round(r.durationMs / 1000)} s`} · recorded{' '}
              {r.segments
                .map(
                  (s) =>
                    `${(s.startMs / 1000).toFixed(1)}–${s.stopMs === null ? '…' : (s.stopMs / 1000).toFixed(1)} s`,
                )
                .join(', ')}
              {r.tags.length > 0 &&
                ` · tagged at ${r.tags.map((t) => `${(t.atMs / 1000).toFixed(1)} s`).join(', ')}`}
            </Text>
            {/* biome-ignore lint/a11y/useMediaCaption: a call recording has no captions. */}
            <audio controls preload="metadata" src={r.audioUrl} aria-label={`Recording of ${record.label}`} />
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}
