import { Paper, Table, Text } from '@mantine/core';
import type { LiveCall, MonitorMode } from '@parley/contract';
import { LiveCallRow } from './LiveCallRow';
import { orderLiveCalls } from './liveCallLabels';

export interface LiveCallsTableProps {
  calls: LiveCall[];
  userId: string;
  /** The call whose request is on its way, if any. */
  pendingId: string | undefined;
  onMonitor: (call: LiveCall, mode: MonitorMode) => void;
  onStop: (call: LiveCall) => void;
}

const COLUMNS = ['Agent', 'Campaign', 'Customer', 'State', 'Time', 'Monitored by', 'Supervise'];

export function LiveCallsTable({ calls, userId, pendingId, onMonitor, onStop }: LiveCallsTableProps) {
  return (
    <Paper withBorder>
      <Table aria-label="Live calls" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            {COLUMNS.map((column) => (
              <Table.Th key={column}>{column}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {calls.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={COLUMNS.length}>
                <Text c="dimmed">No calls in progress</Text>
              </Table.Td>
            </Table.Tr>
          )}
          {orderLiveCalls(calls).map((call) => (
            <LiveCallRow
              key={call.id}
              call={call}
              userId={userId}
              pending={pendingId === call.id}
              onMonitor={(mode) => onMonitor(call, mode)}
              onStop={() => onStop(call)}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
