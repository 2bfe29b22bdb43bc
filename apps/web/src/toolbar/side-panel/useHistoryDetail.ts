import { ApiError } from '@parley/client';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../common/describeError';

export interface HistoryDetailState<Detail> {
  /** Undefined until loaded. */
  detail: Detail | undefined;
  error: string | undefined;
}

/** The whole of an opened history item (a chat's transcript, an email thread), loaded by its id. */
export function useHistoryDetail<Detail>(
  id: string,
  load: (id: string) => Promise<Detail>,
  onSessionExpired: () => void,
): HistoryDetailState<Detail> {
  const [detail, setDetail] = useState<Detail | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const expired = useRef(onSessionExpired);
  expired.current = onSessionExpired;
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let current = true;
    loadRef.current(id).then(
      (loaded) => {
        if (current) setDetail(loaded);
      },
      (failure: unknown) => {
        if (!current) return;
        if (failure instanceof ApiError && failure.status === 401) expired.current();
        else setError(describeError(failure));
      },
    );
    return () => {
      current = false;
    };
  }, [id]);

  return { detail, error };
}
