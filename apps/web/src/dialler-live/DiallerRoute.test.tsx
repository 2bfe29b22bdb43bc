import type { SessionResponse } from '@parley/contract';
import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { api } from '../api';
import { DIALLER_PATH } from '../supervision/supervisionPaths';
import { renderWithMantine } from '../testing/renderWithMantine';

const session: SessionResponse = {
  user: {
    id: '00000000-0000-4000-8000-0000000000f1',
    username: 'morgan',
    displayName: 'Morgan Lee',
    role: 'manager',
    agentId: null,
  },
  workspace: { id: '00000000-0000-4000-8000-0000000000a1', name: 'Acme', slug: 'acme' },
  csrfToken: 'token',
};

afterEach(() => vi.restoreAllMocks());

describe('the Predictive dialling address', () => {
  it('opens the managers’ Predictive dialling page once signed in', async () => {
    vi.spyOn(api, 'session').mockResolvedValue(session);
    const campaigns = vi.spyOn(api, 'diallerCampaigns').mockResolvedValue([]);
    window.history.pushState(null, '', DIALLER_PATH);
    try {
      renderWithMantine(<App />);
      expect(await screen.findByRole('heading', { name: 'Predictive dialling' })).toBeTruthy();
      expect(await screen.findByText('No predictive campaign on your teams.')).toBeTruthy();
      expect(campaigns).toHaveBeenCalled();
    } finally {
      window.history.pushState(null, '', '/');
    }
  });
});
