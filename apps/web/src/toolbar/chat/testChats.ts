import type { RealtimeListener } from '@parley/client';
import type {
  AgentChatView,
  AgentInteraction,
  CannedResponse,
  ChatMessage,
  ClientEvent,
  Snapshot,
} from '@parley/contract';
import { act } from '@testing-library/react';

/** Test data for the chat components: chats, messages and a realtime channel the test drives. */
export const CAMPAIGN_ID = '00000000-0000-4000-8000-0000000000ca';
export const KIM = '00000000-0000-4000-8000-00000000c001';
export const LEE = '00000000-0000-4000-8000-00000000c002';

export function buildChatInteraction(overrides: Partial<AgentInteraction> = {}): AgentInteraction {
  return {
    id: KIM,
    kind: 'chat',
    state: 'busy',
    campaignId: CAMPAIGN_ID,
    campaignName: 'Web Chat',
    label: 'Kim',
    since: new Date().toISOString(),
    ...overrides,
  };
}

let seqAt = Date.UTC(2026, 11, 7, 9, 0);

export function buildMessage(overrides: Partial<ChatMessage> & Pick<ChatMessage, 'seq'>): ChatMessage {
  seqAt += 1000;
  return {
    from: 'customer',
    name: null,
    text: `Message ${overrides.seq}`,
    at: new Date(seqAt).toISOString(),
    clientId: null,
    attachment: null,
    ...overrides,
  };
}

export const ACME: CannedResponse = {
  id: '00000000-0000-4000-8000-0000000000a1',
  campaignId: CAMPAIGN_ID,
  snippet: 'ACME',
  text: 'The ACME Corporation Pty Limited ACN 22 555 903 134',
};
export const GREETING: CannedResponse = {
  id: '00000000-0000-4000-8000-0000000000a2',
  campaignId: CAMPAIGN_ID,
  snippet: 'hello',
  text: 'Hello {contact.name}, I am {agent.name}. We will write to {contact.email}.',
};

export function buildChatView(overrides: Partial<AgentChatView> = {}): AgentChatView {
  const interactionId = overrides.interactionId ?? KIM;
  return {
    chatId: `${interactionId.slice(0, -4)}cafe`,
    interactionId,
    contactName: 'Kim',
    survey: [
      { key: 'name', label: 'Name', value: 'Kim' },
      { key: 'email', label: 'Email', value: 'kim@example.com' },
    ],
    state: 'active',
    messages: [],
    customerReadSeq: 0,
    cannedResponses: [ACME, GREETING],
    ...overrides,
  };
}

/** A stand-in for the toolbar's realtime channel: the test pushes events and drops the connection. */
export function fakeChannel() {
  const listeners = new Set<RealtimeListener>();
  const state = {} as Snapshot;
  return {
    subscribe: (listener: RealtimeListener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    push: (event: ClientEvent) =>
      act(() => {
        for (const listener of listeners) listener.state?.(state, event);
      }),
    /** The channel drops and comes back (resumed or with a new snapshot). */
    reconnect: () =>
      act(() => {
        for (const listener of listeners) listener.status?.('down');
        for (const listener of listeners) listener.status?.('open');
      }),
  };
}

/** A promise the test settles, for a request still on its way. */
export function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
