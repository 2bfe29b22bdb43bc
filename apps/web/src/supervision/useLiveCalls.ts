import { ApiError } from '@parley/client';
import type { LiveCall } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { describeError } from '../common/describeError';

/** How often the list is asked for again while the page is open. */
export const LIVE_CALLS_REFRESH_MS = 2000;

export interface LiveCallsState {
  /** Undefined until the first answer. */
  calls: LiveCall[] | undefined;
  /** Why the list could not be loaded, until the next answer. */
  error: string | undefined;
  /** Asks again now (after an action, say), whether or not a request is on its way. */
  refresh: () => void;
}

/**
 * The live calls a manager may supervise, asked for every 2 s while `enabled`. An older answer
 * never replaces a newer one; a refused role or an expired session stops the asking.
 */
export function useLiveCalls(enabled: boolean, onSessionExpired: () => void): LiveCallsState {
  const [calls, setCalls] = useState<LiveCall[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [refused, setRefused] = useState(false);
  const sent = useRef(0);
  const applied = useRef(0);
  const inFlight = useRef(0);
  const mounted = useRef(true);
  const expiredHandler = useRef(onSessionExpired);
  expiredHandler.current = onSessionExpired;

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
    api.liveCalls().then(
      (next) =>
        settle(() => {
          setCalls(next);
          setError(undefined);
        }),
      (failure: unknown) =>
        settle(() => {
          if (failure instanceof ApiError && (failure.status === 401 || failure.status === 403))
            setRefused(true);
          if (failure instanceof ApiError && failure.status === 401) expiredHandler.current();
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
    // A slow server is not asked again until it answers.
    const timer = window.setInterval(() => {
      if (inFlight.current === 0) refresh();
    }, LIVE_CALLS_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [enabled, refused, refresh]);

  return { calls, error, refresh };
}
