import { Button, Loader, Stack, Text, ThemeIcon } from '@mantine/core';
import IconHeadset from '@tabler/icons-react/icons/IconHeadset';
import IconHourglass from '@tabler/icons-react/icons/IconHourglass';
import IconPhoneIncoming from '@tabler/icons-react/icons/IconPhoneIncoming';
import IconPhoneOff from '@tabler/icons-react/icons/IconPhoneOff';
import type { WebConnectPhase } from './useWebConnect';

export interface WebConnectPanelProps {
  phase: WebConnectPhase;
  onAnswer: () => void;
  onHangUp: () => void;
}

function statusText(phase: WebConnectPhase): string {
  switch (phase.kind) {
    case 'incoming':
      return phase.call ? `Incoming call: ${phase.call.caller}` : 'Incoming call';
    case 'waiting':
      return 'Waiting';
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return 'Connected';
    case 'failed':
      return `Voice connection failed: ${phase.message}`;
    case 'ended':
      return `Ended: ${phase.reason}`;
  }
}

const looks = {
  incoming: { color: 'green', Icon: IconPhoneIncoming },
  waiting: { color: 'blue', Icon: IconHourglass },
  connected: { color: 'green', Icon: IconHeadset },
  failed: { color: 'red', Icon: IconPhoneOff },
  ended: { color: 'gray', Icon: IconPhoneOff },
} as const;

function PhaseIcon({ phase }: { phase: WebConnectPhase }) {
  if (phase.kind === 'connecting') return <Loader size={64} type="dots" />;
  const { color, Icon } = looks[phase.kind];
  return (
    <ThemeIcon size={64} radius="xl" variant="light" color={color} aria-hidden>
      <Icon size={32} />
    </ThemeIcon>
  );
}

function explanation(phase: WebConnectPhase): string {
  switch (phase.kind) {
    case 'incoming':
      return phase.call
        ? `A ${phase.call.campaignName} call is ringing. Answer to talk to the customer.`
        : 'Answer to open your voice path. It stays open while you are signed in, and calls come through with a beep.';
    case 'waiting':
      return 'This tab rings when a call is offered to you. Answer it here, or from the notification, to talk to the customer.';
    case 'connecting':
      return 'Setting up your voice path. Allow the microphone if your browser asks.';
    case 'connected':
      return 'You can return to the Agent Toolbar. Keep this tab open while you are signed in.';
    case 'failed':
    case 'ended':
      return 'Your voice path is not connected, so calls cannot reach you.';
  }
}

/** What the Web Connect tab is doing, in a sentence, and the one thing to do next. */
export function WebConnectPanel({ phase, onAnswer, onHangUp }: WebConnectPanelProps) {
  return (
    <Stack align="center" gap="md" ta="center">
      <PhaseIcon phase={phase} />
      <Text role="status" fz="xl" fw={700}>
        {statusText(phase)}
      </Text>
      <Text size="sm" c="dimmed">
        {explanation(phase)}
      </Text>
      {phase.kind === 'incoming' && (
        <Button
          size="xl"
          color="green"
          radius="xl"
          leftSection={<IconPhoneIncoming size={24} />}
          onClick={onAnswer}
        >
          Answer
        </Button>
      )}
      {phase.kind === 'connected' && (
        <Button size="md" color="red" leftSection={<IconPhoneOff size={18} />} onClick={onHangUp}>
          Hang Up
        </Button>
      )}
      {phase.kind === 'failed' && <Button onClick={onAnswer}>Try again</Button>}
      {phase.kind === 'ended' && (
        <Button variant="light" onClick={onAnswer}>
          Connect again
        </Button>
      )}
    </Stack>
  );
}
