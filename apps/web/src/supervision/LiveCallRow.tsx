import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import type { LiveCall, MonitorMode } from '@parley/contract';
import IconLifebuoy from '@tabler/icons-react/icons/IconLifebuoy';
import { ElapsedTime } from '../common/ElapsedTime';
import { liveCallStates, monitorDoing, monitorModes } from './liveCallLabels';

export interface LiveCallRowProps {
  call: LiveCall;
  /** The signed-in manager: their own monitoring presses a button and may be stopped. */
  userId: string;
  /** A request for this call is on its way. */
  pending: boolean;
  onMonitor: (mode: MonitorMode) => void;
  onStop: () => void;
}

/** One call in conversation: who, where, how long, whether the agent asks for help, and how to join. */
export function LiveCallRow({ call, userId, pending, onMonitor, onStop }: LiveCallRowProps) {
  const state = liveCallStates[call.state];
  const monitor = call.monitoredBy;
  const mine = monitor?.userId === userId ? monitor : undefined;
  return (
    <Table.Tr bg={call.assistRequestedAt ? 'orange.0' : undefined}>
      <Table.Td>
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {call.agentName}
          </Text>
          {call.assistRequestedAt && (
            <Group gap={6} wrap="nowrap">
              <Badge color="orange" variant="filled" leftSection={<IconLifebuoy size={12} aria-hidden />}>
                Asks for help
              </Badge>
              <ElapsedTime since={call.assistRequestedAt} description="Asking for" size="xs" c="orange.9" />
            </Group>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>{call.campaignName}</Table.Td>
      <Table.Td>{call.customerPhone}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={state.color}>
          {state.label}
        </Badge>
      </Table.Td>
      <Table.Td>
        <ElapsedTime since={call.since} description="On the call for" size="sm" />
      </Table.Td>
      <Table.Td>
        {monitor ? (
          `${mine ? 'You' : monitor.name}: ${monitorDoing(monitor.mode)}`
        ) : (
          <Text c="dimmed">—</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap" role="group" aria-label={`Supervise ${call.agentName}'s call`}>
          {monitorModes.map(({ mode, label }) => {
            const pressed = mine?.mode === mode;
            return (
              <Button
                key={mode}
                size="xs"
                variant={pressed ? 'filled' : 'default'}
                aria-pressed={pressed}
                disabled={pending}
                onClick={() => {
                  // Already so: nothing to change.
                  if (!pressed) onMonitor(mode);
                }}
              >
                {label}
              </Button>
            );
          })}
          {mine && (
            <Button size="xs" variant="light" color="red" disabled={pending} onClick={onStop}>
              Stop
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
