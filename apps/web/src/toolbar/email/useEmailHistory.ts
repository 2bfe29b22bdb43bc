import { ApiError } from '@parley/client';
import type { EmailHistoryFilter, EmailHistoryItem } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';

/** What the agent searches by: words of the contact and of the emails, and the days. */
export interface EmailHistorySearch {
  contact: string;
  text: string;
  from: string;
  to: string;
}

export const NO_EMAIL_SEARCH: EmailHistorySearch = { contact: '', text: '', from: '', to: '' };

export interface EmailHistoryState {
  /** Latest first; undefined until the first answer. */
  threads: EmailHistoryItem[] | undefined;
  total: number;
  loading: boolean;
  error: string | undefined;
  search: (search: EmailHistorySearch) => void;
  loadMore: () => void;
}

function toQuery(search: EmailHistorySearch): EmailHistoryFilter {
  const query: EmailHistoryFilter = {};
  const contact = search.contact.trim();
  const text = search.text.trim();
  if (contact) query.contact = contact;
  if (text) query.text = text;
  if (search.from) query.from = search.from;
  if (search.to) query.to = search.to;
  return query;
}

/**
 * Email History: the latest threads when the side panel first opens, then what the agent
 * searches for, a page at a time. Only the newest request's answer is shown.
 */
export function useEmailHistory(open: boolean, onSessionExpired: () => void): EmailHistoryState {
  const [threads, setThreads] = useState<EmailHistoryItem[] | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const expired = useRef(onSessionExpired);
  expired.current = onSessionExpired;
  const query = useRef<EmailHistoryFilter>({});
  const latest = useRef(0);
  const started = useRef(false);

  const fetchPage = useCallback((offset: number, current: EmailHistoryItem[]) => {
    latest.current += 1;
    const token = latest.current;
    setLoading(true);
    setError(undefined);
    api.emailHistory(offset > 0 ? { ...query.current, offset } : query.current).then(
      (page) => {
        if (token !== latest.current) return;
        const known = new Set(current.map((t) => t.threadId));
        setThreads([...current, ...page.threads.filter((t) => !known.has(t.threadId))]);
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
    (wanted: EmailHistorySearch) => {
      started.current = true;
      query.current = toQuery(wanted);
      fetchPage(0, []);
    },
    [fetchPage],
  );

  const loadMore = useCallback(() => {
    const current = threads ?? [];
    fetchPage(current.length, current);
  }, [threads, fetchPage]);

  useEffect(() => {
    if (open && !started.current) search(NO_EMAIL_SEARCH);
  }, [open, search]);

  return { threads, total, loading, error, search, loadMore };
}
