import { type ConnectionStatus, RealtimeClient } from '@parley/client';
import type { Snapshot } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { openBrowserSocket } from './openBrowserSocket';
import { realtimeUrl } from './realtimeUrl';

export interface ToolbarStateOptions {
  /** The server ended this session (signed out elsewhere, account disabled, expired). */
  onRevoked: (reason: string) => void;
}

export interface ToolbarState {
  /** Everything the toolbar shows; undefined until the first snapshot arrives. */
  snapshot: Snapshot | undefined;
  status: ConnectionStatus;
  /** Whether the channel has been open at least once since the toolbar appeared. */
  hasBeenOpen: boolean;
  /** Closes the channel for good and stops listening, e.g. before signing out. */
  stop: () => void;
}

interface Connection {
  client: RealtimeClient;
  unsubscribe: () => void;
}

/** Keeps one realtime channel open while the toolbar is shown and mirrors its state into React. */
export function useToolbarState({ onRevoked }: ToolbarStateOptions): ToolbarState {
  const [snapshot, setSnapshot] = useState<Snapshot | undefined>(undefined);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [hasBeenOpen, setHasBeenOpen] = useState(false);
  const connection = useRef<Connection | undefined>(undefined);
  const revokedHandler = useRef(onRevoked);
  revokedHandler.current = onRevoked;

  useEffect(() => {
    const client = new RealtimeClient({ connect: () => openBrowserSocket(realtimeUrl()) });
    const unsubscribe = client.subscribe({
      state: (next) => setSnapshot(next),
      status: (next) => {
        setStatus(next);
        if (next === 'open') setHasBeenOpen(true);
      },
      revoked: (reason) => revokedHandler.current(reason),
    });
    connection.current = { client, unsubscribe };
    client.start();
    return () => {
      unsubscribe();
      client.stop();
      connection.current = undefined;
    };
  }, []);

  const stop = useCallback(() => {
    const current = connection.current;
    if (!current) return;
    current.unsubscribe();
    current.client.stop();
    connection.current = undefined;
  }, []);

  return { snapshot, status, hasBeenOpen, stop };
}
