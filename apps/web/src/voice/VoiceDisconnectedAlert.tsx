import { Alert, Box } from '@mantine/core';
import type { VoiceState } from '@parley/contract';
import IconHeadsetOff from '@tabler/icons-react/icons/IconHeadsetOff';
import { useVoiceLost } from './useVoiceLost';

/** The guide: "a pop-up notification will appear briefly in the top centre". */
const SHOWN_FOR_MS = 8000;

export interface VoiceDisconnectedAlertProps {
  voice: VoiceState | undefined;
}

/** Pops up over the top centre of the main area when a connected voice path is lost. */
export function VoiceDisconnectedAlert({ voice }: VoiceDisconnectedAlertProps) {
  const { visible, dismiss } = useVoiceLost(voice, SHOWN_FOR_MS);
  if (!visible) return null;
  return (
    // No height of its own: it floats over the content, centred, and stays in view under the header.
    <Box pos="sticky" top={64} h={0} style={{ zIndex: 150, display: 'flex', justifyContent: 'center' }}>
      <Alert
        role="alert"
        variant="filled"
        color="red"
        radius="md"
        w="min(100%, 460px)"
        style={{ boxShadow: 'var(--mantine-shadow-lg)', height: 'fit-content' }}
        icon={<IconHeadsetOff size={18} />}
        title="Voice Disconnected"
        withCloseButton
        closeButtonLabel="Dismiss"
        onClose={dismiss}
      >
        Your voice connection was lost. Click Connect Voice to reconnect.
      </Alert>
    </Box>
  );
}
