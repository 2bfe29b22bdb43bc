import type { AgentChatView, ChatMessage } from '@parley/contract';

/** A message the agent sent that the server has not confirmed yet (it shows at once, then by its seq). */
export interface OutgoingMessage {
  /** Sent again with every attempt, so the server stores it once. */
  clientId: string;
  text: string;
  at: string;
  state: 'sending' | 'failed';
  /** Why the last attempt failed, once the toolbar has given up retrying by itself. */
  error?: string;
}

/** One chat as the toolbar knows it: what was fetched and what was pushed since, merged by seq. */
export interface ChatThread {
  interactionId: string;
  /** The last fetch: contact, survey answers, state, canned responses. */
  view: AgentChatView | undefined;
  loadError: string | undefined;
  /** Every message known, in seq order, each once. */
  messages: ChatMessage[];
  outgoing: OutgoingMessage[];
  /** The customer has read the agent's messages up to here. */
  customerReadSeq: number;
  customerTyping: boolean;
  /** The agent has seen the customer's messages up to here (a tab with later ones is unread). */
  seenSeq: number;
}

export type ChatThreads = Readonly<Record<string, ChatThread>>;

export type ChatThreadAction =
  | { type: 'loaded'; view: AgentChatView; seenSeq: number }
  | { type: 'loadFailed'; interactionId: string; error: string }
  | { type: 'message'; interactionId: string; message: ChatMessage }
  | { type: 'typing'; interactionId: string; typing: boolean }
  | { type: 'read'; interactionId: string; seq: number }
  | { type: 'sending'; interactionId: string; outgoing: OutgoingMessage }
  | { type: 'sendFailed'; interactionId: string; clientId: string; error: string }
  | { type: 'seen'; interactionId: string; seq: number }
  /** The chats still on the toolbar: the others are forgotten. */
  | { type: 'keep'; interactionIds: readonly string[] };

/** Adds what is new by seq, keeping the order; the same array when nothing is new. */
export function mergeMessages(current: ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const known = new Set(current.map((m) => m.seq));
  const added = incoming.filter((m) => !known.has(m.seq) && known.add(m.seq));
  if (added.length === 0) return current;
  return [...current, ...added].sort((a, b) => a.seq - b.seq);
}

/** The last seq of a customer's message, 0 when there is none. */
export function lastCustomerSeq(thread: ChatThread): number {
  return thread.messages.reduce((last, m) => (m.from === 'customer' && m.seq > last ? m.seq : last), 0);
}

/** Whether the customer has written since the agent last looked at the chat. */
export function isUnread(thread: ChatThread): boolean {
  return lastCustomerSeq(thread) > thread.seenSeq;
}

function emptyThread(interactionId: string): ChatThread {
  return {
    interactionId,
    view: undefined,
    loadError: undefined,
    messages: [],
    outgoing: [],
    customerReadSeq: 0,
    customerTyping: false,
    seenSeq: 0,
  };
}

/** New messages in, and the agent's own drafts they confirm out. */
function withMessages(thread: ChatThread, incoming: readonly ChatMessage[]): ChatThread {
  const messages = mergeMessages(thread.messages, incoming);
  if (messages === thread.messages) return thread;
  const confirmed = new Set(messages.map((m) => m.clientId).filter((id) => id !== null));
  const outgoing = thread.outgoing.filter((o) => !confirmed.has(o.clientId));
  const customerTyping = thread.customerTyping && !incoming.some((m) => m.from === 'customer');
  return { ...thread, messages, outgoing, customerTyping };
}

function update(
  threads: ChatThreads,
  interactionId: string,
  change: (thread: ChatThread) => ChatThread,
): ChatThreads {
  const thread = threads[interactionId] ?? emptyThread(interactionId);
  const next = change(thread);
  return next === threads[interactionId] ? threads : { ...threads, [interactionId]: next };
}

/** The chats' state: every change is safe to apply twice, and in any order with the fetches. */
export function chatThreadsReducer(threads: ChatThreads, action: ChatThreadAction): ChatThreads {
  switch (action.type) {
    case 'loaded': {
      const { view } = action;
      return update(threads, view.interactionId, (thread) => ({
        ...withMessages(thread, view.messages),
        view,
        loadError: undefined,
        customerReadSeq: Math.max(thread.customerReadSeq, view.customerReadSeq),
        seenSeq: Math.max(thread.seenSeq, action.seenSeq),
      }));
    }
    case 'loadFailed':
      return update(threads, action.interactionId, (thread) => ({ ...thread, loadError: action.error }));
    case 'message':
      return update(threads, action.interactionId, (thread) => withMessages(thread, [action.message]));
    case 'typing':
      return update(threads, action.interactionId, (thread) =>
        thread.customerTyping === action.typing ? thread : { ...thread, customerTyping: action.typing },
      );
    case 'read':
      return update(threads, action.interactionId, (thread) =>
        action.seq > thread.customerReadSeq ? { ...thread, customerReadSeq: action.seq } : thread,
      );
    case 'sending':
      return update(threads, action.interactionId, (thread) => {
        const { outgoing } = action;
        // Already confirmed (a push overtook the answer): nothing to show twice.
        if (thread.messages.some((m) => m.clientId === outgoing.clientId)) return thread;
        const at = thread.outgoing.findIndex((o) => o.clientId === outgoing.clientId);
        const list =
          at < 0 ? [...thread.outgoing, outgoing] : thread.outgoing.map((o, i) => (i === at ? outgoing : o));
        return { ...thread, outgoing: list };
      });
    case 'sendFailed':
      return update(threads, action.interactionId, (thread) => ({
        ...thread,
        outgoing: thread.outgoing.map((o) =>
          o.clientId === action.clientId ? { ...o, state: 'failed', error: action.error } : o,
        ),
      }));
    case 'seen':
      return update(threads, action.interactionId, (thread) =>
        action.seq > thread.seenSeq ? { ...thread, seenSeq: action.seq } : thread,
      );
    case 'keep': {
      const kept = new Set(action.interactionIds);
      const gone = Object.keys(threads).filter((id) => !kept.has(id));
      if (gone.length === 0) return threads;
      return Object.fromEntries(Object.entries(threads).filter(([id]) => kept.has(id)));
    }
  }
}
