import type { ChatHistoryItem, ChatTranscript } from '@parley/contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { buildMessage } from '../chat/testChats';
import { ChatHistory } from './ChatHistory';

function buildPastChat(overrides: Partial<ChatHistoryItem> = {}): ChatHistoryItem {
  return {
    chatId: '00000000-0000-4000-8000-00000000d001',
    contactName: 'Kim Lee',
    campaignName: 'Web Chat',
    agentNames: ['Alice Agent'],
    startedAt: '2026-12-01T09:30:00.000Z',
    endedAt: '2026-12-01T09:42:00.000Z',
    outcome: 'Resolved',
    state: 'ended',
    messageCount: 2,
    ...overrides,
  };
}

const chatNumber = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('Chat History', () => {
  it('lists the latest chats, and searches by contact, text and days', async () => {
    const user = userEvent.setup();
    const history = vi
      .spyOn(api, 'chatHistory')
      .mockResolvedValueOnce({ chats: [buildPastChat()], total: 1 })
      .mockResolvedValueOnce({
        chats: [
          buildPastChat({ chatId: chatNumber(2), contactName: 'Sam Roe', outcome: null, agentNames: [] }),
        ],
        total: 1,
      });
    renderWithMantine(<ChatHistory open onSessionExpired={vi.fn()} />);
    const section = within(screen.getByRole('region', { name: 'Chat History' }));

    const list = within(await section.findByRole('list', { name: 'Past chats' }));
    const kim = list.getByRole('button', { name: /Kim Lee/ });
    expect(kim.textContent).toMatch(
      /Kim Lee\s*Resolved\s*Web Chat · Alice Agent\s*\d\d\/12\/2026 \d\d:\d\d:00/,
    );
    expect(history).toHaveBeenLastCalledWith({});

    const search = within(section.getByRole('search', { name: 'Search chat history' }));
    await user.type(search.getByRole('searchbox', { name: 'Contact' }), ' Sam ');
    await user.type(search.getByRole('searchbox', { name: 'Text' }), 'refund');
    await user.type(search.getByLabelText('From'), '2026-12-01');
    await user.type(search.getByLabelText('To'), '2026-12-07');
    await user.click(search.getByRole('button', { name: 'Search' }));

    expect(history).toHaveBeenLastCalledWith({
      contact: 'Sam',
      text: 'refund',
      from: '2026-12-01',
      to: '2026-12-07',
    });
    expect(await section.findByRole('button', { name: /Sam Roe/ })).toBeTruthy();
    expect(section.queryByRole('button', { name: /Kim Lee/ })).toBeNull();
    expect(section.getByRole('button', { name: /Sam Roe/ }).textContent).toContain('No outcome');
  });

  it('loads more of the same search, after those shown', async () => {
    const user = userEvent.setup();
    const first = Array.from({ length: 2 }, (_, i) =>
      buildPastChat({ chatId: chatNumber(i + 1), contactName: `Contact ${i + 1}` }),
    );
    const history = vi
      .spyOn(api, 'chatHistory')
      .mockResolvedValueOnce({ chats: [buildPastChat()], total: 1 })
      .mockResolvedValueOnce({ chats: first, total: 3 })
      .mockResolvedValueOnce({
        chats: [buildPastChat({ chatId: chatNumber(3), contactName: 'Contact 3' })],
        total: 3,
      });
    renderWithMantine(<ChatHistory open onSessionExpired={vi.fn()} />);
    const section = within(screen.getByRole('region', { name: 'Chat History' }));
    await section.findByRole('button', { name: /Kim Lee/ });
    expect(section.queryByRole('button', { name: 'Load more' })).toBeNull();

    await user.type(section.getByRole('searchbox', { name: 'Contact' }), 'Contact');
    await user.click(section.getByRole('button', { name: 'Search' }));
    await user.click(await section.findByRole('button', { name: 'Load more' }));
    expect(history).toHaveBeenLastCalledWith({ contact: 'Contact', offset: 2 });
    await waitFor(() =>
      expect(within(section.getByRole('list', { name: 'Past chats' })).getAllByRole('listitem')).toHaveLength(
        3,
      ),
    );
    expect(section.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('opens a transcript read-only: its outcome, the survey answers and the messages as text', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'chatHistory').mockResolvedValue({ chats: [buildPastChat()], total: 1 });
    const transcript: ChatTranscript = {
      ...buildPastChat(),
      survey: [{ key: 'order', label: 'Order number', value: 'A-1001' }],
      messages: [
        buildMessage({ seq: 1, text: 'Where is my order? <img src=x onerror=alert(1)>' }),
        buildMessage({ seq: 2, from: 'agent', name: 'Alice Agent', text: 'It ships today.', clientId: 'c1' }),
        buildMessage({ seq: 3, from: 'system', text: 'Kim Lee left the chat' }),
      ],
    };
    const load = vi.spyOn(api, 'chatTranscript').mockResolvedValue(transcript);
    renderWithMantine(<ChatHistory open onSessionExpired={vi.fn()} />);

    await user.click(await screen.findByRole('button', { name: /Kim Lee/ }));
    const dialog = within(screen.getByRole('dialog', { name: 'Chat with Kim Lee' }));
    expect(load).toHaveBeenCalledWith('00000000-0000-4000-8000-00000000d001');
    const log = within(await dialog.findByRole('log', { name: 'Messages' }));
    expect(log.getByText('Where is my order? <img src=x onerror=alert(1)>')).toBeTruthy();
    expect(log.getByText('It ships today.')).toBeTruthy();
    expect(log.getByText('Kim Lee left the chat')).toBeTruthy();
    expect(screen.getByRole('log', { name: 'Messages' }).querySelector('img')).toBeNull();
    expect(dialog.getByText('Outcome').nextElementSibling?.textContent).toBe('Resolved');
    expect(dialog.getByText('Order number').nextElementSibling?.textContent).toBe('A-1001');
    // Read-only: nothing to type into, no delivery marks.
    expect(dialog.queryByRole('textbox')).toBeNull();
    expect(log.queryByText(/^(Sent|Read)$/)).toBeNull();

    await user.click(dialog.getByRole('button', { name: /close/i }));
    expect(screen.queryByRole('dialog', { name: 'Chat with Kim Lee' })).toBeNull();
  });
});
