import { AppShell, Box, Divider, Stack, Text } from '@mantine/core';
import type { SessionUser, Notification as ToolbarNotification } from '@parley/contract';
import IconHelp from '@tabler/icons-react/icons/IconHelp';
import { type ReactNode, useMemo } from 'react';
import { ProductMark } from '../../common/ProductMark';
import { AgentMenu } from './AgentMenu';
import { roleLabel } from './agentLabels';
import { NotificationsMenu } from './NotificationsMenu';
import { SidePanelToggle } from './SidePanelToggle';
import { TopBarActions } from './TopBarActions';
import type { TopBarAction } from './topBarAction';
import { useTopBarFit } from './useTopBarFit';

export interface TopBarProps {
  workspaceName: string;
  user: SessionUser;
  notifications: ToolbarNotification[] | undefined;
  /** Whether the voice path is up, or a button to connect it; shown before the status control. */
  voice: ReactNode;
  /** The agent status control (guide item 4), placed before notifications as in the guide. */
  status: ReactNode;
  /** Icon actions (Manual Call, Agent Call, Send Email...), in the guide's order; Help comes last. */
  actions?: TopBarAction[];
  sidePanelOpen: boolean;
  onToggleSidePanel: () => void;
  onSignOut: () => void;
  onClearNotifications: () => Promise<void>;
}

/** Guide item 13: "Link to the Knowledge Hub resources". */
const HELP: TopBarAction = { kind: 'link', label: 'Help', icon: IconHelp, to: '/help' };

const fixed = { flexShrink: 0 } as const;

/**
 * The bar across the top. It fits any width from 1920 px down to 1024 px without clipping a
 * control: words give way first, then the actions fold into "More", and last the status narrows.
 */
export function TopBar(props: TopBarProps) {
  const { workspaceName, user, notifications, sidePanelOpen } = props;
  const actions = useMemo(() => [...(props.actions ?? []), HELP], [props.actions]);
  const { rowRef, watchRef, fit } = useTopBarFit(actions.length);
  return (
    <AppShell.Header px="sm">
      <Box
        ref={rowRef}
        h="100%"
        display="flex"
        style={{ alignItems: 'center', gap: 'var(--mantine-spacing-xs)' }}
      >
        <Box style={fixed}>
          <SidePanelToggle open={sidePanelOpen} onToggle={props.onToggleSidePanel} />
        </Box>
        {fit.showBrand && (
          <Box style={fixed} ml={4}>
            <ProductMark size="sm" />
          </Box>
        )}
        {fit.showWorkspace && (
          <>
            <Divider orientation="vertical" my={14} mx={4} />
            <Text size="sm" c="dimmed" truncate="end" style={{ flex: '0 1 auto', minWidth: '4rem' }}>
              {workspaceName}
            </Text>
          </>
        )}
        <Box style={{ flex: '1 1 0', minWidth: 0 }} />
        <Box ref={watchRef} display="flex" style={fixed}>
          {props.voice}
        </Box>
        {/* The status control may narrow (truncating its text) only when nothing else can give way. */}
        <Box
          ref={watchRef}
          display="flex"
          style={{ flex: fit.shrinkStatus ? '0 1 auto' : 'none', minWidth: fit.shrinkStatus ? '6rem' : 0 }}
        >
          {props.status}
        </Box>
        <TopBarActions actions={actions} shown={fit.shownActions} />
        <Box style={fixed}>
          <NotificationsMenu notifications={notifications} onClear={props.onClearNotifications} />
        </Box>
        {fit.showUser && <Divider orientation="vertical" my={14} mx={4} />}
        {fit.showUser && (
          <Stack gap={0} align="flex-end" style={fixed}>
            <Text size="sm" fw={500} lh={1.3} style={{ whiteSpace: 'nowrap' }}>
              {user.displayName}
            </Text>
            <Text size="xs" c="dimmed" lh={1.3} style={{ whiteSpace: 'nowrap' }}>
              {roleLabel(user.role)}
            </Text>
          </Stack>
        )}
        <Box style={fixed}>
          <AgentMenu user={user} onSignOut={props.onSignOut} />
        </Box>
      </Box>
    </AppShell.Header>
  );
}
