import { ActionIcon, Avatar, Box, Menu, Text } from '@mantine/core';
import type { SessionUser } from '@parley/contract';
import IconHeadphones from '@tabler/icons-react/icons/IconHeadphones';
import IconListDetails from '@tabler/icons-react/icons/IconListDetails';
import IconListNumbers from '@tabler/icons-react/icons/IconListNumbers';
import IconLogout from '@tabler/icons-react/icons/IconLogout';
import IconPhoneOutgoing from '@tabler/icons-react/icons/IconPhoneOutgoing';
import { LEAD_LISTS_PATH } from '../../admin/adminPaths';
import { DIALLER_PATH, LIVE_CALLS_PATH } from '../../supervision/supervisionPaths';
import { initials, roleLabel } from './agentLabels';

export interface AgentMenuProps {
  user: SessionUser;
  onSignOut: () => void;
}

export function AgentMenu({ user, onSignOut }: AgentMenuProps) {
  return (
    <Menu position="bottom-end" width={240} shadow="md">
      <Menu.Target>
        <ActionIcon variant="transparent" size={36} radius="xl" aria-label="Agent menu">
          <Avatar color="indigo" radius="xl" size={32}>
            {initials(user.displayName, user.username)}
          </Avatar>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Signed in as</Menu.Label>
        <Box px="sm" pb="xs">
          <Text size="sm" fw={600} truncate="end">
            {user.displayName}
          </Text>
          <Text size="xs" c="dimmed" truncate="end">
            {roleLabel(user.role)} · {user.username}
            {user.agentId !== null && ` · Agent ID ${user.agentId}`}
          </Text>
        </Box>
        <Menu.Divider />
        {user.role !== 'agent' && (
          <Menu.Item component="a" href="/interactions" leftSection={<IconListDetails size={16} />}>
            Interactions
          </Menu.Item>
        )}
        {user.role !== 'agent' && (
          <Menu.Item component="a" href={LIVE_CALLS_PATH} leftSection={<IconHeadphones size={16} />}>
            Live calls
          </Menu.Item>
        )}
        {user.role !== 'agent' && (
          <Menu.Item component="a" href={DIALLER_PATH} leftSection={<IconPhoneOutgoing size={16} />}>
            Predictive dialling
          </Menu.Item>
        )}
        {user.role !== 'agent' && (
          <Menu.Item component="a" href={LEAD_LISTS_PATH} leftSection={<IconListNumbers size={16} />}>
            Lead lists
          </Menu.Item>
        )}
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={onSignOut}>
          Sign Out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
