import type { OutboxEntry } from './chat-log';

/**
 * What survives a page reload, per channel: the chat to resume and the messages not yet
 * acknowledged. The messages themselves are not kept: after a reload the widget resumes from
 * seq 0 and the platform sends the whole conversation again.
 */
export interface SavedChat {
  chatId: string;
  token: string;
  outbox: OutboxEntry[];
  /** The agent has read the customer's messages up to this seq (not sent again on resume). */
  agentReadSeq: number;
  /** The customer has seen the agent's messages up to this seq (the launcher counts the rest). */
  seenSeq: number;
}

/** The part of Web Storage used here; localStorage in the browser. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A store in memory, for pages where localStorage is blocked (some private modes, sandboxes). */
export class MemoryStore implements KeyValueStore {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.clientId === 'string' && typeof v.text === 'string' && typeof v.at === 'string';
}

/** Reads what was kept; anything malformed (another version, a hand edit) counts as nothing. */
export function parseSavedChat(raw: string | null): SavedChat | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.chatId !== 'string' || typeof v.token !== 'string') return null;
  return {
    chatId: v.chatId,
    token: v.token,
    outbox: Array.isArray(v.outbox) ? v.outbox.filter(isOutboxEntry) : [],
    agentReadSeq: typeof v.agentReadSeq === 'number' ? v.agentReadSeq : 0,
    seenSeq: typeof v.seenSeq === 'number' ? v.seenSeq : 0,
  };
}

/** The saved chat of one channel; a failing store (quota, blocked) loses the save, not the chat. */
export class ChatStorage {
  private readonly key: string;

  constructor(
    channelId: string,
    private readonly store: KeyValueStore,
  ) {
    this.key = `parley-chat:${channelId}`;
  }

  load(): SavedChat | null {
    try {
      return parseSavedChat(this.store.getItem(this.key));
    } catch {
      return null;
    }
  }

  save(chat: SavedChat): void {
    try {
      this.store.setItem(this.key, JSON.stringify(chat));
    } catch {
      // Storage full or refused: the chat goes on, only a reload would not find it.
    }
  }

  clear(): void {
    try {
      this.store.removeItem(this.key);
    } catch {
      // As above.
    }
  }
}
