import { ApiError } from '@parley/client';
import { useCallback, useRef, useState } from 'react';

export interface MonitorAction {
  /** The call whose request is on its way, if any. */
  pendingId: string | undefined;
  /** The last failure, until the next attempt or a dismissal. */
  error: unknown;
  run: (callId: string, request: () => Promise<unknown>) => Promise<void>;
  dismissError: () => void;
}

/**
 * Joins, changes or leaves one call at a time; whatever the outcome, `onSettled` runs so the
 * list shows the server's view at once. An expired session leads to sign-in.
 */
export function useMonitorAction(onSettled: () => void, onSessionExpired: () => void): MonitorAction {
  const [pendingId, setPendingId] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const handlers = useRef({ onSettled, onSessionExpired });
  handlers.current = { onSettled, onSessionExpired };

  const run = useCallback(async (callId: string, request: () => Promise<unknown>) => {
    setPendingId(callId);
    setError(undefined);
    let expired = false;
    try {
      await request();
    } catch (failure) {
      expired = failure instanceof ApiError && failure.status === 401;
      if (expired) handlers.current.onSessionExpired();
      else setError(failure);
    } finally {
      setPendingId(undefined);
      if (!expired) handlers.current.onSettled();
    }
  }, []);

  const dismissError = useCallback(() => setError(undefined), []);
  return { pendingId, error, run, dismissError };
}
