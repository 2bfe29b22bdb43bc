import { EmptyState } from '@mantine/core';
import IconInbox from '@tabler/icons-react/icons/IconInbox';

export function NoInteractions() {
  return (
    <EmptyState variant="light" color="gray" size="md">
      <EmptyState.Indicator>
        <IconInbox size={28} stroke={1.6} />
      </EmptyState.Indicator>
      <EmptyState.Title order={2}>No active interactions</EmptyState.Title>
      <EmptyState.Description>
        Calls, chats and emails offered to you will appear here.
      </EmptyState.Description>
    </EmptyState>
  );
}
