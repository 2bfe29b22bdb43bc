import { Group, Text, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';

export interface HistoryListItemProps {
  /** The first line, in bold. */
  title: ReactNode;
  /** Beside the title: how it ended. */
  outcome: string;
  onOpen: () => void;
  /** The lines under the title. */
  children: ReactNode;
}

/** One of a history's results: a button that opens it, its title and outcome, then its details. */
export function HistoryListItem({ title, outcome, onOpen, children }: HistoryListItemProps) {
  return (
    <li>
      <UnstyledButton
        onClick={onOpen}
        aria-haspopup="dialog"
        w="100%"
        px={6}
        py={4}
        style={{ borderRadius: 'var(--mantine-radius-sm)' }}
      >
        <Group justify="space-between" wrap="nowrap" gap={6}>
          <Text size="sm" fw={600} truncate="end">
            {title}
          </Text>
          <Text size="xs" c="dimmed" truncate="end" style={{ flexShrink: 0, maxWidth: '45%' }}>
            {outcome}
          </Text>
        </Group>
        {children}
      </UnstyledButton>
    </li>
  );
}
