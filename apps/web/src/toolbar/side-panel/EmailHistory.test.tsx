import type { EmailHistoryItem, EmailThreadView } from '@parley/contract';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { buildEmailMessage, THREAD_ID } from '../email/testEmails';
import { EmailHistory } from './EmailHistory';

function buildThread(overrides: Partial<EmailHistoryItem> = {}): EmailHistoryItem {
  return {
    threadId: THREAD_ID,
    subject: 'Order 42 has not arrived',
    contact: { name: 'Kim Lee', address: 'kim@example.com' },
    campaignName: 'Support Email',
    agentNames: ['Alice Agent'],
    startedAt: '2026-12-04T09:30:00.000Z',
    lastAt: '2026-12-05T10:00:00.000Z',
    messageCount: 2,
    outcome: 'Resolved',
    ...overrides,
  };
}

describe('Email History', () => {
  it('lists the latest threads, and searches by contact, words and days', async () => {
    const user = userEvent.setup();
    const history = vi
      .spyOn(api, 'emailHistory')
      .mockResolvedValueOnce({ threads: [buildThread()], total: 1 })
      .mockResolvedValueOnce({
        threads: [
          buildThread({
            threadId: '00000000-0000-4000-8000-0000000000f8',
            subject: 'Refund',
            contact: { name: '', address: 'sam@example.com' },
            outcome: null,
            messageCount: 1,
          }),
        ],
        total: 1,
      });
    renderWithMantine(<EmailHistory open onSessionExpired={vi.fn()} />);
    const section = within(screen.getByRole('region', { name: 'Email History' }));

    const list = within(await section.findByRole('list', { name: 'Email threads' }));
    const kim = list.getByRole('button', { name: /Order 42/ });
    expect(kim.textContent).toMatch(
      /Order 42 has not arrived\s*Resolved\s*Kim Lee\s*Support Email · Alice Agent\s*\d\d\/12\/2026 \d\d:\d\d:00 · 2 messages/,
    );
    expect(history).toHaveBeenLastCalledWith({});

    const search = within(section.getByRole('search', { name: 'Search email history' }));
    await user.type(search.getByRole('searchbox', { name: 'Contact' }), ' sam ');
    await user.type(search.getByRole('searchbox', { name: 'Text' }), 'refund');
    await user.type(search.getByLabelText('From'), '2026-12-01');
    await user.type(search.getByLabelText('To'), '2026-12-07');
    await user.click(search.getByRole('button', { name: 'Search' }));
    expect(history).toHaveBeenLastCalledWith({
      contact: 'sam',
      text: 'refund',
      from: '2026-12-01',
      to: '2026-12-07',
    });
    const sam = await section.findByRole('button', { name: /Refund/ });
    expect(sam.textContent).toContain('sam@example.com');
    expect(sam.textContent).toContain('No outcome');
    expect(sam.textContent).toContain('1 message');
    expect(section.queryByRole('button', { name: /Order 42/ })).toBeNull();
  });

  it('opens a thread oldest first, each email with its Outcome, bodies framed safely', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'emailHistory').mockResolvedValue({ threads: [buildThread()], total: 1 });
    const thread: EmailThreadView = {
      ...buildThread(),
      messages: [
        {
          ...buildEmailMessage({
            subject: 'Order 42 has not arrived',
            html: '<p>Where is it?</p><img data-remote-src="https://tracker.example/x.png">',
            remoteImages: 1,
          }),
          outcome: null,
        },
        {
          ...buildEmailMessage({
            direction: 'out',
            from: { name: 'ACME Support', address: 'support@acme.test' },
            to: [{ name: 'Kim Lee', address: 'kim@example.com' }],
            agentName: 'Alice Agent',
            subject: 'Re: Order 42 has not arrived',
            html: null,
            text: 'It ships today.',
            status: 'sent',
            at: '2026-12-05T10:00:00.000Z',
          }),
          outcome: 'Resolved',
        },
      ],
    };
    const load = vi.spyOn(api, 'emailThread').mockResolvedValue(thread);
    renderWithMantine(<EmailHistory open onSessionExpired={vi.fn()} />);

    await user.click(await screen.findByRole('button', { name: /Order 42/ }));
    const dialog = within(screen.getByRole('dialog', { name: 'Order 42 has not arrived' }));
    expect(load).toHaveBeenCalledWith(THREAD_ID);
    const emails = within(await dialog.findByRole('list', { name: 'Emails' })).getAllByRole('listitem');
    expect(emails).toHaveLength(2);
    const [first, second] = emails.map((item) => within(item));
    expect(first?.getByText('Outcome').nextElementSibling?.textContent).toBe('No outcome');
    expect(first?.getByTitle('Message from Kim Lee').getAttribute('sandbox')).toBe(
      'allow-popups allow-popups-to-escape-sandbox',
    );
    expect(first?.getByRole('button', { name: 'Show remote images' })).toBeTruthy();
    expect(second?.getByText('Outcome').nextElementSibling?.textContent).toBe('Resolved');
    expect(second?.getByText('It ships today.')).toBeTruthy();
    expect(dialog.getByText('Email thread ID').nextElementSibling?.textContent).toBe(THREAD_ID);
    expect(dialog.queryByRole('textbox')).toBeNull();

    await user.click(dialog.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog', { name: 'Order 42 has not arrived' })).toBeNull();
  });
});
