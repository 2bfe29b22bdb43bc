import { Text } from '@mantine/core';
import { InformationField as Field } from '../interactions/InformationField';

export interface EmailThreadIdFieldProps {
  /** Undefined while the email is loading. */
  threadId: string | undefined;
}

/** "Email thread ID" (guide section 6): the thread the interaction's email belongs to. */
export function EmailThreadIdField({ threadId }: EmailThreadIdFieldProps) {
  return (
    <Field label="Email thread ID">
      {threadId && (
        <Text component="span" size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {threadId}
        </Text>
      )}
    </Field>
  );
}
