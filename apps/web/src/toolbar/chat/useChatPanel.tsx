import type { RealtimeListener } from '@parley/client';
import type { AgentInteraction, WaitingChat } from '@parley/contract';
import IconMessages from '@tabler/icons-react/icons/IconMessages';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';
import type { TopBarAction } from '../top-bar/topBarAction';
import { ChatPanel } from './ChatPanel';
import { isUnread } from './chatThreads';
import { type Chats, useChats } from './useChats';

/** A chat the agent is chatting in or wrapping: it has a tab in the panel. */
const hasTab = (interaction: AgentInteraction) =>
  interaction.kind === 'chat' && interaction.state !== 'offered';

export interface ChatPanelOptions {
  interactions: AgentInteraction[] | undefined;
  subscribe: (listener: RealtimeListener) => () => void;
  agentName: string;
  onSessionExpired: () => void;
  /** The waits between automatic attempts to send a message (tests shorten them). */
  retryDelaysMs?: readonly number[];
}

/** Which interaction the toolbar shows, and how to show another (the interactions area owns it). */
export interface ChatSelection {
  selectedId: string | undefined;
  onSelect: (interactionId: string) => void;
}

export interface ChatPanelState {
  chats: Chats;
  open: boolean;
  /** The top bar's Chat icon: the number of chats being handled, marked while one has unread messages. */
  action: TopBarAction;
  /** The Chat Panel while it is open, for the middle of the toolbar. */
  renderPanel: ((selection: ChatSelection) => ReactNode) | undefined;
  /**
   * While the panel is open, the cards of the chats with a tab come under it: the conversation
   * stays in sight, with calls and offers above it (five chat cards would push it out of view).
   */
  belowPanel: ((interaction: AgentInteraction) => boolean) | undefined;
}

/**
 * The Chat icon and the Chat Panel it opens. A chat that becomes the agent's (accepted, taken,
 * or already theirs when the toolbar loads) opens the panel on its tab.
 */
export function useChatPanel({
  interactions,
  subscribe,
  agentName,
  onSessionExpired,
  retryDelaysMs,
}: ChatPanelOptions): ChatPanelState {
  const chats = useChats({ interactions, subscribe, onSessionExpired, retryDelaysMs });
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState<string | undefined>(undefined);
  const [shownTab, setShownTab] = useState<string | undefined>(undefined);
  const seen = useRef(new Set<string>());
  const arriving = useRef(new Set<string>());
  const { refreshWaiting } = chats;

  const busy = chats.active.filter((i) => i.state === 'busy');
  const busySignature = busy.map((i) => i.id).join(' ');
  useEffect(() => {
    const ids = busySignature ? busySignature.split(' ') : [];
    for (const id of ids) if (!seen.current.has(id)) arriving.current.add(id);
    for (const id of arriving.current) if (!ids.includes(id)) arriving.current.delete(id);
    seen.current = new Set(ids);
  }, [busySignature]);
  // A chat just the agent's opens the panel once it has loaded (a contact queued without a
  // conversation, as an administrator may post, opens nothing).
  useEffect(() => {
    for (const id of arriving.current) {
      const thread = chats.threads[id];
      if (!thread?.view && !thread?.loadError) continue;
      arriving.current.delete(id);
      if (thread.view) {
        setOpen(true);
        setWanted(id);
      }
    }
  });

  useEffect(() => {
    if (open) refreshWaiting();
  }, [open, refreshWaiting]);

  const handleTake = useCallback(
    async (chat: WaitingChat) => {
      try {
        await api.takeChat(chat.interactionId);
      } catch (failure) {
        refreshWaiting();
        throw new Error(describeError(failure));
      }
      setWanted(chat.interactionId);
    },
    [refreshWaiting],
  );
  const handleTabShown = useCallback((id: string) => setShownTab(id), []);

  const unread = chats.active.some((i) => {
    const thread = chats.threads[i.id];
    return thread !== undefined && isUnread(thread);
  });
  const count = busy.length;
  const action = useMemo<TopBarAction>(
    () => ({
      kind: 'button',
      label: 'Chat',
      icon: IconMessages,
      onClick: () => setOpen((was) => !was),
      pressed: open,
      badge: {
        count,
        marked: unread,
        description: [
          count === 1 ? '1 active chat' : `${count} active chats`,
          unread ? 'new messages' : undefined,
        ]
          .filter(Boolean)
          .join(', '),
      },
    }),
    [open, count, unread],
  );

  const renderPanel = open
    ? ({ selectedId, onSelect }: ChatSelection) => (
        <ChatPanel
          chats={chats}
          agentName={agentName}
          selectedId={selectedId}
          onSelect={onSelect}
          lastTab={shownTab}
          onTabShown={handleTabShown}
          wanted={wanted}
          onWantedShown={() => setWanted(undefined)}
          onTake={handleTake}
          onClose={() => setOpen(false)}
        />
      )
    : undefined;

  const belowPanel = open ? hasTab : undefined;

  return { chats, open, action, renderPanel, belowPanel };
}
