import { Button, Group, Text } from '@mantine/core';

export interface NotSentProps {
  error: string | undefined;
  onRetry: () => void;
}

/** A message the server did not take: why, and a way to send it again. */
export function NotSent({ error, onRetry }: NotSentProps) {
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      <Text size="xs" c="red">
        {error ? `Not sent: ${error}` : 'Not sent'}
      </Text>
      <Button size="compact-xs" variant="subtle" onClick={onRetry}>
        Retry
      </Button>
    </Group>
  );
}
