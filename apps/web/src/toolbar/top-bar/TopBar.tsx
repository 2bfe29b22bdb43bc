import { AppShell, Divider, Group, Stack, Text } from '@mantine/core';
import type { SessionUser, Notification as ToolbarNotification } from '@parley/contract';
import IconHelp from '@tabler/icons-react/icons/IconHelp';
import type { ReactNode } from 'react';
import { ProductMark } from '../../common/ProductMark';
import { RouteLink } from '../../routing/RouteLink';
import { AgentMenu } from './AgentMenu';
import { roleLabel } from './agentLabels';
import { NotificationsMenu } from './NotificationsMenu';
import { SidePanelToggle } from './SidePanelToggle';

export interface TopBarProps {
  workspaceName: string;
  user: SessionUser;
  notifications: ToolbarNotification[] | undefined;
  /** Whether the voice path is up, or a button to connect it; shown before the status control. */
  voice: ReactNode;
  /** The agent status control (guide item 4), placed before notifications as in the guide. */
  status: ReactNode;
  sidePanelOpen: boolean;
  onToggleSidePanel: () => void;
  onSignOut: () => void;
  onClearNotifications: () => Promise<void>;
}

export function TopBar(props: TopBarProps) {
  const { workspaceName, user, notifications, sidePanelOpen } = props;
  return (
    <AppShell.Header px="sm">
      <Group h="100%" justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <SidePanelToggle open={sidePanelOpen} onToggle={props.onToggleSidePanel} />
          <ProductMark size="sm" />
          <Divider orientation="vertical" my={14} />
          <Text size="sm" c="dimmed" truncate="end">
            {workspaceName}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          {props.voice}
          {props.status}
          <RouteLink
            to="/help"
            size="sm"
            c="dimmed"
            px="xs"
            style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
          >
            <IconHelp size={18} aria-hidden />
            Help
          </RouteLink>
          <NotificationsMenu notifications={notifications} onClear={props.onClearNotifications} />
          <Divider orientation="vertical" my={14} mx={4} />
          <Stack gap={0} align="flex-end" visibleFrom="xs">
            <Text size="sm" fw={500} lh={1.3}>
              {user.displayName}
            </Text>
            <Text size="xs" c="dimmed" lh={1.3}>
              {roleLabel(user.role)}
            </Text>
          </Stack>
          <AgentMenu user={user} onSignOut={props.onSignOut} />
        </Group>
      </Group>
    </AppShell.Header>
  );
}
