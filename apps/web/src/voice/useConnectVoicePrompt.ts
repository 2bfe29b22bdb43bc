import type { VoiceState } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';

const PROMPTED_KEY = 'parley.connectVoicePrompted';

function alreadyPrompted(userId: string): boolean {
  try {
    return window.sessionStorage.getItem(PROMPTED_KEY) === userId;
  } catch {
    return false;
  }
}

function rememberPrompted(userId: string): void {
  try {
    window.sessionStorage.setItem(PROMPTED_KEY, userId);
  } catch {
    // Without session storage the dialog may simply be offered again after a reload.
  }
}

export interface ConnectVoiceDialogState {
  opened: boolean;
  open: () => void;
  close: () => void;
}

/**
 * The Connect Voice dialog's state. It opens by itself once per browser session, when the first
 * snapshot after sign-in shows the agent has no voice connection (as the guide presents it at login).
 */
export function useConnectVoicePrompt(
  userId: string,
  voice: VoiceState | undefined,
): ConnectVoiceDialogState {
  const [opened, setOpened] = useState(false);
  const decided = useRef(false);

  useEffect(() => {
    if (voice === undefined || decided.current) return;
    decided.current = true;
    if (voice !== 'none' || alreadyPrompted(userId)) return;
    rememberPrompted(userId);
    setOpened(true);
  }, [voice, userId]);

  const open = useCallback(() => setOpened(true), []);
  const close = useCallback(() => setOpened(false), []);
  return { opened, open, close };
}
