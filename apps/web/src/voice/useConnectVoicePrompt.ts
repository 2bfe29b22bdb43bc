import type { VoiceState } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';

export interface ConnectVoiceDialogState {
  opened: boolean;
  open: () => void;
  close: () => void;
}

/** No voice path: none yet, or one that was lost (its tab or phone gone, a crashed browser). */
const withoutVoice = (voice: VoiceState) => voice === 'none' || voice === 'lost';

/**
 * The Connect Voice dialog's state. Each time the toolbar comes up (a sign-in, a reload, the
 * browser restored after a crash, another machine) it opens by itself once when the first
 * snapshot shows the agent has no voice path, as the guide presents it at login. Later changes
 * (a reconnect of the realtime channel, voice lost mid-shift) leave it to the agent.
 */
export function useConnectVoicePrompt(voice: VoiceState | undefined): ConnectVoiceDialogState {
  const [opened, setOpened] = useState(false);
  const decided = useRef(false);

  useEffect(() => {
    if (voice === undefined || decided.current) return;
    decided.current = true;
    if (withoutVoice(voice)) setOpened(true);
  }, [voice]);

  const open = useCallback(() => setOpened(true), []);
  const close = useCallback(() => setOpened(false), []);
  return { opened, open, close };
}
