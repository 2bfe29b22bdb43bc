import type { EmailHistoryItem as PastThread } from '@parley/contract';
import { api } from '../../api';
import { EmailHistoryItem } from './EmailHistoryItem';
import { EmailHistoryThread } from './EmailHistoryThread';
import { type HistoryLabels, HistorySearchPanel } from './HistorySearchPanel';
import type { HistorySource } from './useHistorySearch';

export interface EmailHistoryProps {
  /** The side panel is open: the latest threads are fetched the first time it is. */
  open: boolean;
  onSessionExpired: () => void;
}

const THREADS: HistorySource<PastThread> = {
  fetchPage: (filter) =>
    api.emailHistory(filter).then((page) => ({ items: page.threads, total: page.total })),
  keyOf: (thread) => thread.threadId,
};

const LABELS: HistoryLabels = {
  title: 'Email History',
  search: 'Search email history',
  contactPlaceholder: 'Name or address',
  textPlaceholder: 'Words in the emails',
  error: 'Could not load the email history',
  noneFound: 'No emails found.',
  list: 'Email threads',
};

/**
 * The side panel's Email History (guide overview, 7.5): email threads of the agent's teams,
 * searched by contact, words of the emails and days, latest first; each opens its thread.
 */
export function EmailHistory({ open, onSessionExpired }: EmailHistoryProps) {
  return (
    <HistorySearchPanel
      open={open}
      onSessionExpired={onSessionExpired}
      source={THREADS}
      labels={LABELS}
      renderItem={(thread, onOpen) => <EmailHistoryItem thread={thread} onOpen={onOpen} />}
      renderOpened={(thread, onClose) => (
        <EmailHistoryThread thread={thread} onClose={onClose} onSessionExpired={onSessionExpired} />
      )}
    />
  );
}
