import { Group, Text } from '@mantine/core';
import IconLifebuoy from '@tabler/icons-react/icons/IconLifebuoy';

/** On the call card while the agent's request for help waits for a manager to join. */
export function AssistRequestedNotice() {
  return (
    <Group gap={6} mt="xs" wrap="nowrap">
      <IconLifebuoy size={16} color="var(--mantine-color-orange-8)" aria-hidden />
      <Text role="status" size="sm" fw={500}>
        Help requested
      </Text>
    </Group>
  );
}
