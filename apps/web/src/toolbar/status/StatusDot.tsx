import { Box, type MantineColor } from '@mantine/core';

export interface StatusDotProps {
  color: MantineColor;
  size?: number;
}

/** The coloured dot beside a status; its meaning is always said in words too. */
export function StatusDot({ color, size = 10 }: StatusDotProps) {
  return (
    <Box component="span" aria-hidden w={size} h={size} bg={`${color}.6`} style={{ borderRadius: '50%' }} />
  );
}
