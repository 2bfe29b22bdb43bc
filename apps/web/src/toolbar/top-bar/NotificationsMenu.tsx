import { ActionIcon, Badge, Button, Divider, Group, Popover, ScrollArea, Text } from '@mantine/core';
import type { Notification as ToolbarNotification } from '@parley/contract';
import IconBell from '@tabler/icons-react/icons/IconBell';
import { useState } from 'react';
import { NotificationItem } from './NotificationItem';

export interface NotificationsMenuProps {
  /** Undefined until the first realtime snapshot arrives. */
  notifications: ToolbarNotification[] | undefined;
  onClear: () => Promise<void>;
}

export function NotificationsMenu({ notifications, onClear }: NotificationsMenuProps) {
  const [clearing, setClearing] = useState(false);
  const [clearFailed, setClearFailed] = useState(false);
  const list = notifications ?? [];
  const count = list.length;

  const unavailable = count === 0 || clearing;

  async function handleClear() {
    if (unavailable) return;
    setClearing(true);
    setClearFailed(false);
    try {
      // The list empties when the server's "notifications.cleared" arrives over the realtime channel.
      await onClear();
    } catch {
      setClearFailed(true);
    } finally {
      setClearing(false);
    }
  }

  return (
    <Popover width={340} position="bottom-end" shadow="md" trapFocus returnFocus>
      <Popover.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="lg"
          aria-label="Notifications"
          style={{ overflow: 'visible' }}
        >
          <IconBell size={20} />
          {count > 0 && (
            <Badge
              component="span"
              size="xs"
              color="red"
              variant="filled"
              circle={count < 10}
              pos="absolute"
              top={-3}
              right={-5}
              px={count < 10 ? 0 : 4}
            >
              {count > 99 ? '99+' : count}
            </Badge>
          )}
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p={0}>
        <Group justify="space-between" px="md" py="xs">
          <Text fw={600} size="sm">
            Notifications
          </Text>
          {/* Stays focusable when it cannot act, so focus is not lost from the popover once the list empties. */}
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={handleClear}
            data-disabled={unavailable || undefined}
            aria-disabled={unavailable}
          >
            {clearing ? 'Clearing…' : 'Clear all'}
          </Button>
        </Group>
        <Divider />
        {clearFailed && (
          <Text size="xs" c="red" px="md" pt="xs">
            The notifications could not be cleared. Try again.
          </Text>
        )}
        {count === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="lg">
            No notifications
          </Text>
        ) : (
          <ScrollArea.Autosize mah={360}>
            <ul style={{ listStyle: 'none', margin: 0, padding: '4px 0' }}>
              {list.map((notification) => (
                <NotificationItem key={notification.id} notification={notification} />
              ))}
            </ul>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
