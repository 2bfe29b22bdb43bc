import type { Role, SessionUser } from '@parley/contract';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { AgentMenu } from './AgentMenu';

function buildUser(role: Role): SessionUser {
  return {
    id: '00000000-0000-4000-8000-0000000000f1',
    username: 'morgan',
    displayName: 'Morgan Lee',
    role,
    agentId: null,
  };
}

async function openMenu(role: Role) {
  renderWithMantine(<AgentMenu user={buildUser(role)} onSignOut={vi.fn()} />);
  await userEvent.click(screen.getByRole('button', { name: 'Agent menu' }));
}

describe('AgentMenu', () => {
  it.each(['manager', 'administrator'] as const)(
    'leads the %s to Live calls, Interactions and Lead lists',
    async (role) => {
      await openMenu(role);
      expect(screen.getByRole('menuitem', { name: 'Live calls' }).getAttribute('href')).toBe('/live-calls');
      expect(screen.getByRole('menuitem', { name: 'Predictive dialling' }).getAttribute('href')).toBe(
        '/dialler',
      );
      expect(screen.getByRole('menuitem', { name: 'Interactions' }).getAttribute('href')).toBe(
        '/interactions',
      );
      expect(screen.getByRole('menuitem', { name: 'Lead lists' }).getAttribute('href')).toBe(
        '/admin/lead-lists',
      );
    },
  );

  it('shows an agent none of them', async () => {
    await openMenu('agent');
    expect(screen.getByRole('menuitem', { name: 'Sign Out' })).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: 'Live calls' })).toBeNull();
    expect(screen.queryByRole('menuitem', { name: 'Predictive dialling' })).toBeNull();
    expect(screen.queryByRole('menuitem', { name: 'Interactions' })).toBeNull();
    expect(screen.queryByRole('menuitem', { name: 'Lead lists' })).toBeNull();
  });
});
