import { Alert, Box, Stack, Tabs, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { SessionResponse } from '@parley/contract';
import { useCallback } from 'react';
import { revokedNotice } from '../auth/signedOutNotice';
import { RouteLink } from '../routing/RouteLink';
import { SupervisionHeader } from '../supervision/SupervisionHeader';
import { INTERACTIONS_PATH, LIVE_CALLS_PATH } from '../supervision/supervisionPaths';
import { DoNotCallSection } from './DoNotCallSection';
import { LeadListsSection } from './LeadListsSection';

export interface LeadListsPageProps {
  session: SessionResponse;
  /** Back to the sign-in page, with a note when the user did not ask for it. */
  onSignedOut: (notice?: string) => void;
}

/**
 * Administrators (G8): the lead lists of outbound campaigns and the CSV import of leads into
 * them, and the workspace's do-not-call list. Managers see the same, read-only.
 */
export function LeadListsPage({ session, onSignedOut }: LeadListsPageProps) {
  useDocumentTitle('Lead lists · Parley');
  const { role } = session.user;
  const staff = role !== 'agent';
  const canEdit = role === 'administrator';
  const workspaceId = session.workspace.id;
  const handleSessionExpired = useCallback(() => onSignedOut(revokedNotice('expired')), [onSignedOut]);

  return (
    <Box mih="100vh" bg="gray.0">
      <SupervisionHeader
        title="Lead lists"
        links={
          staff && (
            <>
              <RouteLink to={LIVE_CALLS_PATH} size="sm">
                Live calls
              </RouteLink>
              <RouteLink to={INTERACTIONS_PATH} size="sm">
                Interactions
              </RouteLink>
            </>
          )
        }
      />
      <Stack component="main" p="md" gap="md" maw={1200}>
        {!staff && <Alert color="orange">This page is for managers and administrators.</Alert>}
        {staff && !canEdit && (
          <Text size="sm" c="dimmed">
            You can see the lead lists, their imports and the do-not-call list; only administrators can change
            them.
          </Text>
        )}
        {staff && (
          <Tabs defaultValue="lists">
            <Tabs.List>
              <Tabs.Tab value="lists">Lead lists</Tabs.Tab>
              <Tabs.Tab value="do-not-call">Do-not-call list</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="lists" pt="md">
              <LeadListsSection
                workspaceId={workspaceId}
                canEdit={canEdit}
                onSessionExpired={handleSessionExpired}
              />
            </Tabs.Panel>
            <Tabs.Panel value="do-not-call" pt="md">
              <DoNotCallSection
                workspaceId={workspaceId}
                canEdit={canEdit}
                onSessionExpired={handleSessionExpired}
              />
            </Tabs.Panel>
          </Tabs>
        )}
      </Stack>
    </Box>
  );
}
