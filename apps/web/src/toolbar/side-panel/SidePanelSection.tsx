import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

export interface SidePanelSectionProps {
  title: string;
  count: number;
  /** Said instead of the list when it is empty (nothing, when undefined). */
  emptyText: string | undefined;
  children: ReactNode;
  /** Shown under the title, above the list (or the empty sentence). */
  before?: ReactNode;
  /** Names the list itself, where the title alone does not say what is in it. */
  listLabel?: string;
}

/** A titled list in the side panel, with its size, or a calm sentence when it is empty. */
export function SidePanelSection({
  title,
  count,
  emptyText,
  children,
  before,
  listLabel,
}: SidePanelSectionProps) {
  const headingId = useId();
  return (
    <Stack component="section" aria-labelledby={headingId} gap={6}>
      <Group justify="space-between" wrap="nowrap" px={4}>
        <Title id={headingId} order={2} fz="xs" fw={700} tt="uppercase" c="dimmed" lts={0.4}>
          {title}
        </Title>
        {count > 0 && (
          <Badge size="xs" variant="light" color="gray" aria-hidden>
            {count}
          </Badge>
        )}
      </Group>
      {before}
      {count === 0 ? (
        emptyText !== undefined && (
          <Text size="sm" c="dimmed" px={4}>
            {emptyText}
          </Text>
        )
      ) : (
        <Stack component="ul" aria-label={listLabel} gap={2} m={0} p={0} style={{ listStyle: 'none' }}>
          {children}
        </Stack>
      )}
    </Stack>
  );
}
