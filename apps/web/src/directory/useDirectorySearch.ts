import { ApiError } from '@parley/client';
import type { DirectoryContact } from '@parley/contract';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { describeError } from '../common/describeError';

/** How long after the agent stops typing the search is sent: a name typed at speed is one search. */
export const DIRECTORY_SEARCH_DELAY_MS = 250;
/** The server's bounds for `q` (DirectorySearchQuery): shorter is not searched, longer cannot be typed. */
export const DIRECTORY_QUERY_MIN_LENGTH = 2;
export const DIRECTORY_QUERY_MAX_LENGTH = 100;

export interface DirectorySearchState {
  /** idle: nothing to search yet (under 2 characters); searching: waiting for the delay or the answer. */
  status: 'idle' | 'searching' | 'done' | 'failed';
  /** The last answer's contacts, kept while the next search is on its way. */
  contacts: DirectoryContact[];
  /** A source that could not answer (e.g. Microsoft Graph), in words; the others' contacts are there. */
  warning: string | undefined;
  /** Why the search failed (RATE_LIMITED, no connection…), in words. */
  error: string | undefined;
}

const IDLE: DirectorySearchState = { status: 'idle', contacts: [], warning: undefined, error: undefined };

/**
 * Searches the directory for `query` as it is typed: a moment after the last change and from 2
 * characters. Only the answer to the latest query is shown: an earlier search that answers late
 * is dropped, so a slow answer for "jo" never replaces the one for "john".
 */
export function useDirectorySearch(query: string, onSessionExpired: () => void): DirectorySearchState {
  const [state, setState] = useState<DirectorySearchState>(IDLE);
  const expiredHandler = useRef(onSessionExpired);
  expiredHandler.current = onSessionExpired;
  const q = query.trim();

  useEffect(() => {
    if (q.length < DIRECTORY_QUERY_MIN_LENGTH) {
      setState(IDLE);
      return;
    }
    // Cleared when the query changes again (or the search goes away): this answer is then stale.
    let current = true;
    setState((previous) => ({ ...previous, status: 'searching', error: undefined }));
    const timer = window.setTimeout(() => {
      api.searchDirectory(q).then(
        (result) => {
          if (!current) return;
          setState({ status: 'done', contacts: result.contacts, warning: result.warning, error: undefined });
        },
        (failure: unknown) => {
          if (!current) return;
          if (failure instanceof ApiError && failure.status === 401) expiredHandler.current();
          else
            setState({ status: 'failed', contacts: [], warning: undefined, error: describeError(failure) });
        },
      );
    }, DIRECTORY_SEARCH_DELAY_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [q]);

  return state;
}
