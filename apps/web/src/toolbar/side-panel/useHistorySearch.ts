import { ApiError } from '@parley/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../../common/describeError';

/** What the agent searches by: words of the contact and of the conversation, and the days. */
export interface HistorySearch {
  contact: string;
  text: string;
  from: string;
  to: string;
}

export const NO_SEARCH: HistorySearch = { contact: '', text: '', from: '', to: '' };

/** The search as the server takes it (Chat and Email History take the same). */
export interface HistoryFilter {
  contact?: string;
  text?: string;
  from?: string;
  to?: string;
  offset?: number;
}

/** Where a history's pages come from, and what tells its items apart. */
export interface HistorySource<Item> {
  fetchPage: (filter: HistoryFilter) => Promise<{ items: Item[]; total: number }>;
  keyOf: (item: Item) => string;
}

export interface HistorySearchState<Item> {
  /** In the server's order (newest first); undefined until the first answer. */
  items: Item[] | undefined;
  /** How many items the search finds in all. */
  total: number;
  loading: boolean;
  error: string | undefined;
  search: (search: HistorySearch) => void;
  loadMore: () => void;
}

/** The search as the server takes it: empty fields left out. */
function toFilter(search: HistorySearch): HistoryFilter {
  const filter: HistoryFilter = {};
  const contact = search.contact.trim();
  const text = search.text.trim();
  if (contact) filter.contact = contact;
  if (text) filter.text = text;
  if (search.from) filter.from = search.from;
  if (search.to) filter.to = search.to;
  return filter;
}

/**
 * A side panel history (chats, email threads): the latest items when the side panel first
 * opens, then what the agent searches for, a page at a time. Only the newest request's answer
 * is shown.
 */
export function useHistorySearch<Item>(
  open: boolean,
  onSessionExpired: () => void,
  source: HistorySource<Item>,
): HistorySearchState<Item> {
  const [items, setItems] = useState<Item[] | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const expired = useRef(onSessionExpired);
  expired.current = onSessionExpired;
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const filter = useRef<HistoryFilter>({});
  const latest = useRef(0);
  const started = useRef(false);

  const requestPage = useCallback((offset: number, current: Item[]) => {
    latest.current += 1;
    const token = latest.current;
    setLoading(true);
    setError(undefined);
    const { fetchPage, keyOf } = sourceRef.current;
    // The server's page size stands; the next page starts after those shown.
    fetchPage(offset > 0 ? { ...filter.current, offset } : filter.current).then(
      (page) => {
        if (token !== latest.current) return;
        const known = new Set(current.map(keyOf));
        setItems([...current, ...page.items.filter((item) => !known.has(keyOf(item)))]);
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
    (wanted: HistorySearch) => {
      started.current = true;
      filter.current = toFilter(wanted);
      requestPage(0, []);
    },
    [requestPage],
  );

  const loadMore = useCallback(() => {
    const current = items ?? [];
    requestPage(current.length, current);
  }, [items, requestPage]);

  useEffect(() => {
    if (open && !started.current) search(NO_SEARCH);
  }, [open, search]);

  return { items, total, loading, error, search, loadMore };
}
