import { ApiError } from '@parley/client';
import { type Dispatch, type RefObject, useCallback, useEffect, useRef } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';
import type { ChatThreadAction, OutgoingMessage } from './chatThreads';
import { newClientId } from './newClientId';

/** The waits before each new attempt of a message that did not reach the server; then the agent retries. */
export const SEND_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 15_000];

export interface ChatSending {
  send: (interactionId: string, text: string) => void;
  /** Sends a message that failed again, with its own clientId (the server stores it once). */
  retry: (interactionId: string, outgoing: OutgoingMessage) => void;
}

/** Worth trying again: the server was not reached, or was busy; not a refusal of the message itself. */
function isTransient(failure: unknown): boolean {
  if (!(failure instanceof ApiError)) return true;
  return failure.status === 0 || failure.status === 408 || failure.status === 429 || failure.status >= 500;
}

/**
 * The agent's messages on their way: shown at once, then sent and sent again with the same
 * clientId until the server has them (the answer, or the push, confirms them by seq).
 */
export function useChatSending(
  dispatch: Dispatch<ChatThreadAction>,
  onSessionExpired: RefObject<() => void>,
  retryDelaysMs: readonly number[] = SEND_RETRY_DELAYS_MS,
): ChatSending {
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const delays = useRef(retryDelaysMs);
  delays.current = retryDelaysMs;

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    };
  }, []);

  const attempt = useCallback(
    (interactionId: string, outgoing: OutgoingMessage, tries: number) => {
      api.sendChatMessage(interactionId, outgoing.clientId, outgoing.text).then(
        (message) => dispatch({ type: 'message', interactionId, message }),
        (failure: unknown) => {
          if (failure instanceof ApiError && failure.status === 401) {
            onSessionExpired.current();
            return;
          }
          const wait = delays.current[tries];
          if (isTransient(failure) && wait !== undefined) {
            const timer = setTimeout(() => {
              timers.current.delete(timer);
              attempt(interactionId, outgoing, tries + 1);
            }, wait);
            timers.current.add(timer);
            return;
          }
          dispatch({
            type: 'sendFailed',
            interactionId,
            clientId: outgoing.clientId,
            error: describeError(failure),
          });
        },
      );
    },
    [dispatch, onSessionExpired],
  );

  const send = useCallback(
    (interactionId: string, text: string) => {
      const outgoing: OutgoingMessage = {
        clientId: newClientId(),
        text,
        at: new Date().toISOString(),
        state: 'sending',
      };
      dispatch({ type: 'sending', interactionId, outgoing });
      attempt(interactionId, outgoing, 0);
    },
    [dispatch, attempt],
  );

  const retry = useCallback(
    (interactionId: string, outgoing: OutgoingMessage) => {
      const again: OutgoingMessage = {
        clientId: outgoing.clientId,
        text: outgoing.text,
        at: outgoing.at,
        state: 'sending',
      };
      dispatch({ type: 'sending', interactionId, outgoing: again });
      attempt(interactionId, again, 0);
    },
    [dispatch, attempt],
  );

  return { send, retry };
}
