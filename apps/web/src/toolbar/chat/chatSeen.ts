/**
 * How far the agent has read each chat, kept for the browser tab's life: a reload mid-chat does
 * not mark every tab unread again.
 */
const key = (interactionId: string) => `parley.chatSeen.${interactionId}`;

export function readSeenSeq(interactionId: string): number {
  try {
    const stored = Number(window.sessionStorage.getItem(key(interactionId)));
    return Number.isInteger(stored) && stored > 0 ? stored : 0;
  } catch {
    return 0;
  }
}

export function storeSeenSeq(interactionId: string, seq: number): void {
  try {
    window.sessionStorage.setItem(key(interactionId), String(seq));
  } catch {
    // Storage refused (private mode, full): the mark only comes back after a reload.
  }
}
