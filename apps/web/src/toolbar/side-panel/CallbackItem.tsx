import { Badge, Box, Group, Text } from '@mantine/core';
import type { Callback } from '@parley/contract';
import { useId } from 'react';
import { formatCallbackTime } from '../../leads/formatCallbackTime';

export interface CallbackItemProps {
  callback: Callback;
}

/** One callback: who, in which campaign, when, whether it is the agent's own, and whether it is due. */
export function CallbackItem({ callback }: CallbackItemProps) {
  const nameId = useId();
  return (
    <Box
      component="li"
      aria-labelledby={nameId}
      px={4}
      py={6}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text id={nameId} size="sm" fw={600} truncate="end">
          {callback.label}
        </Text>
        {callback.due && (
          <Badge size="xs" color="red" variant="filled" style={{ flexShrink: 0 }}>
            Due
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" truncate="end">
        {callback.campaignName}
      </Text>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" ff="monospace">
          {formatCallbackTime(callback.at)}
        </Text>
        <Badge
          size="xs"
          variant="light"
          color={callback.personal ? 'blue' : 'gray'}
          style={{ flexShrink: 0 }}
        >
          {callback.personal ? 'Personal' : 'Campaign'}
        </Badge>
      </Group>
    </Box>
  );
}
