import type { LiveCall } from '@parley/contract';
import { api } from '../api';
import { usePolled } from '../common/usePolled';

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

const load = () => api.liveCalls();

/** The live calls a manager may supervise, asked for every 2 s while `enabled`. */
export function useLiveCalls(enabled: boolean, onSessionExpired: () => void): LiveCallsState {
  const { data, error, refresh } = usePolled(load, LIVE_CALLS_REFRESH_MS, enabled, onSessionExpired);
  return { calls: data, error, refresh };
}
