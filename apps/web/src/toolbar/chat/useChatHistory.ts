import { ApiError } from '@parley/client';
import type { ChatHistoryFilter, ChatHistoryItem } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';

/** What the agent searches by: words of the contact and of the messages, and the days. */
export interface ChatHistorySearch {
  contact: string;
  text: string;
  from: string;
  to: string;
}

export const NO_SEARCH: ChatHistorySearch = { contact: '', text: '', from: '', to: '' };

export interface ChatHistoryState {
  /** Newest first; undefined until the first answer. */
  chats: ChatHistoryItem[] | undefined;
  /** How many chats the search finds in all. */
  total: number;
  loading: boolean;
  error: string | undefined;
  search: (search: ChatHistorySearch) => void;
  loadMore: () => void;
}

/** The search as the server takes it: empty fields left out. */
function toQuery(search: ChatHistorySearch): ChatHistoryFilter {
  const query: ChatHistoryFilter = {};
  const contact = search.contact.trim();
  const text = search.text.trim();
  if (contact) query.contact = contact;
  if (text) query.text = text;
  if (search.from) query.from = search.from;
  if (search.to) query.to = search.to;
  return query;
}

/**
 * Chat History: the latest past chats when the side panel first opens, then what the agent
 * searches for, a page at a time. Only the newest request's answer is shown.
 */
export function useChatHistory(open: boolean, onSessionExpired: () => void): ChatHistoryState {
  const [chats, setChats] = useState<ChatHistoryItem[] | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const expired = useRef(onSessionExpired);
  expired.current = onSessionExpired;
  const query = useRef<ChatHistoryFilter>({});
  const latest = useRef(0);
  const started = useRef(false);

  const fetchPage = useCallback((offset: number, current: ChatHistoryItem[]) => {
    latest.current += 1;
    const token = latest.current;
    setLoading(true);
    setError(undefined);
    // The server's page size stands; the next page starts after those shown.
    api.chatHistory(offset > 0 ? { ...query.current, offset } : query.current).then(
      (page) => {
        if (token !== latest.current) return;
        const known = new Set(current.map((c) => c.chatId));
        setChats([...current, ...page.chats.filter((c) => !known.has(c.chatId))]);
        setTotal(page.total);
        setLoading(false);
      },
      (failure: unknown) => {
        if (token !== latest.current) return;
        setLoading(false);
        if (failure instanceof ApiError && failure.status === 401) expired.current();
        else setError(describeError(failure));
      },
    );
  }, []);

  const search = useCallback(
    (wanted: ChatHistorySearch) => {
      started.current = true;
      query.current = toQuery(wanted);
      fetchPage(0, []);
    },
    [fetchPage],
  );

  const loadMore = useCallback(() => {
    const current = chats ?? [];
    fetchPage(current.length, current);
  }, [chats, fetchPage]);

  useEffect(() => {
    if (open && !started.current) search(NO_SEARCH);
  }, [open, search]);

  return { chats, total, loading, error, search, loadMore };
}
