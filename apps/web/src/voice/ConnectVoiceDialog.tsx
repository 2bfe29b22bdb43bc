import { Alert, Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import type { VoiceState } from '@parley/contract';
import IconAlertCircle from '@tabler/icons-react/icons/IconAlertCircle';
import { useState } from 'react';
import { CallInDetailsPanel } from './CallInDetailsPanel';
import { CallMePanel } from './CallMePanel';
import { type ConnectionMode, WEB_CONNECT_WINDOW, webConnectUrl } from './webConnectUrl';

export interface ConnectVoiceDialogProps {
  opened: boolean;
  onClose: () => void;
  /** The agent's voice connection now (call-in shows when it is up). */
  voice: VoiceState | undefined;
}

const MODES = [
  { value: 'web', label: 'Web Connect', description: 'Talk through this browser, with a headset.' },
  {
    value: 'call-me',
    label: 'Call me to connect',
    description: 'We call your phone: once for your whole login, or for each call.',
  },
  { value: 'call-in', label: 'Call in to connect', description: 'Call from any phone; always persistent.' },
] as const;
type VoiceMode = (typeof MODES)[number]['value'];

function isConnectionMode(value: string): value is ConnectionMode {
  return value === 'persistent' || value === 'non-persistent';
}

/** The guide's "Connect Voice" screen: choose how the voice path reaches the agent. */
export function ConnectVoiceDialog({ opened, onClose, voice }: ConnectVoiceDialogProps) {
  const [voiceMode, setVoiceMode] = useState<VoiceMode>('web');
  const [mode, setMode] = useState<ConnectionMode>('persistent');
  const [blocked, setBlocked] = useState(false);

  function handleClose() {
    setBlocked(false);
    onClose();
  }

  function handleConnect() {
    const tab = window.open(webConnectUrl(mode), WEB_CONNECT_WINDOW);
    if (!tab) {
      setBlocked(true);
      return;
    }
    handleClose();
  }

  return (
    <Modal
      opened={opened}
      onClose={handleClose}
      title="Connect Voice"
      // It offers, it does not insist: the toolbar stays usable behind it.
      withOverlay={false}
      lockScroll={false}
      yOffset={80}
      closeButtonProps={{ 'aria-label': 'Close' }}
      styles={{ title: { fontWeight: 700 } }}
    >
      <Stack gap="lg">
        <Radio.Group
          label="Voice connectivity mode"
          value={voiceMode}
          onChange={(value) => {
            if (value === 'web' || value === 'call-in' || value === 'call-me') setVoiceMode(value);
          }}
        >
          <Stack gap="sm" mt="xs">
            {MODES.map((choice) => (
              <Radio
                key={choice.value}
                value={choice.value}
                label={choice.label}
                description={choice.description}
              />
            ))}
          </Stack>
        </Radio.Group>
        {voiceMode === 'call-in' && <CallInDetailsPanel connected={voice === 'connected'} />}
        {voiceMode === 'call-me' && <CallMePanel connected={voice === 'connected'} />}
        {voiceMode === 'web' && (
          <Radio.Group
            label="Connection type"
            value={mode}
            onChange={(value) => {
              if (isConnectionMode(value)) setMode(value);
            }}
          >
            <Stack gap="sm" mt="xs">
              <Radio
                value="persistent"
                label="Persistent Connection"
                description="Your voice path stays open for the whole login; calls come through at once."
              />
              <Radio
                value="non-persistent"
                label="Non-persistent Connection"
                description="The voice path opens for each call, answered in the Web Connect tab."
              />
            </Stack>
          </Radio.Group>
        )}
        {voiceMode === 'web' && blocked && (
          <Alert variant="light" color="red" icon={<IconAlertCircle size={18} />}>
            Your browser blocked the Web Connect tab. Allow pop-ups for Parley, then try again.
          </Alert>
        )}
        {voiceMode === 'web' ? (
          <>
            <Text size="sm" c="dimmed">
              Web Connect opens in a new tab. Keep that tab open while you are signed in.
            </Text>
            <Group justify="flex-end">
              <Button onClick={handleConnect}>Connect</Button>
            </Group>
          </>
        ) : (
          <Group justify="flex-end">
            <Button variant="default" onClick={handleClose}>
              Close
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
