import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** Shown for a field the interaction has no value for. */
const NONE = '—';

export interface InformationFieldProps {
  label: string;
  children: ReactNode;
}

/** One of the information list's fields: its label, then its value (or a dash for none). */
export function InformationField({ label, children }: InformationFieldProps) {
  const empty = children === null || children === undefined || children === '' || children === false;
  return (
    <>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere' }}>
        {empty ? NONE : children}
      </Text>
    </>
  );
}
