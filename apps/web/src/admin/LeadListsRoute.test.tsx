import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { api } from '../api';
import { LIVE_CALLS_PATH } from '../supervision/supervisionPaths';
import { buildStaffSession, mockLeadAdminApi } from '../testing/leadAdmin';
import { renderWithMantine } from '../testing/renderWithMantine';
import { LEAD_LISTS_PATH } from './adminPaths';

describe('the Lead lists address', () => {
  it('opens the Lead lists page once signed in', async () => {
    vi.spyOn(api, 'session').mockResolvedValue(buildStaffSession());
    const fake = mockLeadAdminApi();
    window.history.pushState(null, '', LEAD_LISTS_PATH);
    try {
      renderWithMantine(<App />);
      expect(await screen.findByRole('heading', { name: 'Lead lists', level: 1 })).toBeTruthy();
      expect(await screen.findByRole('table', { name: 'Lead lists' })).toBeTruthy();
      expect(fake.campaigns.list).toHaveBeenCalled();
    } finally {
      window.history.pushState(null, '', '/');
    }
  });

  it('is reached from the Live calls page', async () => {
    vi.spyOn(api, 'session').mockResolvedValue(buildStaffSession('manager'));
    vi.spyOn(api, 'liveCalls').mockResolvedValue([]);
    mockLeadAdminApi();
    window.history.pushState(null, '', LIVE_CALLS_PATH);
    try {
      renderWithMantine(<App />);
      await userEvent.click(await screen.findByRole('link', { name: 'Lead lists' }));
      expect(window.location.pathname).toBe(LEAD_LISTS_PATH);
      expect(await screen.findByRole('heading', { name: 'Lead lists', level: 1 })).toBeTruthy();
    } finally {
      window.history.pushState(null, '', '/');
    }
  });
});
