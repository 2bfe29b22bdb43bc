import { AppShell, Group, Kbd, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { useOs } from '@mantine/hooks';
import type { Assignments, QueueSummary } from '@parley/contract';
import type { ReactNode } from 'react';
import { CampaignList } from './CampaignList';
import { QueueList } from './QueueList';
import { TeamList } from './TeamList';

export const SIDE_PANEL_ID = 'side-panel';

export interface SidePanelProps {
  open: boolean;
  /** Undefined until the first realtime snapshot arrives. */
  assignments: Assignments | undefined;
  queues: QueueSummary[] | undefined;
  /** Shown at the top of the Queues section ("Connect Voice will appear next to the Call queue"). */
  queuesNotice?: ReactNode;
}

export function SidePanel({ open, assignments, queues, queuesNotice }: SidePanelProps) {
  const os = useOs();
  return (
    <AppShell.Navbar
      id={SIDE_PANEL_ID}
      aria-label="Side panel"
      hidden={!open}
      // Collapsed, the panel slides out of view; hiding it also keeps its contents from focus and screen readers.
      style={open ? undefined : { display: 'none' }}
    >
      <AppShell.Section grow component={ScrollArea} p="sm">
        {assignments && queues ? (
          <Stack gap="lg">
            <QueueList queues={queues} before={queuesNotice} />
            <TeamList teams={assignments.teams} />
            <CampaignList campaigns={assignments.campaigns} />
          </Stack>
        ) : (
          <Stack gap="xs" aria-busy="true" aria-label="Loading your queues, teams and campaigns">
            <Skeleton h={12} w="40%" />
            <Skeleton h={28} />
            <Skeleton h={12} w="50%" mt="md" />
            <Skeleton h={36} />
            <Skeleton h={36} />
          </Stack>
        )}
      </AppShell.Section>
      <AppShell.Section p="sm" visibleFrom="sm">
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            Collapse or expand:
          </Text>
          <Kbd size="xs">{os === 'macos' ? '⌘' : 'Ctrl'}</Kbd>
          <Kbd size="xs">B</Kbd>
        </Group>
      </AppShell.Section>
    </AppShell.Navbar>
  );
}
