import { ApiError } from '@parley/client';
import type { Callback, Notification } from '@parley/contract';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';

/** How often the list is fetched again while the side panel is open (callbacks fall due by the minute). */
export const CALLBACKS_REFRESH_MS = 60_000;

/** How the server words a due personal callback's notification ("Callback due: Ann Lee (09:30 UTC)"). */
export const CALLBACK_DUE_PREFIX = 'Callback due: ';

export interface CallbacksState {
  /** Soonest first; undefined until loaded. */
  callbacks: Callback[] | undefined;
  /** Why the last fetch failed, when it did. */
  error: string | undefined;
}

/**
 * The agent's callbacks for the side panel: fetched when the panel opens, every minute while it
 * stays open, and when a "Callback due" notification arrives. Closed, it asks for nothing.
 */
export function useCallbacks(
  open: boolean,
  notifications: Notification[] | undefined,
  onSessionExpired: () => void,
): CallbacksState {
  const [state, setState] = useState<CallbacksState>({ callbacks: undefined, error: undefined });
  const expiredHandler = useRef(onSessionExpired);
  expiredHandler.current = onSessionExpired;
  const latest = useRef(0);
  const dueSignal = (notifications ?? [])
    .filter((n) => n.text.startsWith(CALLBACK_DUE_PREFIX))
    .map((n) => n.id)
    .join(' ');

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new "Callback due" notification fetches again.
  useEffect(() => {
    if (!open) return;
    const load = () => {
      latest.current += 1;
      const token = latest.current;
      api.callbacks().then(
        (callbacks) => {
          if (token === latest.current) setState({ callbacks, error: undefined });
        },
        (failure: unknown) => {
          if (token !== latest.current) return;
          if (failure instanceof ApiError && failure.status === 401) expiredHandler.current();
          else setState((previous) => ({ ...previous, error: describeError(failure) }));
        },
      );
    };
    load();
    const timer = window.setInterval(load, CALLBACKS_REFRESH_MS);
    return () => {
      window.clearInterval(timer);
      latest.current += 1;
    };
  }, [open, dueSignal]);

  return state;
}
