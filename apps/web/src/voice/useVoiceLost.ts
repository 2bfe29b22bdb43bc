import type { VoiceState } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';

export interface VoiceLostNotice {
  visible: boolean;
  dismiss: () => void;
}

/** True for `hideAfterMs` after the voice path goes from connected to lost, until dismissed or reconnecting. */
export function useVoiceLost(voice: VoiceState | undefined, hideAfterMs: number): VoiceLostNotice {
  const previous = useRef(voice);
  const [visible, setVisible] = useState(false);

  useEffect(() => {
    const before = previous.current;
    previous.current = voice;
    if (before === 'connected' && voice === 'lost') setVisible(true);
    else if (voice === 'connected' || voice === 'connecting') setVisible(false);
  }, [voice]);

  useEffect(() => {
    if (!visible) return;
    const timer = window.setTimeout(() => setVisible(false), hideAfterMs);
    return () => window.clearTimeout(timer);
  }, [visible, hideAfterMs]);

  const dismiss = useCallback(() => setVisible(false), []);
  return { visible, dismiss };
}
