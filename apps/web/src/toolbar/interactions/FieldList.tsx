import { Box } from '@mantine/core';
import type { ReactNode } from 'react';

export interface FieldListProps {
  /** InformationFields: each label with its value beside it. */
  children: ReactNode;
  /** Space between the rows, in pixels. */
  rowGap?: number;
}

/** A description list of InformationFields, the labels in one column and the values in the next. */
export function FieldList({ children, rowGap = 4 }: FieldListProps) {
  return (
    <Box
      component="dl"
      m={0}
      style={{ display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: 12, rowGap }}
    >
      {children}
    </Box>
  );
}
