import { ApiError } from '@parley/client';
import { useCallback, useRef, useState } from 'react';
import { describeError } from '../common/describeError';

export interface ApiAction {
  pending: boolean;
  /** The last failure's message, until the next attempt or a dismissal. */
  error: string | undefined;
  run: (request: () => Promise<unknown>) => Promise<void>;
  dismissError: () => void;
}

/**
 * Sends one request on the agent's behalf. What it changes arrives over the realtime channel,
 * so only its progress and failure are kept here; an expired session leads to sign-in.
 */
export function useApiAction(onSessionExpired: () => void): ApiAction {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const expiredHandler = useRef(onSessionExpired);
  expiredHandler.current = onSessionExpired;

  const run = useCallback(async (request: () => Promise<unknown>) => {
    setPending(true);
    setError(undefined);
    try {
      await request();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) expiredHandler.current();
      else setError(describeError(failure));
    } finally {
      setPending(false);
    }
  }, []);

  const dismissError = useCallback(() => setError(undefined), []);
  return { pending, error, run, dismissError };
}
