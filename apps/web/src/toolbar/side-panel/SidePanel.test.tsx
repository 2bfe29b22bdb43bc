import { AppShell } from '@mantine/core';
import type { Assignments } from '@parley/contract';
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { SidePanel } from './SidePanel';

const assignments: Assignments = {
  teams: [{ id: '00000000-0000-4000-8000-0000000005a1', name: 'Retention' }],
  campaigns: [{ id: '00000000-0000-4000-8000-0000000003c1', name: 'Renewals', kind: 'outbound_preview' }],
};

describe('the side panel', () => {
  it("has the guide's sections in its order: Queues, Callbacks, Lead Manager, Chat History, Email History; then the agent's teams and campaigns", async () => {
    vi.spyOn(api, 'callbacks').mockResolvedValue([]);
    vi.spyOn(api, 'chatHistory').mockResolvedValue({ chats: [], total: 0 });
    vi.spyOn(api, 'emailHistory').mockResolvedValue({ threads: [], total: 0 });
    renderWithMantine(
      <AppShell navbar={{ width: 264, breakpoint: 0 }}>
        <SidePanel
          open
          overlay={false}
          onClose={vi.fn()}
          assignments={assignments}
          queues={[]}
          notifications={[]}
          onSessionExpired={vi.fn()}
        />
      </AppShell>,
    );
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Queues',
      'Callbacks',
      'Lead Manager',
      'Chat History',
      'Email History',
      'My teams',
      'My campaigns',
    ]);
    expect(await screen.findByText('No callbacks scheduled.')).toBeTruthy();
    expect(screen.getByRole('searchbox', { name: 'Search leads' })).toBeTruthy();
    expect(await screen.findByText('No chats found.')).toBeTruthy();
    expect(await screen.findByText('No emails found.')).toBeTruthy();
  });
});
