import { ApiError } from '@parley/client';
import type { LiveCall, MonitorMode, Role, SessionResponse } from '@parley/contract';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { renderWithMantine } from '../testing/renderWithMantine';
import { LiveCallsPage } from './LiveCallsPage';

const NOW = Date.UTC(2026, 2, 2, 9, 10);
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
const MANAGER_ID = '00000000-0000-4000-8000-0000000000f1';

function buildSession(role: Role = 'manager'): SessionResponse {
  return {
    user: { id: MANAGER_ID, username: 'morgan', displayName: 'Morgan Lee', role, agentId: null },
    workspace: { id: '00000000-0000-4000-8000-0000000000a1', name: 'Acme', slug: 'acme' },
    csrfToken: 'token',
  };
}

let nextId = 1;
function buildLiveCall(overrides: Partial<LiveCall> = {}): LiveCall {
  const n = String(nextId++).padStart(12, '0');
  return {
    id: `00000000-0000-4000-8000-${n}`,
    agentId: `00000000-0000-4000-9000-${n}`,
    agentName: 'Ada Agent',
    campaignId: '00000000-0000-4000-8000-0000000000ca',
    campaignName: 'Support',
    customerPhone: '+442079460000',
    since: at(90),
    state: 'connected',
    ...overrides,
  };
}

function monitoredBy(mode: MonitorMode, userId = MANAGER_ID, name = 'Morgan Lee'): LiveCall['monitoredBy'] {
  return { userId, name, mode };
}

/** Lets the page's requests settle in virtual time. */
const settle = () => act(() => vi.advanceTimersByTimeAsync(0));

async function renderPage(calls: LiveCall[] | (() => Promise<LiveCall[]>), role: Role = 'manager') {
  vi.useFakeTimers({ now: NOW });
  const liveCalls = vi
    .spyOn(api, 'liveCalls')
    .mockImplementation(typeof calls === 'function' ? calls : async () => calls);
  const onSignedOut = vi.fn();
  renderWithMantine(<LiveCallsPage session={buildSession(role)} onSignedOut={onSignedOut} />);
  await settle();
  return { liveCalls, onSignedOut };
}

const table = () => within(screen.getByRole('table', { name: 'Live calls' }));
/** The body's rows, each as the texts of its cells. */
const rows = () => table().getAllByRole('row').slice(1);
const rowOf = (agentName: string) => {
  const row = rows().find((r) => within(r).queryByText(agentName));
  if (!row) throw new Error(`no row for ${agentName}`);
  return within(row);
};
const pressed = (agentName: string) =>
  ['Listen', 'Whisper', 'Barge'].filter(
    (name) => rowOf(agentName).getByRole('button', { name }).getAttribute('aria-pressed') === 'true',
  );

describe('LiveCallsPage', () => {
  it('lists each live call: agent, campaign, customer, state and time on the call', async () => {
    await renderPage([
      buildLiveCall({ agentName: 'Ada Agent', since: at(125) }),
      buildLiveCall({
        agentName: 'Bo Agent',
        campaignName: 'Sales',
        state: 'held',
        customerPhone: '+15550100',
      }),
    ]);

    const ada = rowOf('Ada Agent');
    expect(ada.getByText('Support')).toBeTruthy();
    expect(ada.getByText('+442079460000')).toBeTruthy();
    expect(ada.getByText('Talking')).toBeTruthy();
    expect(ada.getByText('On the call for', { exact: false }).parentElement?.textContent).toBe(
      'On the call for 02:05',
    );
    const bo = rowOf('Bo Agent');
    expect(bo.getByText('Sales')).toBeTruthy();
    expect(bo.getByText('On hold')).toBeTruthy();
    expect(screen.queryByText('No calls in progress')).toBeNull();
  });

  it('puts agents asking for help first, the longest asking at the top, with how long they have asked', async () => {
    await renderPage([
      buildLiveCall({ agentName: 'Quiet One' }),
      buildLiveCall({ agentName: 'Asked Later', assistRequestedAt: at(10) }),
      buildLiveCall({ agentName: 'Quiet Two' }),
      buildLiveCall({ agentName: 'Asked First', assistRequestedAt: at(75) }),
    ]);

    expect(rows().map((r) => within(r).getAllByRole('cell')[0]?.textContent?.split(/Asks/)[0])).toEqual([
      'Asked First',
      'Asked Later',
      'Quiet One',
      'Quiet Two',
    ]);
    const first = rowOf('Asked First');
    expect(first.getByText('Asks for help')).toBeTruthy();
    expect(first.getByText('Asking for', { exact: false }).parentElement?.textContent).toBe(
      'Asking for 01:15',
    );
    expect(rowOf('Quiet One').queryByText('Asks for help')).toBeNull();
  });

  it('says so when no call is in progress', async () => {
    await renderPage([]);
    expect(table().getByText('No calls in progress')).toBeTruthy();
  });

  it.each([
    ['Listen', 'listen'],
    ['Whisper', 'whisper'],
    ['Barge', 'barge'],
  ] as const)(
    '%s joins the call in that mode and the list is asked for again at once',
    async (name, mode) => {
      const call = buildLiveCall();
      const { liveCalls } = await renderPage([call]);
      const monitor = vi
        .spyOn(api, 'monitorCall')
        .mockResolvedValue({ ...call, monitoredBy: monitoredBy(mode) });
      expect(liveCalls).toHaveBeenCalledTimes(1);

      fireEvent.click(rowOf('Ada Agent').getByRole('button', { name }));
      await settle();
      expect(monitor).toHaveBeenCalledExactlyOnceWith(call.id, mode);
      expect(liveCalls).toHaveBeenCalledTimes(2);
    },
  );

  it('presses the button of the mode the manager is in, and offers Stop only then', async () => {
    const call = buildLiveCall({ monitoredBy: monitoredBy('whisper') });
    let served = [call];
    await renderPage(async () => served);

    expect(pressed('Ada Agent')).toEqual(['Whisper']);
    expect(rowOf('Ada Agent').getByText('You: Whispering')).toBeTruthy();
    const stop = vi.spyOn(api, 'stopMonitoring').mockResolvedValue({ ...call, monitoredBy: undefined });

    served = [{ ...call, monitoredBy: monitoredBy('barge') }];
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(pressed('Ada Agent')).toEqual(['Barge']);

    fireEvent.click(rowOf('Ada Agent').getByRole('button', { name: 'Stop' }));
    served = [{ ...call, monitoredBy: undefined }];
    await settle();
    expect(stop).toHaveBeenCalledExactlyOnceWith(call.id);
    expect(pressed('Ada Agent')).toEqual([]);
    expect(rowOf('Ada Agent').queryByRole('button', { name: 'Stop' })).toBeNull();
  });

  it("another manager's monitoring is shown, not pressed and not stoppable from here", async () => {
    const other = '00000000-0000-4000-8000-0000000000f2';
    await renderPage([buildLiveCall({ monitoredBy: monitoredBy('listen', other, 'Sam Boss') })]);
    expect(rowOf('Ada Agent').getByText('Sam Boss: Listening')).toBeTruthy();
    expect(pressed('Ada Agent')).toEqual([]);
    expect(rowOf('Ada Agent').queryByRole('button', { name: 'Stop' })).toBeNull();
  });

  it('without a voice path of their own, the manager is told to connect voice first, and where', async () => {
    await renderPage([buildLiveCall()]);
    vi.spyOn(api, 'monitorCall').mockRejectedValue(
      new ApiError(409, 'VOICE_NOT_CONNECTED', 'Connect voice first', undefined),
    );

    fireEvent.click(rowOf('Ada Agent').getByRole('button', { name: 'Listen' }));
    await settle();
    const alert = within(screen.getByRole('alert'));
    expect(alert.getByText('Connect your voice first')).toBeTruthy();
    const webConnect = alert.getByRole('link', { name: 'Open Web Connect' });
    expect(webConnect.getAttribute('href')).toBe('/web-connect?mode=persistent');
    expect(webConnect.getAttribute('target')).toBe('parley-web-connect');
    expect(alert.getByRole('link', { name: 'Connect Voice in the toolbar' }).getAttribute('href')).toBe('/');

    // The next refresh does not hide it; dismissing does.
    await act(() => vi.advanceTimersByTimeAsync(2000));
    fireEvent.click(alert.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("shows other refusals in the server's words", async () => {
    await renderPage([buildLiveCall()]);
    vi.spyOn(api, 'monitorCall').mockRejectedValue(
      new ApiError(409, 'INTERACTION_STATE', 'The call has ended', undefined),
    );
    fireEvent.click(rowOf('Ada Agent').getByRole('button', { name: 'Barge' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('The call has ended');
    expect(screen.queryByText('Connect your voice first')).toBeNull();
  });

  it('asks for the calls again every 2 seconds while open', async () => {
    let served = [buildLiveCall({ agentName: 'Ada Agent' })];
    const { liveCalls } = await renderPage(async () => served);
    expect(liveCalls).toHaveBeenCalledTimes(1);

    served = [...served, buildLiveCall({ agentName: 'New Agent', assistRequestedAt: at(0) })];
    await act(() => vi.advanceTimersByTimeAsync(1999));
    expect(liveCalls).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(liveCalls).toHaveBeenCalledTimes(2);
    expect(rows()).toHaveLength(2);
    expect(rowOf('New Agent').getByText('Asks for help')).toBeTruthy();

    served = [];
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(table().getByText('No calls in progress')).toBeTruthy();
  });

  it('shows a failed refresh and recovers on the next one', async () => {
    let fail = false;
    await renderPage(async () => {
      if (fail) throw new TypeError('Failed to fetch');
      return [buildLiveCall()];
    });
    fail = true;
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(screen.getByRole('alert').textContent).toContain('could not reach the server');
    fail = false;
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(rowOf('Ada Agent')).toBeTruthy();
  });

  it('an expired session goes back to sign-in and stops asking', async () => {
    const { liveCalls, onSignedOut } = await renderPage(async () => {
      throw new ApiError(401, 'UNAUTHENTICATED', 'Sign in', undefined);
    });
    expect(onSignedOut).toHaveBeenCalledExactlyOnceWith(
      'Your session has expired. Sign in again to continue.',
    );
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(liveCalls).toHaveBeenCalledTimes(1);
  });

  it('is for managers and administrators: an agent is told so and nothing is asked', async () => {
    const { liveCalls } = await renderPage([buildLiveCall()], 'agent');
    expect(screen.getByText('This page is for managers and administrators.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect(liveCalls).not.toHaveBeenCalled();
  });
});

describe('the client methods for supervision and Agent Assist', () => {
  it('send what the server routes expect', async () => {
    const request = vi.spyOn(api, 'request').mockResolvedValue(undefined);
    const id = '00000000-0000-4000-8000-0000000000c1';
    await api.requestAssist(id);
    await api.liveCalls();
    await api.monitorCall(id, 'whisper');
    await api.stopMonitoring(id);
    expect(request.mock.calls).toEqual([
      ['POST', `/api/interactions/${id}/assist`],
      ['GET', '/api/supervision/calls'],
      ['POST', `/api/supervision/calls/${id}/monitor`, { mode: 'whisper' }],
      ['POST', `/api/supervision/calls/${id}/monitor/stop`],
    ]);
  });
});
