import { Button, Group, Select, Stack, Text } from '@mantine/core';
import type { InteractionPanel } from '@parley/contract';
import { useId } from 'react';
import type { OutcomeChoice } from './useOutcomeChoices';

export interface OutcomeSelectProps {
  wrapCodes: InteractionPanel['wrapCodes'];
  choice: OutcomeChoice;
  onChoose: (value: string | null) => void;
}

/**
 * "Outcome", at the bottom of the information section: chosen while the customer is still
 * there, saved as it is chosen, and what the interaction is wrapped with.
 */
export function OutcomeSelect({ wrapCodes, choice, onChoose }: OutcomeSelectProps) {
  const statusId = useId();
  const failed = choice.status === 'failed';
  return (
    <Stack gap={4}>
      <Select
        label="Outcome"
        placeholder="Choose an outcome"
        data={wrapCodes.map((code) => ({ value: code.id, label: code.name }))}
        value={choice.value}
        onChange={(value) => onChoose(value)}
        allowDeselect={false}
        error={failed}
        aria-describedby={statusId}
        size="sm"
      />
      {failed ? (
        <Group id={statusId} role="alert" gap="xs" wrap="nowrap" justify="space-between">
          <Text size="xs" c="red.7">
            {`Outcome not saved: ${choice.error}`}
          </Text>
          <Button size="compact-xs" variant="light" color="red" onClick={() => onChoose(choice.value)}>
            Try again
          </Button>
        </Group>
      ) : (
        <Text id={statusId} role="status" size="xs" c="dimmed" mih={18}>
          {{ idle: '', saving: 'Saving…', saved: 'Outcome saved', failed: '' }[choice.status]}
        </Text>
      )}
    </Stack>
  );
}
