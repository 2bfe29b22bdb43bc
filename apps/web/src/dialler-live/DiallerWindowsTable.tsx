import { Badge, Table } from '@mantine/core';
import type { DiallerWindow } from '@parley/contract';
import { type CapLevel, capLevel, capPercent, percent } from './diallerLabels';

export interface DiallerWindowsTableProps {
  campaignName: string;
  windows: DiallerWindow[];
  cap: number;
}

const LEVEL_BADGES: Record<Exclude<CapLevel, 'ok'>, { color: string; text: string }> = {
  near: { color: 'orange', text: 'Near the cap' },
  over: { color: 'red', text: 'At the cap' },
};

/** Each abandonment window against the cap; one at 80% of the cap or more says so in words. */
export function DiallerWindowsTable({ campaignName, windows, cap }: DiallerWindowsTableProps) {
  return (
    <Table aria-label={`Abandonment windows of ${campaignName}`} withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Window</Table.Th>
          <Table.Th>Answered</Table.Th>
          <Table.Th>Abandoned</Table.Th>
          <Table.Th>Abandon rate (cap {capPercent(cap)})</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {windows.map((w) => {
          const level = capLevel(w.rate, cap);
          const badge = level === 'ok' ? undefined : LEVEL_BADGES[level];
          return (
            <Table.Tr key={w.name}>
              <Table.Td>{w.name}</Table.Td>
              <Table.Td>{w.answered}</Table.Td>
              <Table.Td>{w.abandoned}</Table.Td>
              <Table.Td>
                {percent(w.rate)}
                {badge && (
                  <Badge ml="xs" color={badge.color} variant="light">
                    {badge.text}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
