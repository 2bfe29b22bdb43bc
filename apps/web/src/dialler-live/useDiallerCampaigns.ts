import { ApiError } from '@parley/client';
import type { DiallerCampaignStats } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { describeError } from '../common/describeError';

/** How often the figures are asked for again while the page is open. */
export const DIALLER_REFRESH_MS = 2000;

export interface DiallerCampaignsState {
  /** Undefined until the first answer. */
  campaigns: DiallerCampaignStats[] | undefined;
  /** Why the figures could not be loaded, until the next answer. */
  error: string | undefined;
  /** The server refused the role: the page says so and stops asking. */
  refused: boolean;
}

/**
 * The live figures of the predictive campaigns the manager may see, asked for every 2 s while
 * `enabled` (as the live calls are). An older answer never replaces a newer one; a refused role
 * or an expired session stops the asking.
 */
export function useDiallerCampaigns(enabled: boolean, onSessionExpired: () => void): DiallerCampaignsState {
  const [campaigns, setCampaigns] = useState<DiallerCampaignStats[] | undefined>(undefined);
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
    api.diallerCampaigns().then(
      (next) =>
        settle(() => {
          setCampaigns(next);
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
    }, DIALLER_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [enabled, refused, refresh]);

  return { campaigns, error, refused };
}
