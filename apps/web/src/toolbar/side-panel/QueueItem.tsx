import { Group, Stack, Text, ThemeIcon, VisuallyHidden } from '@mantine/core';
import type { QueueSummary } from '@parley/contract';
import { ElapsedTime } from '../../common/ElapsedTime';
import { campaignKinds } from './campaignKinds';

export interface QueueItemProps {
  queue: QueueSummary;
}

/** One campaign's queue: how many contacts wait, and for how long the first of them has. */
export function QueueItem({ queue }: QueueItemProps) {
  const kind = campaignKinds[queue.campaignKind];
  return (
    <Group component="li" gap="xs" wrap="nowrap" justify="space-between" px={4} py={4}>
      <Group gap="xs" wrap="nowrap" miw={0}>
        <ThemeIcon size="sm" variant="light" color={kind.color} role="img" aria-label={kind.label}>
          <kind.Icon size={14} />
        </ThemeIcon>
        <Text size="sm" truncate="end">
          {queue.campaignName}
        </Text>
      </Group>
      <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
        <Text size="xs" fw={600} c={queue.waiting > 0 ? '#b33c00' : 'dimmed'}>
          {queue.waiting} waiting
        </Text>
        {queue.oldestSince ? (
          <ElapsedTime since={queue.oldestSince} description="Longest wait" size="xs" c="dimmed" />
        ) : (
          <Text size="xs" c="dimmed">
            <VisuallyHidden>Longest wait </VisuallyHidden>—
          </Text>
        )}
      </Stack>
    </Group>
  );
}
