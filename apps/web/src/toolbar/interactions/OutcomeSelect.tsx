import { Button, Group, Select, Stack, Text } from '@mantine/core';
import type { InteractionPanel } from '@parley/contract';
import { useId } from 'react';
import { CompletePhoneNumberIcon } from '../../leads/CompletePhoneNumberIcon';
import type { OutcomeChoice } from './useOutcomeChoices';

export interface OutcomeSelectProps {
  wrapCodes: InteractionPanel['wrapCodes'];
  choice: OutcomeChoice;
  onChoose: (value: string | null) => void;
}

/**
 * "Outcome", at the bottom of the information section: chosen while the customer is still
 * there, saved as it is chosen, and what the interaction is wrapped with. A "Complete Phone
 * Number" outcome carries its icon, in the list and once chosen.
 */
export function OutcomeSelect({ wrapCodes, choice, onChoose }: OutcomeSelectProps) {
  const statusId = useId();
  const failed = choice.status === 'failed';
  const completesNumber = new Set(
    wrapCodes.filter((code) => code.completesPhoneNumber).map((code) => code.id),
  );
  return (
    <Stack gap={4}>
      <Select
        label="Outcome"
        placeholder="Choose an outcome"
        data={wrapCodes.map((code) => ({ value: code.id, label: code.name }))}
        value={choice.value}
        onChange={(value) => onChoose(value)}
        renderOption={({ option }) => (
          <Group gap={6} wrap="nowrap" justify="space-between" w="100%">
            <span>{option.label}</span>
            {/* Read out as "Wrong number Complete Phone Number"; a flex gap draws the space. */}
            {completesNumber.has(option.value) && (
              <>
                {' '}
                <CompletePhoneNumberIcon />
              </>
            )}
          </Group>
        )}
        leftSection={
          choice.value && completesNumber.has(choice.value) ? <CompletePhoneNumberIcon /> : undefined
        }
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
