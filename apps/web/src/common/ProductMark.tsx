import { Group, Text, ThemeIcon } from '@mantine/core';
import IconHeadset from '@tabler/icons-react/icons/IconHeadset';

export interface ProductMarkProps {
  size?: 'sm' | 'md';
}

/** The Parley logo: a headset mark and the product name. */
export function ProductMark({ size = 'md' }: ProductMarkProps) {
  const small = size === 'sm';
  return (
    <Group gap={small ? 6 : 8} wrap="nowrap">
      <ThemeIcon size={small ? 26 : 34} radius="md" variant="filled" aria-hidden>
        <IconHeadset size={small ? 16 : 20} stroke={2} />
      </ThemeIcon>
      <Text fw={700} fz={small ? 'md' : 'xl'} lh={1}>
        Parley
      </Text>
    </Group>
  );
}
