import { type ConnectionStatus, RealtimeClient, type RealtimeListener } from '@parley/client';
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
  /**
   * Listens to the channel as it goes (each event with the state it made, the connection's
   * status), for what the snapshot does not keep: chat messages, typing, the waiting chats.
   */
  subscribe: (listener: RealtimeListener) => () => void;
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
  // Held apart from the client, so that listeners added before it starts (children's effects run first) hear it.
  const listeners = useRef(new Set<RealtimeListener>());

  useEffect(() => {
    const client = new RealtimeClient({ connect: () => openBrowserSocket(realtimeUrl()) });
    const unsubscribe = client.subscribe({
      state: (next, cause) => {
        setSnapshot(next);
        for (const listener of listeners.current) listener.state?.(next, cause);
      },
      status: (next) => {
        setStatus(next);
        if (next === 'open') setHasBeenOpen(true);
        for (const listener of listeners.current) listener.status?.(next);
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

  const subscribe = useCallback((listener: RealtimeListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  return { snapshot, status, hasBeenOpen, stop, subscribe };
}
