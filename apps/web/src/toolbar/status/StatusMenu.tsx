import { Button, Group, Loader, Menu, Skeleton, Text } from '@mantine/core';
import type { AgentState, PauseReason, StatusChoice } from '@parley/contract';
import IconCheck from '@tabler/icons-react/icons/IconCheck';
import IconChevronDown from '@tabler/icons-react/icons/IconChevronDown';
import { useId } from 'react';
import { STATUS_BUTTON_ATTRIBUTE, TOOLBAR_SHORTCUTS } from '../useToolbarShortcuts';
import { StatusDot } from './StatusDot';
import { StatusSummary } from './StatusSummary';
import { isWrapping, selectedChoiceKey, statusSecondaryText, statusShown } from './statusDisplay';

export interface StatusMenuProps {
  /** Undefined until the first realtime snapshot arrives. */
  agent: AgentState | undefined;
  pauseReasons: PauseReason[];
  /** A status request is on its way. */
  pending: boolean;
  onChoose: (choice: StatusChoice) => void;
}

/**
 * "Agent Status (Pause / Available)": shows the status the server reports and asks for another.
 * With a contact it shows what the agent is doing ("On call", "Wrapping", "Chatting: 3") and
 * for how long, with the status that stands afterwards below. During wrap-up the choice is the
 * status to take once wrapped (C3).
 */
export function StatusMenu({ agent, pauseReasons, pending, onChoose }: StatusMenuProps) {
  const timeId = useId();
  const secondaryId = useId();
  if (!agent) return <Skeleton h={36} w={140} role="status" aria-label="Loading your status" />;

  const { label, since, color } = statusShown(agent);
  const wrapping = isWrapping(agent);
  const secondary = statusSecondaryText(agent, pauseReasons);
  const selected = selectedChoiceKey(agent, wrapping);
  const check = (key: string) => (selected === key ? <IconCheck size={14} aria-hidden /> : null);

  return (
    <Group gap={8} wrap="nowrap" miw={0}>
      <Menu position="bottom-end" width={240} shadow="md">
        <Menu.Target>
          <Button
            {...{ [STATUS_BUTTON_ATTRIBUTE]: true }}
            variant="default"
            h={36}
            px="sm"
            miw={0}
            aria-label={`Status: ${label}`}
            aria-describedby={secondary ? `${timeId} ${secondaryId}` : timeId}
            aria-keyshortcuts={TOOLBAR_SHORTCUTS.status.keys}
            leftSection={pending ? <Loader size={10} /> : <StatusDot color={color} />}
            rightSection={<IconChevronDown size={14} aria-hidden />}
            styles={{ label: { minWidth: 0 } }}
          >
            <Text component="span" size="sm" fw={600} truncate="end">
              {label}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{wrapping ? 'Status after wrap-up' : 'Change status'}</Menu.Label>
          <Menu.Item
            leftSection={<StatusDot color="green" />}
            rightSection={check('available')}
            onClick={() => onChoose({ kind: 'available' })}
          >
            Available
          </Menu.Item>
          <Menu.Divider />
          <Menu.Label>Pause</Menu.Label>
          {pauseReasons.length === 0 && (
            <Text size="xs" c="dimmed" px="sm" pb="xs">
              No pause reasons are set up for this workspace.
            </Text>
          )}
          {pauseReasons.map((reason) => (
            <Menu.Item
              key={reason.id}
              leftSection={<StatusDot color="orange" />}
              rightSection={check(reason.id)}
              onClick={() => onChoose({ kind: 'paused', reasonId: reason.id })}
            >
              {reason.name}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <StatusSummary since={since} secondary={secondary} timeId={timeId} secondaryId={secondaryId} />
    </Group>
  );
}
