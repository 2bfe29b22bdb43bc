import { Badge, Button } from '@mantine/core';
import type { VoiceState } from '@parley/contract';
import IconHeadset from '@tabler/icons-react/icons/IconHeadset';
import IconHeadsetOff from '@tabler/icons-react/icons/IconHeadsetOff';

export interface VoiceIndicatorProps {
  /** Undefined until the first realtime snapshot arrives. */
  voice: VoiceState | undefined;
  onConnect: () => void;
}

/** Beside the status control: whether the agent's voice path is up, or a way to connect it. */
export function VoiceIndicator({ voice, onConnect }: VoiceIndicatorProps) {
  switch (voice) {
    case undefined:
      return null;
    case 'connected':
      return (
        <Badge
          role="status"
          aria-label="Voice connected"
          variant="light"
          color="green"
          // Mantine's green-on-green light badge reads at 3.8:1; dark text keeps it above 4.5:1.
          c="gray.9"
          size="lg"
          radius="sm"
          tt="none"
          fw={500}
          leftSection={<IconHeadset size={14} color="var(--mantine-color-green-9)" aria-hidden />}
        >
          Voice connected
        </Badge>
      );
    case 'connecting':
      return (
        <Badge role="status" variant="light" color="gray" size="lg" radius="sm" tt="none" fw={500}>
          Voice connecting…
        </Badge>
      );
    case 'none':
    case 'lost':
      return <ConnectVoiceButton lost={voice === 'lost'} onConnect={onConnect} size="xs" />;
  }
}

export interface ConnectVoiceButtonProps {
  lost: boolean;
  onConnect: () => void;
  size: 'xs' | 'sm';
  fullWidth?: boolean;
}

/** Opens the Connect Voice dialog; red once a voice path has been lost. */
export function ConnectVoiceButton({ lost, onConnect, size, fullWidth }: ConnectVoiceButtonProps) {
  return (
    <Button
      size={size}
      variant="light"
      color={lost ? 'red' : 'blue'}
      fullWidth={fullWidth}
      leftSection={<IconHeadsetOff size={16} aria-hidden />}
      onClick={onConnect}
    >
      Connect Voice
    </Button>
  );
}
