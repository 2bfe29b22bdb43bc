import { Group, Stack, Text, ThemeIcon } from '@mantine/core';
import type { Notification as ToolbarNotification } from '@parley/contract';
import IconAlertTriangle from '@tabler/icons-react/icons/IconAlertTriangle';
import IconCircleX from '@tabler/icons-react/icons/IconCircleX';
import IconInfoCircle from '@tabler/icons-react/icons/IconInfoCircle';
import { formatNotificationTime } from './formatNotificationTime';

const levels = {
  info: { color: 'blue', Icon: IconInfoCircle },
  warning: { color: 'yellow', Icon: IconAlertTriangle },
  error: { color: 'red', Icon: IconCircleX },
} as const;

export interface NotificationItemProps {
  notification: ToolbarNotification;
}

export function NotificationItem({ notification }: NotificationItemProps) {
  const level = levels[notification.level];
  return (
    <Group component="li" gap="sm" wrap="nowrap" align="flex-start" px="md" py={8}>
      <ThemeIcon size="sm" variant="light" color={level.color} mt={2} aria-hidden>
        <level.Icon size={14} />
      </ThemeIcon>
      <Stack gap={2} miw={0}>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {notification.text}
        </Text>
        <Text component="time" dateTime={notification.createdAt} size="xs" c="dimmed">
          {formatNotificationTime(notification.createdAt)}
        </Text>
      </Stack>
    </Group>
  );
}
