import { ApiError, type ConnectionStatus } from '@parley/client';
import { useEffect, useRef } from 'react';
import { api } from '../api';

/**
 * The realtime channel cannot say why it failed to connect. Each time it goes down, ask the
 * server whether the session still stands, so an expired one leads to sign-in, not endless retries.
 */
export function useSessionCheckWhileDown(status: ConnectionStatus, onExpired: () => void): void {
  const expiredHandler = useRef(onExpired);
  expiredHandler.current = onExpired;

  useEffect(() => {
    if (status !== 'down') return;
    let cancelled = false;
    api.session().catch((error: unknown) => {
      if (!cancelled && error instanceof ApiError && error.status === 401) expiredHandler.current();
    });
    return () => {
      cancelled = true;
    };
  }, [status]);
}
