import { ApiError } from '@parley/client';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../common/describeError';

export interface ServerList<T> {
  /** Undefined until loaded (and after a failure). */
  items: T[] | undefined;
  /** Why loading failed, when it did. */
  error: string | undefined;
}

/**
 * A list the Transfer dialog offers (agents, pool numbers, workflows), fetched when the part of the
 * dialog that shows it appears, so that it is as current as the moment the agent chose the type.
 */
export function useServerList<T>(load: () => Promise<T[]>, onSessionExpired: () => void): ServerList<T> {
  const [list, setList] = useState<ServerList<T>>({ items: undefined, error: undefined });
  const loader = useRef(load);
  const expiredHandler = useRef(onSessionExpired);
  expiredHandler.current = onSessionExpired;

  useEffect(() => {
    let current = true;
    loader.current().then(
      (items) => {
        if (current) setList({ items, error: undefined });
      },
      (failure: unknown) => {
        if (!current) return;
        if (failure instanceof ApiError && failure.status === 401) expiredHandler.current();
        else setList({ items: undefined, error: describeError(failure) });
      },
    );
    return () => {
      current = false;
    };
  }, []);

  return list;
}
