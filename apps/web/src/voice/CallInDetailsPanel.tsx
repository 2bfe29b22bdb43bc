import { Alert, Code, Group, Loader, NativeSelect, Stack, Text } from '@mantine/core';
import type { CallInDetails } from '@parley/contract';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { describeError } from '../common/describeError';

export interface CallInDetailsPanelProps {
  /** The agent's voice path is up (the call-in worked). */
  connected: boolean;
}

/** "Call in to connect": the agent's ID, the dial-in numbers and the verification PIN (B1). */
export function CallInDetailsPanel({ connected }: CallInDetailsPanelProps) {
  const [details, setDetails] = useState<CallInDetails | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [number, setNumber] = useState('');

  useEffect(() => {
    let live = true;
    api
      .callInDetails()
      .then((d) => {
        if (!live) return;
        setDetails(d);
        setNumber(d.numbers[0]?.number ?? '');
      })
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, []);

  if (error)
    return (
      <Alert variant="light" color="red" role="alert">
        {error}
      </Alert>
    );
  if (!details) return <Loader size="sm" aria-label="Loading the call-in details" />;
  if (details.numbers.length === 0)
    return <Text size="sm">No dial-in numbers are set up in this workspace. Ask your administrator.</Text>;
  return (
    <Stack gap="sm" aria-label="Call-in details" role="group">
      <Group gap="xs">
        <Text size="sm" fw={600}>
          Agent ID
        </Text>
        <Code fz="md">{details.agentId}</Code>
      </Group>
      <NativeSelect
        label="Dial-in number"
        value={number}
        onChange={(e) => setNumber(e.currentTarget.value)}
        data={details.numbers.map((n) => ({ value: n.number, label: `${n.number} (${n.name})` }))}
      />
      <Group gap="xs">
        <Text size="sm" fw={600}>
          Verification PIN
        </Text>
        <Code fz="md">{details.pin}</Code>
      </Group>
      <Text size="sm" c="dimmed">
        Call {number} from your phone. When asked, key in your agent ID, then the PIN, each followed by #.
      </Text>
      {connected && (
        <Alert variant="light" color="green" role="status">
          Voice connected. You can close this window.
        </Alert>
      )}
    </Stack>
  );
}
