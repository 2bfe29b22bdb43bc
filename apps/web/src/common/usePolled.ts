import { ApiError } from '@parley/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from './describeError';

export interface PolledState<T> {
  /** Undefined until the first answer. */
  data: T | undefined;
  /** Why it could not be loaded, until the next answer. */
  error: string | undefined;
  /** The server refused the role: the page says so and the asking stops. */
  refused: boolean;
  /** Asks again now (after an action, say), whether or not a request is on its way. */
  refresh: () => void;
}

/**
 * What `load` answers, asked for every `everyMs` while `enabled` (a manager's live page). An
 * older answer never replaces a newer one; a slow server is not asked again until it answers; a
 * refused role or an expired session stops the asking.
 */
export function usePolled<T>(
  load: () => Promise<T>,
  everyMs: number,
  enabled: boolean,
  onSessionExpired: () => void,
): PolledState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [refused, setRefused] = useState(false);
  const sent = useRef(0);
  const applied = useRef(0);
  const inFlight = useRef(0);
  const mounted = useRef(true);
  const handlers = useRef({ load, onSessionExpired });
  handlers.current = { load, onSessionExpired };

  const refresh = useCallback(() => {
    sent.current += 1;
    const request = sent.current;
    inFlight.current += 1;
    const settle = (apply: () => void) => {
      inFlight.current -= 1;
      if (!mounted.current || request < applied.current) return;
      applied.current = request;
      apply();
    };
    handlers.current.load().then(
      (next) =>
        settle(() => {
          setData(next);
          setError(undefined);
        }),
      (failure: unknown) =>
        settle(() => {
          if (failure instanceof ApiError && (failure.status === 401 || failure.status === 403))
            setRefused(true);
          if (failure instanceof ApiError && failure.status === 401) handlers.current.onSessionExpired();
          else setError(describeError(failure));
        }),
    );
  }, []);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (!enabled || refused) return;
    refresh();
    const timer = window.setInterval(() => {
      if (inFlight.current === 0) refresh();
    }, everyMs);
    return () => window.clearInterval(timer);
  }, [enabled, refused, refresh, everyMs]);

  return { data, error, refused, refresh };
}
