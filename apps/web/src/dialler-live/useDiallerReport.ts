import type { DiallerReport } from '@parley/contract';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { describeError } from '../common/describeError';

export interface DiallerReportState {
  report: DiallerReport | undefined;
  error: string | undefined;
  loading: boolean;
}

/** A campaign's report for the range, asked for again when the range changes (not polled). */
export function useDiallerReport(
  workspaceId: string,
  campaignId: string,
  range: { from: string; to: string } | undefined,
): DiallerReportState {
  const [state, setState] = useState<DiallerReportState>({
    report: undefined,
    error: undefined,
    loading: false,
  });
  const from = range?.from;
  const to = range?.to;

  useEffect(() => {
    if (!from || !to) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    api.diallerReport(workspaceId, campaignId, from, to).then(
      (report) => current && setState({ report, error: undefined, loading: false }),
      (failure: unknown) =>
        current && setState({ report: undefined, error: describeError(failure), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [workspaceId, campaignId, from, to]);

  return state;
}
