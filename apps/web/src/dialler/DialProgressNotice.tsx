import { Alert, Group, Text } from '@mantine/core';
import type { DialProgress } from '@parley/contract';
import IconPhoneOutgoing from '@tabler/icons-react/icons/IconPhoneOutgoing';
import { CONNECTING_TEXT, isConnecting } from './dialProgress';

/** Said when the server gives no reason for a call that did not connect. */
const FAILED_WITHOUT_REASON = 'The call could not be connected';

/**
 * A placed call's progress on its card: "Dialling" or "Ringing" and who is called, until the far
 * end answers; if it never does, why, for the agent to read before wrapping the call.
 */
export function DialProgressNotice({ dial }: { dial: DialProgress }) {
  if (isConnecting(dial))
    return (
      <Group gap={6} mt="xs" wrap="nowrap">
        <IconPhoneOutgoing size={16} aria-hidden />
        <Text role="status" size="sm" fw={500} truncate="end">
          {CONNECTING_TEXT[dial.state]} {dial.to}
        </Text>
      </Group>
    );
  if (dial.state === 'failed')
    return (
      <Alert role="alert" variant="light" color="red" mt="xs" py="xs" title={`The call to ${dial.to} failed`}>
        {dial.reason ?? FAILED_WITHOUT_REASON}
      </Alert>
    );
  return null;
}
