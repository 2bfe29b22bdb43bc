import { ApiError } from '@parley/client';
import type { DiallerCampaignStats, DiallerReport, Role, SessionResponse } from '@parley/contract';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { renderWithMantine } from '../testing/renderWithMantine';
import { DiallerLivePage } from './DiallerLivePage';

const NOW = Date.UTC(2026, 2, 10, 9, 30);
const WORKSPACE_ID = '00000000-0000-4000-8000-0000000000a1';
const CAMPAIGN_ID = '00000000-0000-4000-8000-0000000000ca';

function buildSession(role: Role = 'manager'): SessionResponse {
  return {
    user: {
      id: '00000000-0000-4000-8000-0000000000f1',
      username: 'morgan',
      displayName: 'Morgan Lee',
      role,
      agentId: null,
    },
    workspace: { id: WORKSPACE_ID, name: 'Acme', slug: 'acme' },
    csrfToken: 'token',
  };
}

function buildStats(overrides: Partial<DiallerCampaignStats> = {}): DiallerCampaignStats {
  return {
    campaignId: CAMPAIGN_ID,
    name: 'Renewals',
    agents: 12,
    freeAgents: 3,
    inFlight: 7,
    dialLevel: 0.5833,
    answerRate: 0.3125,
    mode: 'predictive',
    cap: 0.03,
    windows: [
      { name: '24 hours', answered: 400, abandoned: 4, rate: 0.01 },
      { name: '30 days', answered: 12000, abandoned: 300, rate: 0.025 },
    ],
    today: { dialled: 1280, answered: 400, connected: 396, abandoned: 4 },
    updatedAt: new Date(NOW).toISOString(),
    ...overrides,
  };
}

function buildReport(days: DiallerReport['days']): DiallerReport {
  return { campaignId: CAMPAIGN_ID, name: 'Renewals', cap: 0.03, days };
}

const reportDay = (date: string, figures: Partial<DiallerReport['days'][number]> = {}) => ({
  date,
  dialled: 0,
  answered: 0,
  connected: 0,
  abandoned: 0,
  abandonRate: 0,
  messagesPlayed: 0,
  rate24Hours: 0,
  rate30Days: 0,
  longestAbandonWaitMs: 0,
  decisions: 0,
  settingsChanges: 0,
  ...figures,
});

const settle = () => act(() => vi.advanceTimersByTimeAsync(0));

async function renderPage(
  campaigns: DiallerCampaignStats[] | (() => Promise<DiallerCampaignStats[]>),
  role: Role = 'manager',
  report: DiallerReport = buildReport([]),
) {
  vi.useFakeTimers({ now: NOW });
  const stats = vi
    .spyOn(api, 'diallerCampaigns')
    .mockImplementation(typeof campaigns === 'function' ? campaigns : async () => campaigns);
  const reports = vi.spyOn(api, 'diallerReport').mockResolvedValue(report);
  const onSignedOut = vi.fn();
  renderWithMantine(<DiallerLivePage session={buildSession(role)} onSignedOut={onSignedOut} />);
  await settle();
  return { stats, reports, onSignedOut };
}

const card = (name: string) => within(screen.getByRole('region', { name }));
const figure = (name: string, label: string) => card(name).getByText(label).nextElementSibling?.textContent;
const windowRow = (campaign: string, window: string) => {
  const table = within(screen.getByRole('table', { name: `Abandonment windows of ${campaign}` }));
  const row = table.getAllByRole('row').find((r) => within(r).queryByText(window));
  if (!row) throw new Error(`no row for ${window}`);
  return row;
};
const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('DiallerLivePage', () => {
  it('shows each campaign’s agents, calls in flight, dial level, answer rate, mode and today', async () => {
    await renderPage([
      buildStats(),
      buildStats({ campaignId: crypto.randomUUID(), name: 'Winback', mode: 'progressive' }),
    ]);

    expect(figure('Renewals', 'Agents free / working')).toBe('3 / 9');
    expect(figure('Renewals', 'Calls in flight')).toBe('7');
    expect(figure('Renewals', 'Dial level')).toBe('0.58');
    expect(figure('Renewals', 'Answer rate')).toBe('31.25%');
    expect(figure('Renewals', 'Abandonment cap')).toBe('3%');
    expect(card('Renewals').getByText('Predictive')).toBeTruthy();
    expect(card('Winback').getByText('One line per free agent')).toBeTruthy();
    expect(
      ['Dialled today', 'Answered today', 'Connected today', 'Abandoned today'].map((l) =>
        figure('Renewals', l),
      ),
    ).toEqual(['1280', '400', '396', '4']);
    expect(cells(windowRow('Renewals', '24 hours'))).toEqual(['24 hours', '400', '4', '1.00%']);
  });

  it('marks a window at 80% of the cap or more “Near the cap”, in words', async () => {
    await renderPage([buildStats()]);
    expect(cells(windowRow('Renewals', '30 days'))).toEqual(['30 days', '12000', '300', '2.50%Near the cap']);
    expect(within(windowRow('Renewals', '24 hours')).queryByText('Near the cap')).toBeNull();
  });

  it('asks for the figures again every 2 seconds', async () => {
    let dialled = 1280;
    const { stats } = await renderPage(async () => [
      buildStats({ today: { dialled: dialled++, answered: 1, connected: 1, abandoned: 0 } }),
    ]);
    expect(figure('Renewals', 'Dialled today')).toBe('1280');
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(stats).toHaveBeenCalledTimes(2);
    expect(figure('Renewals', 'Dialled today')).toBe('1281');
  });

  it('reports the last 7 days by default, a row per day, and the downloads carry the range', async () => {
    const { reports } = await renderPage(
      [buildStats()],
      'manager',
      buildReport([
        reportDay('2026-03-09', {
          dialled: 900,
          answered: 300,
          connected: 292,
          abandoned: 8,
          abandonRate: 8 / 300,
          messagesPlayed: 8,
          rate24Hours: 0.026,
          rate30Days: 0.012,
          longestAbandonWaitMs: 2100,
          decisions: 5400,
          settingsChanges: 1,
        }),
        reportDay('2026-03-10'),
      ]),
    );
    expect(reports).toHaveBeenCalledExactlyOnceWith(WORKSPACE_ID, CAMPAIGN_ID, '2026-03-04', '2026-03-10');
    const table = within(screen.getByRole('table', { name: 'Report of Renewals' }));
    const [, first, second] = table.getAllByRole('row');
    expect(first && cells(first)).toEqual([
      '2026-03-09',
      '900',
      '300',
      '292',
      '8',
      '2.67%',
      '8',
      '2.60% (near the cap)',
      '1.20%',
      '2.1 s',
      '5400',
      '1',
    ]);
    expect(second && cells(second)?.slice(0, 6)).toEqual(['2026-03-10', '0', '0', '0', '0', '0.00%']);
    const base = `/api/workspaces/${WORKSPACE_ID}/campaigns/${CAMPAIGN_ID}/dialler`;
    expect(
      card('Renewals').getByRole('link', { name: 'Download audit log (CSV)' }).getAttribute('href'),
    ).toBe(`${base}/audit.csv?from=2026-03-04&to=2026-03-10`);

    fireEvent.change(card('Renewals').getByLabelText('From'), { target: { value: '2026-02-01' } });
    await settle();
    expect(reports).toHaveBeenLastCalledWith(WORKSPACE_ID, CAMPAIGN_ID, '2026-02-01', '2026-03-10');
    expect(card('Renewals').getByRole('link', { name: 'Download calls (CSV)' }).getAttribute('href')).toBe(
      `${base}/calls.csv?from=2026-02-01&to=2026-03-10`,
    );
  });

  it('says so when the start date is after the end date, and offers no download', async () => {
    const { reports } = await renderPage([buildStats()]);
    fireEvent.change(card('Renewals').getByLabelText('To'), { target: { value: '2026-03-01' } });
    await settle();
    expect(card('Renewals').getByText('The start date is after the end date.')).toBeTruthy();
    expect(card('Renewals').queryByRole('link', { name: 'Download audit log (CSV)' })).toBeNull();
    expect(reports).toHaveBeenCalledTimes(1);
  });

  it('tells an agent the page is not for them, without asking the server', async () => {
    const { stats } = await renderPage([buildStats()], 'agent');
    expect(screen.getByText('This page is for managers and administrators.')).toBeTruthy();
    expect(stats).not.toHaveBeenCalled();
  });

  it('says the page is for managers when the server refuses the role, and stops asking', async () => {
    const { stats } = await renderPage(async () => {
      throw new ApiError(403, 'FORBIDDEN_ROLE', 'This needs the role manager or administrator', undefined);
    });
    expect(screen.getByText('This page is for managers and administrators.')).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(6000));
    expect(stats).toHaveBeenCalledTimes(1);
  });

  it('says when the manager has no predictive campaign', async () => {
    await renderPage([]);
    expect(screen.getByText('No predictive campaign on your teams.')).toBeTruthy();
  });
});
