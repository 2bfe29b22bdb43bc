import { ApiError } from '@parley/client';
import { useCallback, useRef, useState } from 'react';
import { api } from '../api';
import { describeError } from '../common/describeError';

export interface DigitSender {
  /** The keys pressed so far, in order. */
  pressed: string;
  /** Why the last key that failed was not sent, until the next press. */
  error: string | undefined;
  send: (key: string) => void;
}

/**
 * Sends each key pressed during a call to the far end as it is pressed. The requests go one after
 * another, never side by side, so an IVR hears the keys in the order they were pressed.
 */
export function useDigitSender(callId: string, onSessionExpired: () => void): DigitSender {
  const [pressed, setPressed] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const expiredHandler = useRef(onSessionExpired);
  expiredHandler.current = onSessionExpired;

  const send = useCallback(
    (key: string) => {
      setPressed((previous) => previous + key);
      setError(undefined);
      queue.current = queue.current
        .then(() => api.sendDigits(callId, key))
        .catch((failure: unknown) => {
          if (failure instanceof ApiError && failure.status === 401) expiredHandler.current();
          else setError(describeError(failure));
        });
    },
    [callId],
  );

  return { pressed, error, send };
}
