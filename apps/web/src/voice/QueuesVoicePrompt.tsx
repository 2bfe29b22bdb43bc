import { Stack, Text } from '@mantine/core';
import type { VoiceState } from '@parley/contract';
import { ConnectVoiceButton } from './VoiceIndicator';

export interface QueuesVoicePromptProps {
  voice: VoiceState | undefined;
  onConnect: () => void;
}

/** "Connect Voice will appear next to the Call queue": shown above the queues while there is no voice path. */
export function QueuesVoicePrompt({ voice, onConnect }: QueuesVoicePromptProps) {
  if (voice !== 'none' && voice !== 'lost') return null;
  const lost = voice === 'lost';
  return (
    <Stack gap={6} px={4}>
      <Text size="xs" c={lost ? 'red' : 'dimmed'}>
        {lost ? 'Your voice connection was lost.' : 'No voice connection: calls cannot reach you.'}
      </Text>
      <ConnectVoiceButton lost={lost} onConnect={onConnect} size="xs" fullWidth />
    </Stack>
  );
}
