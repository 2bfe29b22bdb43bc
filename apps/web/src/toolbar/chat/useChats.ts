import { ApiError, type RealtimeListener } from '@parley/client';
import type { AgentInteraction, WaitingChat } from '@parley/contract';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';
import {
  forgetChat,
  readDraft,
  readOutgoing,
  readSeenSeq,
  storeDraft,
  storeOutgoing,
  storeSeenSeq,
} from './chatStorage';
import { type ChatThreads, chatThreadsReducer, lastCustomerSeq } from './chatThreads';
import { type ChatSending, useChatSending } from './useChatSending';

export interface ChatsOptions {
  /** The agent's interactions, as the realtime channel reports them; undefined before the snapshot. */
  interactions: AgentInteraction[] | undefined;
  /** The realtime channel's events and status (see `useToolbarState`). */
  subscribe: (listener: RealtimeListener) => () => void;
  onSessionExpired: () => void;
  /** The waits between automatic attempts to send a message (tests shorten them). */
  retryDelaysMs?: readonly number[];
}

export interface Chats extends ChatSending {
  threads: ChatThreads;
  /** The agent's chats that have a tab: being chatted in, or being wrapped. */
  active: AgentInteraction[];
  /** The chats waiting in the agent's queues; undefined until first asked for. */
  waiting: WaitingChat[] | undefined;
  waitingError: string | undefined;
  refreshWaiting: () => void;
  /** Fetches a chat again (after a failed load). */
  reload: (interactionId: string) => void;
  /** The agent is looking at the chat: its customer's messages are read (the server is told). */
  markSeen: (interactionId: string) => void;
  /** What the agent has typed and not sent, per chat, kept while the tab or the panel is closed (and over a reload). */
  drafts: { get: (interactionId: string) => string; set: (interactionId: string, text: string) => void };
}

const drafts = { get: readDraft, set: storeDraft };

const hasTab = (i: AgentInteraction) => i.kind === 'chat' && i.state !== 'offered';

/**
 * The agent's chats: each fetched when it arrives and again after the realtime channel comes
 * back, with what the channel pushes merged in by seq, so nothing is lost or shown twice.
 */
export function useChats({ interactions, subscribe, onSessionExpired, retryDelaysMs }: ChatsOptions): Chats {
  const [threads, dispatch] = useReducer(chatThreadsReducer, {});
  const [waiting, setWaiting] = useState<WaitingChat[] | undefined>(undefined);
  const [waitingError, setWaitingError] = useState<string | undefined>(undefined);
  const expired = useRef(onSessionExpired);
  expired.current = onSessionExpired;
  const threadsNow = useRef(threads);
  threadsNow.current = threads;
  /** The chats fetched (or being fetched), and whether the waiting list has been asked for. */
  const loaded = useRef(new Set<string>());
  const waitingWanted = useRef(false);
  /** The chats whose unconfirmed messages from before a reload have been sent again (kept from then on). */
  const restored = useRef(new Set<string>());
  const sending = useChatSending(dispatch, expired, retryDelaysMs);
  const { retry } = sending;

  const failed = useCallback((failure: unknown, show: (message: string) => void) => {
    if (failure instanceof ApiError && failure.status === 401) expired.current();
    else show(describeError(failure));
  }, []);

  const reload = useCallback(
    (interactionId: string) => {
      loaded.current.add(interactionId);
      api.chat(interactionId).then(
        (view) => {
          if (!loaded.current.has(interactionId)) return;
          dispatch({ type: 'loaded', view, seenSeq: readSeenSeq(interactionId) });
          if (restored.current.has(interactionId)) return;
          restored.current.add(interactionId);
          // Sent before a reload and not confirmed: sent again with their clientIds, stored once.
          const stored = new Set(view.messages.map((m) => m.clientId));
          for (const outgoing of readOutgoing(interactionId))
            if (!stored.has(outgoing.clientId)) retry(interactionId, outgoing);
        },
        (failure: unknown) =>
          failed(failure, (error) => dispatch({ type: 'loadFailed', interactionId, error })),
      );
    },
    [failed, retry],
  );

  // One fetch at a time: pushes that come meanwhile ask for one more after it, not one each.
  const waitingFetch = useRef<'idle' | 'busy' | 'again'>('idle');
  const refreshWaiting = useCallback(() => {
    waitingWanted.current = true;
    if (waitingFetch.current !== 'idle') {
      waitingFetch.current = 'again';
      return;
    }
    waitingFetch.current = 'busy';
    const done = () => {
      const again = waitingFetch.current === 'again';
      waitingFetch.current = 'idle';
      if (again) refreshWaiting();
    };
    api.waitingChats().then(
      ({ chats }) => {
        setWaiting(chats);
        setWaitingError(undefined);
        done();
      },
      (failure: unknown) => {
        failed(failure, setWaitingError);
        done();
      },
    );
  }, [failed]);

  const active = useMemo(() => (interactions ?? []).filter(hasTab), [interactions]);
  const signature = active.map((i) => i.id).join(' ');
  useEffect(() => {
    const ids = signature ? signature.split(' ') : [];
    for (const id of ids) if (!loaded.current.has(id)) reload(id);
    for (const id of [...loaded.current]) {
      if (ids.includes(id)) continue;
      loaded.current.delete(id);
      restored.current.delete(id);
      forgetChat(id);
    }
    dispatch({ type: 'keep', interactionIds: ids });
  }, [signature, reload]);

  useEffect(() => {
    for (const id of restored.current) {
      const thread = threads[id];
      if (thread) storeOutgoing(id, thread.outgoing);
    }
  }, [threads]);

  useEffect(
    () =>
      subscribe({
        state: (_state, cause) => {
          if (cause === 'snapshot') return;
          switch (cause.name) {
            case 'chat.message':
              dispatch({
                type: 'message',
                interactionId: cause.data.interactionId,
                message: cause.data.message,
              });
              return;
            case 'chat.typing':
              dispatch({
                type: 'typing',
                interactionId: cause.data.interactionId,
                typing: cause.data.typing,
              });
              return;
            case 'chat.read':
              dispatch({ type: 'read', interactionId: cause.data.interactionId, seq: cause.data.seq });
              return;
            case 'chats.waiting':
              // A count changed: the list is fetched again if the panel has asked for it.
              if (waitingWanted.current) refreshWaiting();
              return;
          }
        },
        // Back after a drop (resumed or afresh): whatever was pushed meanwhile is fetched, and merged.
        status: (status) => {
          if (status !== 'open') return;
          for (const id of loaded.current) reload(id);
          if (waitingWanted.current) refreshWaiting();
        },
      }),
    [subscribe, reload, refreshWaiting],
  );

  const markSeen = useCallback((interactionId: string) => {
    const thread = threadsNow.current[interactionId];
    if (!thread) return;
    const seq = lastCustomerSeq(thread);
    if (seq <= thread.seenSeq) return;
    dispatch({ type: 'seen', interactionId, seq });
    storeSeenSeq(interactionId, seq);
    api.chatRead(interactionId, seq).catch((failure: unknown) => {
      // The customer misses a read mark at worst; only a lost session needs the agent.
      if (failure instanceof ApiError && failure.status === 401) expired.current();
    });
  }, []);

  return { ...sending, threads, active, waiting, waitingError, refreshWaiting, reload, markSeen, drafts };
}
