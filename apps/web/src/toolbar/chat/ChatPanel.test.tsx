import { ApiError } from '@parley/client';
import type { AgentInteraction, ChatMessage } from '@parley/contract';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { TopBarActions } from '../top-bar/TopBarActions';
import {
  buildChatInteraction,
  buildChatView,
  buildMessage,
  deferred,
  fakeChannel,
  KIM,
  LEE,
} from './testChats';
import { useChatPanel } from './useChatPanel';

type Channel = ReturnType<typeof fakeChannel>;

/** The top bar's Chat icon and the Chat Panel it opens, as the toolbar puts them together. */
function Harness({ interactions, channel }: { interactions: AgentInteraction[]; channel: Channel }) {
  const chat = useChatPanel({
    interactions,
    subscribe: channel.subscribe,
    agentName: 'Alice Agent',
    onSessionExpired: () => {},
    retryDelaysMs: [5, 5],
  });
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  return (
    <>
      <TopBarActions actions={[chat.action]} shown={1} />
      {chat.renderPanel?.({ selectedId, onSelect: setSelectedId })}
    </>
  );
}

function renderPanel(interactions: AgentInteraction[]) {
  const channel = fakeChannel();
  const view = renderWithMantine(<Harness interactions={interactions} channel={channel} />);
  return {
    channel,
    unmount: view.unmount,
    rerender: (next: AgentInteraction[]) => view.rerender(<Harness interactions={next} channel={channel} />),
    panel: () => within(screen.getByRole('region', { name: 'Chat Panel' })),
    findPanel: async () => within(await screen.findByRole('region', { name: 'Chat Panel' })),
    log: () => within(screen.getByRole('log', { name: 'Messages' })),
    /** The messages, once the chat has loaded. */
    findLog: async () => within(await screen.findByRole('log', { name: 'Messages' })),
  };
}

const message = (interactionId: string, m: ChatMessage) =>
  ({ name: 'chat.message', data: { interactionId, chatId: 'c', message: m } }) as const;

beforeEach(() => {
  window.sessionStorage.clear();
  vi.spyOn(api, 'waitingChats').mockResolvedValue({ chats: [], total: 0 });
  vi.spyOn(api, 'chatRead').mockResolvedValue();
  vi.spyOn(api, 'chatTyping').mockResolvedValue();
});

describe('the Chat Panel', () => {
  it('opens from the Chat icon with the waiting chats, and starts the one the agent picks', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'waitingChats').mockResolvedValue({
      chats: [
        {
          interactionId: LEE,
          chatId: '00000000-0000-4000-8000-0000000000f1',
          campaignId: '00000000-0000-4000-8000-0000000000ca',
          campaignName: 'Web Chat',
          contactName: 'Sam',
          waitingSince: new Date(Date.now() - 65_000).toISOString(),
        },
      ],
      total: 1,
    });
    const take = vi.spyOn(api, 'takeChat').mockResolvedValue(buildAgentState());
    const { panel, channel } = renderPanel([]);
    expect(screen.queryByRole('region', { name: 'Chat Panel' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Chat' }));
    const waiting = within(await panel().findByRole('region', { name: 'Waiting chats' }));
    expect(await waiting.findByText('Sam')).toBeTruthy();
    expect(waiting.getByRole('listitem').textContent).toMatch(
      /^Sam\s*Web Chat · waiting 01:0\d\s*Start chat$/,
    );

    await user.click(waiting.getByRole('button', { name: 'Start chat with Sam' }));
    expect(take).toHaveBeenCalledWith(LEE);

    // The list follows the server's pushes: a new count, and the list is fetched again.
    vi.spyOn(api, 'waitingChats').mockResolvedValue({ chats: [], total: 0 });
    channel.push({ name: 'chats.waiting', data: { total: 0 } });
    expect(await waiting.findByText('No chats are waiting.')).toBeTruthy();
  });

  it('has a tab per chat named for the contact, marked while the customer wrote something unread', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'chat').mockImplementation(async (id) =>
      id === KIM
        ? buildChatView({ messages: [buildMessage({ seq: 1, text: 'Hello from Kim' })] })
        : buildChatView({ interactionId: LEE, contactName: 'Lee', messages: [] }),
    );
    const read = vi.spyOn(api, 'chatRead');
    const { findPanel, channel } = renderPanel([
      buildChatInteraction({ id: KIM, label: 'Kim' }),
      buildChatInteraction({ id: LEE, label: 'Lee' }),
    ]);

    // A chat that is the agent's opens the panel on its tab once loaded: the one shown is read.
    const tabs = within(await (await findPanel()).findByRole('tablist', { name: 'Active chats' }));
    expect(tabs.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Kim', 'Lee']);
    await waitFor(() => expect(tabs.getByRole('tab', { name: 'Lee', selected: true })).toBeTruthy());
    expect(tabs.getByRole('tab', { name: 'Kim', description: 'New messages' })).toBeTruthy();
    expect(
      screen.getByRole('button', { name: 'Chat', description: '2 active chats, new messages' }),
    ).toBeTruthy();

    await user.click(tabs.getByRole('tab', { name: 'Kim' }));
    expect(await screen.findByText('Hello from Kim')).toBeTruthy();
    expect(tabs.getByRole('tab', { name: 'Kim', description: '' })).toBeTruthy();
    expect(read).toHaveBeenCalledWith(KIM, 1);
    expect(screen.getByRole('button', { name: 'Chat', description: '2 active chats' })).toBeTruthy();

    // A message to the chat not shown marks its tab; to the one shown, it is read at once.
    channel.push(message(LEE, buildMessage({ seq: 1, text: 'Lee here' })));
    expect(tabs.getByRole('tab', { name: 'Lee', description: 'New messages' })).toBeTruthy();
    channel.push(message(KIM, buildMessage({ seq: 2, text: 'Still there?' })));
    await waitFor(() => expect(read).toHaveBeenCalledWith(KIM, 2));
    expect(tabs.getByRole('tab', { name: 'Kim', description: '' })).toBeTruthy();

    await user.click(tabs.getByRole('tab', { name: 'Lee' }));
    expect(await screen.findByText('Lee here')).toBeTruthy();
    expect(read).toHaveBeenCalledWith(LEE, 1);
    expect(tabs.getByRole('tab', { name: 'Lee', description: '' })).toBeTruthy();
  });

  it("reads nothing while the toolbar's browser tab is hidden", async () => {
    vi.spyOn(api, 'chat').mockResolvedValue(buildChatView());
    const read = vi.spyOn(api, 'chatRead');
    let visibility: DocumentVisibilityState = 'hidden';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    onTestFinished(() => {
      Reflect.deleteProperty(document, 'visibilityState');
    });
    const { channel, findLog } = renderPanel([buildChatInteraction()]);
    await findLog();

    channel.push(message(KIM, buildMessage({ seq: 1, text: 'Anyone there?' })));
    expect(
      screen.getByRole('button', { name: 'Chat', description: '1 active chat, new messages' }),
    ).toBeTruthy();
    expect(read).not.toHaveBeenCalled();

    visibility = 'visible';
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => expect(read).toHaveBeenCalledWith(KIM, 1));
    expect(screen.getByRole('button', { name: 'Chat', description: '1 active chat' })).toBeTruthy();
  });

  it('shows a message pushed while the fetch is on its way once, and again once after a reconnect', async () => {
    const fetch = deferred<ReturnType<typeof buildChatView>>();
    const chat = vi.spyOn(api, 'chat').mockReturnValueOnce(fetch.promise);
    const first = buildMessage({ seq: 1, text: 'First words' });
    const second = buildMessage({ seq: 2, text: 'Second words' });
    const user = userEvent.setup();
    const { channel, log, findLog } = renderPanel([buildChatInteraction()]);

    await user.click(screen.getByRole('button', { name: 'Chat' }));
    channel.push(message(KIM, second));
    expect((await findLog()).getByText('Second words')).toBeTruthy();
    fetch.resolve(buildChatView({ messages: [first, second] }));
    expect(await log().findByText('First words')).toBeTruthy();
    expect(log().getAllByText('Second words')).toHaveLength(1);

    // Back from a drop: fetched again, and what was missed is added, nothing twice.
    const third = buildMessage({ seq: 3, text: 'Third words' });
    chat.mockResolvedValue(buildChatView({ messages: [first, second, third] }));
    channel.reconnect();
    expect(await log().findByText('Third words')).toBeTruthy();
    expect(
      log()
        .getAllByRole('listitem')
        .map((li) => li.textContent?.match(/(First|Second|Third) words/)?.[0]),
    ).toEqual(['First words', 'Second words', 'Third words']);
    expect(chat).toHaveBeenCalledTimes(2);
  });

  it('shows HTML in a message as the text it is, and makes only its web links clickable', async () => {
    const attack = '<script>alert(1)</script><img src=x onerror="alert(2)"> <b>bold</b>';
    vi.spyOn(api, 'chat').mockResolvedValue(
      buildChatView({
        messages: [
          buildMessage({ seq: 1, text: attack }),
          buildMessage({ seq: 2, text: 'See https://example.com/help?q=1. Or javascript:alert(3)' }),
        ],
      }),
    );
    const { findLog } = renderPanel([buildChatInteraction()]);
    const log = await findLog();

    const shown = log.getByText(attack);
    expect(shown.textContent).toBe(attack);
    const list = screen.getByRole('log', { name: 'Messages' });
    expect(list.querySelector('script, img, b')).toBeNull();
    const link = log.getByRole('link', { name: 'https://example.com/help?q=1' });
    expect(link.getAttribute('href')).toBe('https://example.com/help?q=1');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(log.getAllByRole('link')).toHaveLength(1);
  });

  it('sends at once, tries again with the same clientId when the server is not reached, and shows it once', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'chat').mockResolvedValue(buildChatView());
    const confirmed = deferred<ChatMessage>();
    const send = vi
      .spyOn(api, 'sendChatMessage')
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockRejectedValueOnce(new ApiError(503, 'UNAVAILABLE', 'Try again', undefined))
      .mockReturnValueOnce(confirmed.promise);
    const { channel, log } = renderPanel([buildChatInteraction()]);

    await user.type(await screen.findByRole('textbox', { name: 'Type a message' }), 'On my way{Enter}');
    expect(log().getByText('On my way')).toBeTruthy();
    expect(log().getByText('Sending…')).toBeTruthy();
    await waitFor(() => expect(send).toHaveBeenCalledTimes(3));
    const clientIds = send.mock.calls.map((call) => call[1]);
    expect(new Set(clientIds).size).toBe(1);
    expect(send.mock.calls[0]).toEqual([KIM, clientIds[0], 'On my way']);

    // The push and the answer both confirm it: one message, by its seq.
    const stored = buildMessage({
      seq: 1,
      from: 'agent',
      name: 'Alice Agent',
      text: 'On my way',
      clientId: clientIds[0] ?? '',
    });
    channel.push(message(KIM, stored));
    confirmed.resolve(stored);
    await waitFor(() => expect(log().getByText('Sent')).toBeTruthy());
    expect(log().getAllByText('On my way')).toHaveLength(1);
    expect(log().queryByText('Sending…')).toBeNull();

    channel.push({ name: 'chat.read', data: { interactionId: KIM, seq: 1 } });
    expect(log().getByText('Read')).toBeTruthy();
  });

  it('after a reload, sends again what the server had not confirmed (same clientId), and keeps the draft', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'chat').mockResolvedValue(buildChatView());
    const send = vi.spyOn(api, 'sendChatMessage').mockReturnValueOnce(new Promise<ChatMessage>(() => {}));
    const first = renderPanel([buildChatInteraction()]);
    const box = await screen.findByRole('textbox', { name: 'Type a message' });
    await user.type(box, 'Are you there?{Enter}');
    await user.type(box, 'Half a thou');
    expect(first.log().getByText('Sending…')).toBeTruthy();
    first.unmount();

    send.mockImplementation(async (_id, clientId, text) =>
      buildMessage({ seq: 1, from: 'agent', name: 'Alice Agent', text, clientId }),
    );
    const again = renderPanel([buildChatInteraction()]);
    const log = await again.findLog();
    await waitFor(() => expect(log.getByText('Sent')).toBeTruthy());
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1]?.[1]).toBe(send.mock.calls[0]?.[1]);
    expect(log.getAllByText('Are you there?')).toHaveLength(1);
    expect((screen.getByRole('textbox', { name: 'Type a message' }) as HTMLTextAreaElement).value).toBe(
      'Half a thou',
    );
  });

  it('lets the agent send again a message the server refused, with the same clientId', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'chat').mockResolvedValue(buildChatView());
    const send = vi
      .spyOn(api, 'sendChatMessage')
      .mockRejectedValueOnce(new ApiError(409, 'CHAT_BUSY', 'The chat is busy', undefined))
      .mockImplementationOnce(async (_id, clientId, text) =>
        buildMessage({ seq: 1, from: 'agent', name: 'Alice Agent', text, clientId }),
      );
    const { log } = renderPanel([buildChatInteraction()]);

    await user.type(await screen.findByRole('textbox', { name: 'Type a message' }), 'Hello{Enter}');
    expect(await log().findByText('Not sent: The chat is busy')).toBeTruthy();
    await user.click(log().getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(log().getByText('Sent')).toBeTruthy());
    expect(send.mock.calls[1]?.[1]).toBe(send.mock.calls[0]?.[1]);
    expect(log().getAllByText('Hello')).toHaveLength(1);
  });

  it('says when the customer is typing, and closes the text box when the chat has ended', async () => {
    vi.spyOn(api, 'chat').mockResolvedValue(buildChatView());
    const { channel, rerender } = renderPanel([buildChatInteraction()]);
    const box = await screen.findByRole('textbox', { name: 'Type a message' });

    channel.push({ name: 'chat.typing', data: { interactionId: KIM, typing: true } });
    expect(screen.getByText('Kim is typing…')).toBeTruthy();
    channel.push(message(KIM, buildMessage({ seq: 1, text: 'Bye' })));
    expect(screen.queryByText('Kim is typing…')).toBeNull();

    channel.push(message(KIM, buildMessage({ seq: 2, from: 'system', text: 'Kim left the chat' })));
    rerender([buildChatInteraction({ state: 'wrapping' })]);
    expect(screen.getByText('Kim left the chat')).toBeTruthy();
    expect((box as HTMLTextAreaElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('offers a customer’s file as a download from the interaction', async () => {
    vi.spyOn(api, 'chat').mockResolvedValue(
      buildChatView({
        messages: [
          buildMessage({
            seq: 1,
            text: '',
            attachment: {
              id: '00000000-0000-4000-8000-0000000000f9',
              name: 'invoice.pdf',
              contentType: 'application/pdf',
              size: 20_480,
            },
          }),
        ],
      }),
    );
    const { findLog } = renderPanel([buildChatInteraction()]);
    const link = (await findLog()).getByRole('link', { name: 'invoice.pdf' });
    expect(link.getAttribute('href')).toBe(
      `/api/interactions/${KIM}/chat/attachments/00000000-0000-4000-8000-0000000000f9`,
    );
  });
});
