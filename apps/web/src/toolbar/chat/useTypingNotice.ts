import { useCallback, useEffect, useRef } from 'react';

/** After this long without a key, the agent is no longer typing. */
export const TYPING_IDLE_MS = 3000;

export interface TypingNotice {
  /** The agent pressed a key in the text box. */
  typed: () => void;
  /** The agent sent, or left: they are not typing any more. */
  stopped: () => void;
}

/**
 * Tells the customer the agent is typing without a request per key: "typing" on the first key,
 * "not typing" after TYPING_IDLE_MS without one, or at once on sending or leaving.
 */
export function useTypingNotice(notify: (typing: boolean) => void, idleMs = TYPING_IDLE_MS): TypingNotice {
  const typing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const notifier = useRef(notify);
  notifier.current = notify;

  const stopped = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
    if (!typing.current) return;
    typing.current = false;
    notifier.current(false);
  }, []);

  const typed = useCallback(() => {
    if (!typing.current) {
      typing.current = true;
      notifier.current(true);
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(stopped, idleMs);
  }, [stopped, idleMs]);

  useEffect(() => stopped, [stopped]);
  return { typed, stopped };
}
