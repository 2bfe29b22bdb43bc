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

/**
 * The columns and their widths: fixed, so the Supervise buttons stay where they are when a row's
 * "Asks for help" badge comes or goes (a second click must land on the same button).
 */
const COLUMNS: [string, number][] = [
  ['Agent', 210],
  ['Campaign', 150],
  ['Customer', 150],
  ['State', 110],
  ['Time', 80],
  ['Monitored by', 160],
  ['Supervise', 330],
];

export function LiveCallsTable({ calls, userId, pendingId, onMonitor, onStop }: LiveCallsTableProps) {
  return (
    <Paper withBorder>
      <Table aria-label="Live calls" verticalSpacing="sm" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            {COLUMNS.map(([column, width]) => (
              <Table.Th key={column} w={width}>
                {column}
              </Table.Th>
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
