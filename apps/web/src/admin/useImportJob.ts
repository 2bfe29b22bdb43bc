import { ApiError } from '@parley/client';
import type { LeadImport } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { describeError } from '../common/describeError';

/** How often a running import is read again. */
export const IMPORT_POLL_MS = 1000;

export const isRunning = (job: LeadImport) => job.status === 'uploading' || job.status === 'importing';

export interface ImportJobState {
  job: LeadImport | undefined;
  /** Why the last reading of a running import failed (it is read again). */
  pollError: string | undefined;
  /** Follows this import (a new one, or the last one found) until it has completed or failed. */
  follow: (job: LeadImport | undefined) => void;
}

/**
 * An import job, read again every IMPORT_POLL_MS while it runs; `onFinished` hears it end once.
 * Stops when the page goes (nothing polls behind it) and on an expired session.
 */
export function useImportJob(
  workspaceId: string,
  onFinished: (job: LeadImport) => void,
  onSessionExpired: () => void,
): ImportJobState {
  const [job, setJob] = useState<LeadImport | undefined>(undefined);
  const [pollError, setPollError] = useState<string | undefined>(undefined);
  const handlers = useRef({ onFinished, onSessionExpired });
  handlers.current = { onFinished, onSessionExpired };
  const jobId = job?.id;
  const running = job !== undefined && isRunning(job);

  useEffect(() => {
    if (!jobId || !running) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    const read = () => {
      api
        .leadImports(workspaceId)
        .get(jobId)
        .then((next) => {
          if (cancelled) return;
          setPollError(undefined);
          setJob(next);
          if (isRunning(next)) timer = setTimeout(read, IMPORT_POLL_MS);
          else handlers.current.onFinished(next);
        })
        .catch((failure: unknown) => {
          if (cancelled) return;
          if (failure instanceof ApiError && failure.status === 401) {
            handlers.current.onSessionExpired();
            return;
          }
          setPollError(`The import's progress could not be read: ${describeError(failure)}`);
          timer = setTimeout(read, IMPORT_POLL_MS);
        });
    };
    timer = setTimeout(read, IMPORT_POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [workspaceId, jobId, running]);

  const follow = useCallback((next: LeadImport | undefined) => {
    setPollError(undefined);
    setJob(next);
  }, []);

  return { job, pollError, follow };
}
