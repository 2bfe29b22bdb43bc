import { Button, SimpleGrid, Stack, Text } from '@mantine/core';

/** A telephone keypad's keys, row by row, each with the letters printed under it. */
export const DIAL_PAD_KEYS = [
  ['1', ''],
  ['2', 'ABC'],
  ['3', 'DEF'],
  ['4', 'GHI'],
  ['5', 'JKL'],
  ['6', 'MNO'],
  ['7', 'PQRS'],
  ['8', 'TUV'],
  ['9', 'WXYZ'],
  ['*', ''],
  ['0', '+'],
  ['#', ''],
] as const;

export type DialPadKey = (typeof DIAL_PAD_KEYS)[number][0];

export interface DialPadProps {
  onPress: (key: DialPadKey) => void;
  disabled?: boolean;
}

/**
 * The on-screen dial pad (guide: "the on-screen dial pad"): twelve keys, each named by its symbol
 * alone ("1", "*", "#"), so the letters printed under a key are not read out with it.
 */
export function DialPad({ onPress, disabled = false }: DialPadProps) {
  return (
    <SimpleGrid role="group" aria-label="Dial pad" cols={3} spacing={6} verticalSpacing={6} maw={240}>
      {DIAL_PAD_KEYS.map(([key, letters]) => (
        <Button
          key={key}
          variant="default"
          h={48}
          px={0}
          aria-label={key}
          disabled={disabled}
          onClick={() => onPress(key)}
        >
          <Stack gap={0} align="center">
            <Text fw={600} size="lg" lh={1.1} aria-hidden>
              {key}
            </Text>
            <Text size="10px" c="dimmed" lh={1} h={10} aria-hidden>
              {letters}
            </Text>
          </Stack>
        </Button>
      ))}
    </SimpleGrid>
  );
}
