import { Alert, Button, Checkbox, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { describeError } from '../common/describeError';

export interface CallMePanelProps {
  /** The agent's voice path is up (the phone answered). */
  connected: boolean;
}

/** "Call me to connect" (B2): the agent's number or extension; the platform rings it. */
export function CallMePanel({ connected }: CallMePanelProps) {
  const [destination, setDestination] = useState('');
  const [saveDefault, setSaveDefault] = useState(false);
  const [mode, setMode] = useState('persistent');
  const [calling, setCalling] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  // The saved default is the agent's, kept on the server: it follows them to any desk.
  useEffect(() => {
    let live = true;
    api
      .callMeDefault()
      .then(({ default: saved }) => {
        if (!live || !saved) return;
        setDestination((typed) => typed || saved.destination);
        setMode(saved.persistent ? 'persistent' : 'non-persistent');
        setSaveDefault(true);
      })
      .catch(() => {}); // without it the agent types the number, as before any default
    return () => {
      live = false;
    };
  }, []);

  async function callMe() {
    setError(undefined);
    try {
      await api.callMe({ destination, persistent: mode === 'persistent', saveAsDefault: saveDefault });
      setCalling(true);
    } catch (e) {
      setCalling(false);
      setError(describeError(e));
    }
  }

  return (
    <Stack gap="sm">
      <TextInput
        label="Phone number or extension"
        description="The number of the phone you will use, or its SIP address on the office network."
        value={destination}
        onChange={(e) => setDestination(e.currentTarget.value)}
      />
      <Radio.Group label="Connection type" value={mode} onChange={setMode}>
        <Stack gap="xs" mt="xs">
          <Radio
            value="persistent"
            label="Persistent Connection"
            description="One call for your whole login."
          />
          <Radio
            value="non-persistent"
            label="Non-persistent Connection"
            description="We call once now to check the number; then your phone rings for each call: answer it to talk to the customer."
          />
        </Stack>
      </Radio.Group>
      <Checkbox
        label="Save as default"
        checked={saveDefault}
        onChange={(e) => setSaveDefault(e.currentTarget.checked)}
      />
      {error && (
        <Alert variant="light" color="red" role="alert">
          {error}
        </Alert>
      )}
      {connected ? (
        <Alert variant="light" color="green" role="status">
          {mode === 'persistent'
            ? 'Voice connected. You can close this window.'
            : 'Ready: your phone will ring for each call. You can close this window.'}
        </Alert>
      ) : (
        calling && (
          <Text size="sm" role="status">
            Calling you… answer your phone.
          </Text>
        )
      )}
      <Group justify="flex-end">
        <Button onClick={callMe} disabled={destination.trim() === ''}>
          Connect
        </Button>
      </Group>
    </Stack>
  );
}
