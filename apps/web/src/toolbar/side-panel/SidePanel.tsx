import { ActionIcon, AppShell, Group, Kbd, Overlay, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { useOs, useWindowEvent } from '@mantine/hooks';
import type { Assignments, Notification, QueueSummary } from '@parley/contract';
import IconX from '@tabler/icons-react/icons/IconX';
import { type ReactNode, useEffect, useRef } from 'react';
import { CallbackList } from './CallbackList';
import { CampaignList } from './CampaignList';
import { ChatHistory } from './ChatHistory';
import { EmailHistory } from './EmailHistory';
import { LeadManager } from './LeadManager';
import { QueueList } from './QueueList';
import { TeamList } from './TeamList';

export const SIDE_PANEL_ID = 'side-panel';

export interface SidePanelProps {
  open: boolean;
  /** Over the main area (narrow windows) rather than beside it: a backdrop, a close button, Escape. */
  overlay: boolean;
  onClose: () => void;
  /** Undefined until the first realtime snapshot arrives. */
  assignments: Assignments | undefined;
  queues: QueueSummary[] | undefined;
  /** Shown at the top of the Queues section ("Connect Voice will appear next to the Call queue"). */
  queuesNotice?: ReactNode;
  /** The toolbar's notifications: a "Callback due" one refreshes the Callbacks. */
  notifications?: Notification[] | undefined;
  onSessionExpired: () => void;
}

/** The side panel's sections in the guide's order (Queues, Callbacks, Lead Manager, Chat History, Email History), then the agent's teams and campaigns. */
export function SidePanel({
  open,
  overlay,
  onClose,
  assignments,
  queues,
  queuesNotice,
  notifications,
  onSessionExpired,
}: SidePanelProps) {
  const os = useOs();
  const drawer = overlay && open;
  const closeButton = useRef<HTMLButtonElement>(null);

  useWindowEvent('keydown', (event) => {
    if (drawer && event.key === 'Escape' && !event.defaultPrevented) onClose();
  });

  // Opened over the work, the panel takes the focus, and gives it back to where it was when it closes.
  useEffect(() => {
    if (!drawer) return;
    const before = document.activeElement;
    closeButton.current?.focus();
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, [drawer]);

  return (
    <>
      <AppShell.Navbar
        id={SIDE_PANEL_ID}
        aria-label="Side panel"
        hidden={!open}
        // Collapsed, the panel slides out of view; hiding it also keeps its contents from focus and screen readers.
        style={
          !open
            ? { display: 'none' }
            : overlay
              ? { width: 'min(20rem, 100%)', boxShadow: 'var(--mantine-shadow-xl)' }
              : undefined
        }
      >
        {overlay && (
          <Group justify="flex-end" px="sm" pt="xs">
            <ActionIcon
              ref={closeButton}
              variant="subtle"
              color="gray"
              aria-label="Close side panel"
              onClick={onClose}
            >
              <IconX size={18} aria-hidden />
            </ActionIcon>
          </Group>
        )}
        <AppShell.Section
          grow
          component={ScrollArea}
          // Scrolled by keyboard too: the scrolling viewport takes focus (WCAG 2.1.1).
          viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': 'Side panel' }}
          p="sm"
          pt={overlay ? 0 : 'sm'}
        >
          {assignments && queues ? (
            <Stack gap="lg">
              <QueueList queues={queues} before={queuesNotice} />
              <CallbackList open={open} notifications={notifications} onSessionExpired={onSessionExpired} />
              <LeadManager campaigns={assignments.campaigns} onSessionExpired={onSessionExpired} />
              <ChatHistory open={open} onSessionExpired={onSessionExpired} />
              <EmailHistory open={open} onSessionExpired={onSessionExpired} />
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
      {drawer && (
        // Below the header and the panel, over the main area: a click on the work closes the panel.
        <Overlay
          fixed
          zIndex={99}
          backgroundOpacity={0.25}
          color="#000"
          onClick={onClose}
          data-side-panel-backdrop
        />
      )}
    </>
  );
}
