import { ApiError } from '@parley/client';
import type { LeadSummary } from '@parley/contract';
import { useCallback, useRef, useState } from 'react';
import { describeError } from '../common/describeError';

/** The server's bounds for `q` (LeadSearchQuery): shorter is not searched, longer cannot be typed. */
export const LEAD_QUERY_MIN_LENGTH = 2;
export const LEAD_QUERY_MAX_LENGTH = 100;

export type LeadFinder = (q: string, campaignId?: string) => Promise<LeadSummary[]>;

export interface LeadSearch {
  /** idle: nothing searched (or cleared); searching: waiting for the answer. */
  status: 'idle' | 'searching' | 'done' | 'failed';
  /** The last answer's leads, kept while the next search is on its way. */
  leads: LeadSummary[];
  /** Why the last search failed, in words. */
  error: string | undefined;
  search: (q: string, campaignId: string | null) => void;
  clear: () => void;
}

type LeadSearchResult = Pick<LeadSearch, 'status' | 'leads' | 'error'>;

const IDLE: LeadSearchResult = { status: 'idle', leads: [], error: undefined };

/**
 * Leads found by a name or a number (the Lead Manager, Convert to Outbound's "Search Leads").
 * Only the answer to the latest search is shown: an earlier one that answers late is dropped.
 */
export function useLeadSearch(find: LeadFinder, onSessionExpired: () => void): LeadSearch {
  const [state, setState] = useState<LeadSearchResult>(IDLE);
  const latest = useRef(0);
  const finder = useRef(find);
  finder.current = find;
  const expiredHandler = useRef(onSessionExpired);
  expiredHandler.current = onSessionExpired;

  const search = useCallback((query: string, campaignId: string | null) => {
    const q = query.trim();
    latest.current += 1;
    const token = latest.current;
    if (q.length < LEAD_QUERY_MIN_LENGTH) {
      setState(IDLE);
      return;
    }
    setState((previous) => ({ ...previous, status: 'searching', error: undefined }));
    finder.current(q, campaignId ?? undefined).then(
      (leads) => {
        if (token === latest.current) setState({ status: 'done', leads, error: undefined });
      },
      (failure: unknown) => {
        if (token !== latest.current) return;
        if (failure instanceof ApiError && failure.status === 401) expiredHandler.current();
        else setState({ status: 'failed', leads: [], error: describeError(failure) });
      },
    );
  }, []);

  const clear = useCallback(() => {
    latest.current += 1;
    setState(IDLE);
  }, []);

  return { ...state, search, clear };
}
