import type { SessionResponse } from '@parley/contract';
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { api } from '../api';
import { renderWithMantine } from '../testing/renderWithMantine';
import { LIVE_CALLS_PATH } from './supervisionPaths';

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

describe('the Live calls address', () => {
  it('opens the managers’ Live calls page once signed in', async () => {
    vi.spyOn(api, 'session').mockResolvedValue(session);
    const liveCalls = vi.spyOn(api, 'liveCalls').mockResolvedValue([]);
    window.history.pushState(null, '', LIVE_CALLS_PATH);
    try {
      renderWithMantine(<App />);
      expect(await screen.findByRole('heading', { name: 'Live calls' })).toBeTruthy();
      expect(await screen.findByText('No calls in progress')).toBeTruthy();
      expect(liveCalls).toHaveBeenCalled();
    } finally {
      window.history.pushState(null, '', '/');
    }
  });
});
