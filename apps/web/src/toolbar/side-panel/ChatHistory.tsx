import type { ChatHistoryItem as PastChat } from '@parley/contract';
import { api } from '../../api';
import { ChatHistoryItem } from './ChatHistoryItem';
import { ChatHistoryTranscript } from './ChatHistoryTranscript';
import { type HistoryLabels, HistorySearchPanel } from './HistorySearchPanel';
import type { HistorySource } from './useHistorySearch';

export interface ChatHistoryProps {
  /** The side panel is open: the latest chats are fetched the first time it is. */
  open: boolean;
  onSessionExpired: () => void;
}

const CHATS: HistorySource<PastChat> = {
  fetchPage: (filter) => api.chatHistory(filter).then((page) => ({ items: page.chats, total: page.total })),
  keyOf: (chat) => chat.chatId,
};

const LABELS: HistoryLabels = {
  title: 'Chat History',
  search: 'Search chat history',
  contactPlaceholder: 'Name or survey answer',
  textPlaceholder: 'Words in the messages',
  error: 'Could not load the chat history',
  noneFound: 'No chats found.',
  list: 'Past chats',
};

/**
 * The side panel's Chat History (guide overview, 7.4): past chats of the agent's teams, searched
 * by contact, words of the messages and days, newest first; each opens its transcript.
 */
export function ChatHistory({ open, onSessionExpired }: ChatHistoryProps) {
  return (
    <HistorySearchPanel
      open={open}
      onSessionExpired={onSessionExpired}
      source={CHATS}
      labels={LABELS}
      renderItem={(chat, onOpen) => <ChatHistoryItem chat={chat} onOpen={onOpen} />}
      renderOpened={(chat, onClose) => (
        <ChatHistoryTranscript chat={chat} onClose={onClose} onSessionExpired={onSessionExpired} />
      )}
    />
  );
}
