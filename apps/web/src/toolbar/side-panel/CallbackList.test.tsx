import type { Callback, Notification } from '@parley/contract';
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { CallbackList } from './CallbackList';
import { CALLBACKS_REFRESH_MS } from './useCallbacks';

const RENEWALS = '00000000-0000-4000-8000-0000000003c1';
const annDue: Callback = {
  leadId: '00000000-0000-4000-8000-0000000001ea',
  campaignId: RENEWALS,
  campaignName: 'Renewals',
  label: 'Ann Lee',
  at: new Date(2030, 0, 2, 9, 30).toISOString(),
  personal: true,
  due: true,
};
const bob: Callback = {
  leadId: '00000000-0000-4000-8000-0000000001eb',
  campaignId: RENEWALS,
  campaignName: 'Renewals',
  label: 'Bob Ray',
  at: new Date(2030, 0, 3, 14, 0).toISOString(),
  personal: false,
  due: false,
};

function notification(id: string, text: string): Notification {
  return { id, level: 'info', text, createdAt: new Date().toISOString() };
}

function renderList(open: boolean, notifications: Notification[] = []) {
  const list = (isOpen: boolean, current: Notification[]) => (
    <CallbackList open={isOpen} notifications={current} onSessionExpired={vi.fn()} />
  );
  const view = renderWithMantine(list(open, notifications));
  return {
    rerender: (isOpen: boolean, current: Notification[] = notifications) =>
      view.rerender(list(isOpen, current)),
  };
}

/** Each callback as the agent reads it: its list item's text. */
const rows = () =>
  within(screen.getByRole('list', { name: 'Callbacks' }))
    .getAllByRole('listitem')
    .map((item) => item.textContent);

describe('the side panel: Callbacks', () => {
  it('lists each callback with its name, campaign, date and time, whose it is, and the due ones marked', async () => {
    vi.spyOn(api, 'callbacks').mockResolvedValue([annDue, bob]);
    renderList(true);

    await screen.findByRole('list', { name: 'Callbacks' });
    expect(rows()).toEqual([
      'Ann LeeDueRenewals02/01/2030 09:30Personal',
      'Bob RayRenewals03/01/2030 14:00Campaign',
    ]);
    expect(screen.getByRole('listitem', { name: 'Ann Lee' })).toBeTruthy();
  });

  it('says so when there are none, and why when they could not be fetched', async () => {
    const callbacks = vi.spyOn(api, 'callbacks').mockResolvedValue([]);
    const view = renderList(true);
    expect(await screen.findByText('No callbacks scheduled.')).toBeTruthy();

    callbacks.mockRejectedValue(new Error('offline'));
    view.rerender(false);
    view.rerender(true);
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load your callbacks');
  });

  it('is fetched when the panel opens and each minute while it is open, never while it is closed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const callbacks = vi.spyOn(api, 'callbacks').mockResolvedValue([bob]);
    const view = renderList(false);
    await act(() => vi.advanceTimersByTimeAsync(2 * CALLBACKS_REFRESH_MS));
    expect(callbacks).not.toHaveBeenCalled();

    view.rerender(true);
    expect(callbacks).toHaveBeenCalledTimes(1);
    callbacks.mockResolvedValue([{ ...bob, due: true }]);
    await act(() => vi.advanceTimersByTimeAsync(CALLBACKS_REFRESH_MS));
    expect(callbacks).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(rows()).toEqual(['Bob RayDueRenewals03/01/2030 14:00Campaign']));

    view.rerender(false);
    await act(() => vi.advanceTimersByTimeAsync(2 * CALLBACKS_REFRESH_MS));
    expect(callbacks).toHaveBeenCalledTimes(2);
  });

  it('a "Callback due" notification fetches the list again; another notification does not', async () => {
    const callbacks = vi.spyOn(api, 'callbacks').mockResolvedValue([bob]);
    const earlier = [notification('00000000-0000-4000-8000-0000000004a1', 'Recording tagged')];
    const view = renderList(true, earlier);
    await screen.findByRole('list', { name: 'Callbacks' });
    expect(callbacks).toHaveBeenCalledTimes(1);

    view.rerender(true, [
      ...earlier,
      notification('00000000-0000-4000-8000-0000000004a2', 'Voice connected'),
    ]);
    expect(callbacks).toHaveBeenCalledTimes(1);

    callbacks.mockResolvedValue([annDue, bob]);
    view.rerender(true, [
      ...earlier,
      notification('00000000-0000-4000-8000-0000000004a3', 'Callback due: Ann Lee (09:30 UTC)'),
    ]);
    expect(callbacks).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(rows()).toHaveLength(2));
  });
});
