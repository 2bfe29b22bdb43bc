import { ApiError } from '@parley/client';
import type { Assignments, LeadSummary } from '@parley/contract';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState } from '../../testing/agentState';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { LEAD_SEARCH_DELAY_MS, LeadManager } from './LeadManager';

const renewals = {
  id: '00000000-0000-4000-8000-0000000003c1',
  name: 'Renewals',
  kind: 'outbound_preview',
} as const;
const winBack = {
  id: '00000000-0000-4000-8000-0000000003c2',
  name: 'Win-back',
  kind: 'outbound_predictive',
} as const;
const support = {
  id: '00000000-0000-4000-8000-0000000000ca',
  name: 'Support',
  kind: 'inbound_voice',
} as const;

function buildSummary(overrides: Partial<LeadSummary> = {}): LeadSummary {
  return {
    id: '00000000-0000-4000-8000-0000000001ea',
    campaignId: renewals.id,
    campaignName: 'Renewals',
    label: 'Ann Lee',
    numbers: ['+61298765432', '+61412345678'],
    fields: { Name: 'Ann Lee' },
    lastOutcome: 'No answer',
    callbackAt: null,
    done: false,
    taken: false,
    ...overrides,
  };
}
const ann = buildSummary();
const bob = buildSummary({
  id: '00000000-0000-4000-8000-0000000001eb',
  label: 'Bob Ray',
  numbers: ['+61298760000'],
  lastOutcome: 'New Record',
  taken: true,
});
const cy = buildSummary({
  id: '00000000-0000-4000-8000-0000000001ec',
  label: 'Cy Done',
  numbers: ['+61298761111'],
  lastOutcome: 'Sale',
  done: true,
});

function renderManager(campaigns: Assignments['campaigns'] = [renewals, winBack, support]) {
  renderWithMantine(<LeadManager campaigns={campaigns} onSessionExpired={vi.fn()} />);
}

const user = () => userEvent.setup();
const searchBox = () => screen.getByRole('searchbox', { name: 'Search leads' });
const setAsNext = (name: string) =>
  screen.getByRole('button', { name: `Set ${name} as next contact` }) as HTMLButtonElement;
const found = async () => within(await screen.findByRole('list', { name: 'Leads found' }));

describe('the side panel: Lead Manager', () => {
  it('finds leads by name or number as typed, each with its numbers, campaign and last outcome', async () => {
    const search = vi.spyOn(api, 'searchLeads').mockResolvedValue([ann, bob]);
    renderManager();
    await user().type(searchBox(), 'Lee');

    const list = await found();
    expect(search).toHaveBeenLastCalledWith('Lee', undefined);
    // Typed at speed, a name is one search.
    expect(search).toHaveBeenCalledTimes(1);
    expect(list.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Ann Lee+61298765432, +61412345678Renewals · Last Outcome: No answerSet as next',
      'Bob Ray+61298760000Renewals · Last Outcome: New RecordAnother agent is working this leadSet as next',
    ]);
  });

  it('searches one campaign when one is chosen (outbound campaigns only)', async () => {
    const search = vi.spyOn(api, 'searchLeads').mockResolvedValue([]);
    renderManager();
    await user().click(screen.getByRole('combobox', { name: 'Campaign' }));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Renewals', 'Win-back']);
    await user().click(screen.getByRole('option', { name: 'Win-back' }));
    await user().type(searchBox(), '0298765432');

    await waitFor(() => expect(search).toHaveBeenLastCalledWith('0298765432', winBack.id));
    expect(await screen.findByText('No leads found.')).toBeTruthy();
  });

  it('sends nothing for a single character', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const search = vi.spyOn(api, 'searchLeads');
    renderManager();
    await userEvent.setup({ advanceTimers: vi.advanceTimersByTime }).type(searchBox(), 'A');
    await act(() => vi.advanceTimersByTimeAsync(2 * LEAD_SEARCH_DELAY_MS));
    expect(screen.getByText('Type at least 2 characters.')).toBeTruthy();
    expect(search).not.toHaveBeenCalled();
  });

  it('"Set as next" makes the lead the next contact and says so', async () => {
    vi.spyOn(api, 'searchLeads').mockResolvedValue([ann]);
    const choose = vi.spyOn(api, 'chooseLead').mockResolvedValue(buildAgentState());
    renderManager();
    await user().type(searchBox(), 'Ann');
    await found();
    await user().click(setAsNext('Ann Lee'));

    expect(choose).toHaveBeenCalledWith(ann.id);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Ann Lee is your next contact'));
  });

  it('a lead another agent works, or a completed one, cannot be set as next, and says why', async () => {
    vi.spyOn(api, 'searchLeads').mockResolvedValue([bob, cy]);
    renderManager();
    await user().type(searchBox(), 'Renewals');
    await found();

    for (const [name, why] of [
      ['Bob Ray', 'Another agent is working this lead'],
      ['Cy Done', 'Completed'],
    ] as const) {
      const button = setAsNext(name);
      expect(button.disabled).toBe(true);
      expect(document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
        why,
      );
    }
  });

  it("a refusal (another agent took it meanwhile) shows the server's message", async () => {
    vi.spyOn(api, 'searchLeads').mockResolvedValue([ann]);
    vi.spyOn(api, 'chooseLead').mockRejectedValue(
      new ApiError(409, 'LEAD_TAKEN', 'Another agent is working this lead', undefined),
    );
    renderManager();
    await user().type(searchBox(), 'Ann');
    await found();
    await user().click(setAsNext('Ann Lee'));

    expect((await screen.findByRole('alert')).textContent).toBe('Another agent is working this lead');
    expect(screen.getByRole('status').textContent).toBe('');
    expect(setAsNext('Ann Lee').disabled).toBe(false);
  });

  it('says so when the agent is on no outbound campaign', () => {
    renderManager([support]);
    expect(screen.getByText('You are on no outbound campaign to find leads in.')).toBeTruthy();
    expect(screen.queryByRole('searchbox', { name: 'Search leads' })).toBeNull();
  });
});
