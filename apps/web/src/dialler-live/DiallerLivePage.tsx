import { Alert, Box, Group, Loader, Stack, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { SessionResponse } from '@parley/contract';
import { useCallback, useState } from 'react';
import { revokedNotice } from '../auth/signedOutNotice';
import { RouteLink } from '../routing/RouteLink';
import { SupervisionHeader } from '../supervision/SupervisionHeader';
import { LIVE_CALLS_PATH } from '../supervision/supervisionPaths';
import { DiallerCampaignCard } from './DiallerCampaignCard';
import { NEAR_CAP } from './diallerLabels';
import { useDiallerCampaigns } from './useDiallerCampaigns';

export interface DiallerLivePageProps {
  session: SessionResponse;
  /** Back to the sign-in page, with a note when the manager did not ask for it. */
  onSignedOut: (notice?: string) => void;
}

const REFUSED = 'This page is for managers and administrators.';

/**
 * Managers and administrators (H2): each predictive campaign they may see, live (refreshed every
 * 2 s), its abandonment windows against the cap, and its compliance report and exports.
 */
export function DiallerLivePage({ session, onSignedOut }: DiallerLivePageProps) {
  useDocumentTitle('Predictive dialling · Parley');
  const staff = session.user.role !== 'agent';
  const handleSessionExpired = useCallback(() => onSignedOut(revokedNotice('expired')), [onSignedOut]);
  const live = useDiallerCampaigns(staff, handleSessionExpired);
  // The report's default range is fixed when the page opens, not moved by every refresh.
  const [openedAt] = useState(() => Date.now());
  const allowed = staff && !live.refused;

  return (
    <Box mih="100vh" bg="gray.0">
      <SupervisionHeader
        title="Predictive dialling"
        links={
          staff && (
            <RouteLink to={LIVE_CALLS_PATH} size="sm">
              Live calls
            </RouteLink>
          )
        }
      />
      <Stack component="main" p="md" gap="md" maw={1200}>
        {!allowed && <Alert color="orange">{REFUSED}</Alert>}
        {allowed && (
          <Text size="sm" c="dimmed">
            Refreshed every 2 seconds. A window at {Math.round(NEAR_CAP * 100)}% of its cap or more is marked
            “Near the cap”: the dialler then falls back towards one line per free agent. Days are UTC.
          </Text>
        )}
        {allowed && live.error && (
          <Alert color="red" role="alert">
            {live.error}
          </Alert>
        )}
        {allowed && live.campaigns === undefined && !live.error && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Loading predictive campaigns…</Text>
          </Group>
        )}
        {allowed && live.campaigns?.length === 0 && (
          <Text c="dimmed">No predictive campaign on your teams.</Text>
        )}
        {allowed &&
          live.campaigns?.map((c) => (
            <DiallerCampaignCard
              key={c.campaignId}
              campaign={c}
              workspaceId={session.workspace.id}
              nowMs={openedAt}
            />
          ))}
      </Stack>
    </Box>
  );
}
