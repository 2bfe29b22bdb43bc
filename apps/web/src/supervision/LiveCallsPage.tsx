import { Alert, Box, Group, Loader, Stack, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { SessionResponse } from '@parley/contract';
import { useCallback } from 'react';
import { LEAD_LISTS_PATH } from '../admin/adminPaths';
import { api } from '../api';
import { revokedNotice } from '../auth/signedOutNotice';
import { RouteLink } from '../routing/RouteLink';
import { LiveCallsTable } from './LiveCallsTable';
import { MonitorErrorAlert } from './MonitorErrorAlert';
import { SupervisionHeader } from './SupervisionHeader';
import { INTERACTIONS_PATH } from './supervisionPaths';
import { useLiveCalls } from './useLiveCalls';
import { useMonitorAction } from './useMonitorAction';

export interface LiveCallsPageProps {
  session: SessionResponse;
  /** Back to the sign-in page, with a note when the manager did not ask for it. */
  onSignedOut: (notice?: string) => void;
}

/**
 * Managers and administrators (Q1, I8): the calls in conversation now, agents asking for help
 * first; join one from your own voice path to listen, whisper or barge.
 */
export function LiveCallsPage({ session, onSignedOut }: LiveCallsPageProps) {
  useDocumentTitle('Live calls · Parley');
  const staff = session.user.role !== 'agent';
  const handleSessionExpired = useCallback(() => onSignedOut(revokedNotice('expired')), [onSignedOut]);
  const live = useLiveCalls(staff, handleSessionExpired);
  const action = useMonitorAction(live.refresh, handleSessionExpired);

  return (
    <Box mih="100vh" bg="gray.0">
      <SupervisionHeader
        title="Live calls"
        links={
          staff && (
            <>
              <RouteLink to={INTERACTIONS_PATH} size="sm">
                Interactions
              </RouteLink>
              <RouteLink to={LEAD_LISTS_PATH} size="sm">
                Lead lists
              </RouteLink>
            </>
          )
        }
      />
      <Stack component="main" p="md" gap="md" maw={1200}>
        {!staff && <Alert color="orange">This page is for managers and administrators.</Alert>}
        {staff && (
          <Text size="sm" c="dimmed">
            Refreshed every 2 seconds. Listen: you hear both, nobody hears you. Whisper: only the agent hears
            you. Barge: everyone hears you.
          </Text>
        )}
        {live.error && (
          <Alert color="red" role="alert">
            {live.error}
          </Alert>
        )}
        {action.error !== undefined && (
          <MonitorErrorAlert error={action.error} onDismiss={action.dismissError} />
        )}
        {staff && live.calls === undefined && !live.error && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Loading live calls…</Text>
          </Group>
        )}
        {staff && live.calls && (
          <LiveCallsTable
            calls={live.calls}
            userId={session.user.id}
            pendingId={action.pendingId}
            onMonitor={(call, mode) => action.run(call.id, () => api.monitorCall(call.id, mode))}
            onStop={(call) => action.run(call.id, () => api.stopMonitoring(call.id))}
          />
        )}
      </Stack>
    </Box>
  );
}
