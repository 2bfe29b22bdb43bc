import type { OutgoingMessage } from './chatThreads';

/**
 * What the toolbar keeps of each chat for the browser tab's life, so a reload mid-chat loses
 * nothing: how far the agent has read, the messages still on their way, what they had typed.
 */
const key = (what: 'seen' | 'outgoing' | 'draft', interactionId: string) =>
  `parley.chat.${what}.${interactionId}`;

function read(name: string): string | null {
  try {
    return window.sessionStorage.getItem(name);
  } catch {
    return null;
  }
}

function write(name: string, value: string | null): void {
  try {
    if (value === null) window.sessionStorage.removeItem(name);
    else window.sessionStorage.setItem(name, value);
  } catch {
    // Storage refused (private mode, full): only a reload loses it.
  }
}

export function readSeenSeq(interactionId: string): number {
  const stored = Number(read(key('seen', interactionId)));
  return Number.isInteger(stored) && stored > 0 ? stored : 0;
}

export function storeSeenSeq(interactionId: string, seq: number): void {
  write(key('seen', interactionId), String(seq));
}

function isOutgoing(value: unknown): value is OutgoingMessage {
  const o = value as Partial<OutgoingMessage> | null;
  return typeof o?.clientId === 'string' && typeof o.text === 'string' && typeof o.at === 'string';
}

/** The agent's messages the server had not confirmed when the page went (sent again, by clientId). */
export function readOutgoing(interactionId: string): OutgoingMessage[] {
  try {
    const stored: unknown = JSON.parse(read(key('outgoing', interactionId)) ?? '[]');
    return Array.isArray(stored) ? stored.filter(isOutgoing) : [];
  } catch {
    return [];
  }
}

export function storeOutgoing(interactionId: string, outgoing: readonly OutgoingMessage[]): void {
  write(key('outgoing', interactionId), outgoing.length > 0 ? JSON.stringify(outgoing) : null);
}

export function readDraft(interactionId: string): string {
  return read(key('draft', interactionId)) ?? '';
}

export function storeDraft(interactionId: string, text: string): void {
  write(key('draft', interactionId), text || null);
}

/** The chat has left the toolbar: nothing of it is kept. */
export function forgetChat(interactionId: string): void {
  for (const what of ['seen', 'outgoing', 'draft'] as const) write(key(what, interactionId), null);
}
