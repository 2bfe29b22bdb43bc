import { ApiError } from '@parley/client';
import type { Role } from '@parley/contract';
import { type BoundFunctions, type queries, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import {
  buildCampaign,
  buildLeadList,
  buildStaffSession,
  CAMPAIGN_ID,
  type LeadAdminData,
  LIST_ID,
  mockLeadAdminApi,
} from '../testing/leadAdmin';
import { renderWithMantine } from '../testing/renderWithMantine';
import { LeadListsPage } from './LeadListsPage';

const SALES_ID = '00000000-0000-4000-8000-0000000000cb';

async function renderPage(role: Role = 'administrator', data: LeadAdminData = {}) {
  const fake = mockLeadAdminApi(data);
  const onSignedOut = vi.fn();
  renderWithMantine(<LeadListsPage session={buildStaffSession(role)} onSignedOut={onSignedOut} />);
  const table = within(await screen.findByRole('table', { name: 'Lead lists' }));
  return { fake, table, onSignedOut };
}

/** The body's rows, each as the texts of its first two cells (name, leads). */
const rowsOf = (table: BoundFunctions<typeof queries>) =>
  table
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .slice(0, 2)
        .map((cell) => cell.textContent),
    );

describe('LeadListsPage', () => {
  it('offers the outbound campaigns and lists the chosen one’s lists with their leads', async () => {
    const { fake, table } = await renderPage('administrator', {
      campaigns: [
        buildCampaign({ id: '00000000-0000-4000-8000-0000000000c1', name: 'Support', kind: 'inbound_voice' }),
        buildCampaign(),
        buildCampaign({ id: SALES_ID, name: 'Sales', kind: 'outbound_predictive' }),
      ],
      lists: [
        buildLeadList(),
        buildLeadList({ id: '00000000-0000-4000-8000-0000000001f9', name: 'Lapsed', leads: 7 }),
      ],
    });

    const campaign = screen.getByRole('combobox', { name: /Campaign/ }) as HTMLSelectElement;
    expect([...campaign.options].map((o) => o.textContent)).toEqual([
      'Renewals (preview)',
      'Sales (predictive)',
    ]);
    expect(fake.leadLists.list).toHaveBeenCalledWith(CAMPAIGN_ID);
    expect(rowsOf(table)).toEqual([
      ['Spring leads', (1200).toLocaleString()],
      ['Lapsed', '7'],
    ]);

    fake.leadLists.list.mockResolvedValue([]);
    await userEvent.selectOptions(campaign, SALES_ID);
    expect(fake.leadLists.list).toHaveBeenLastCalledWith(SALES_ID);
    expect(await screen.findByText('This campaign has no lead lists yet.')).toBeTruthy();
  });

  it('says so when the workspace has no outbound campaign', async () => {
    mockLeadAdminApi({ campaigns: [buildCampaign({ kind: 'inbound_voice' })] });
    renderWithMantine(<LeadListsPage session={buildStaffSession()} onSignedOut={vi.fn()} />);
    expect(await screen.findByText(/There are no outbound campaigns yet/)).toBeTruthy();
  });

  it('creates a list in the chosen campaign', async () => {
    const { fake, table } = await renderPage();
    await userEvent.type(screen.getByRole('textbox', { name: 'New lead list' }), '  Summer leads ');
    await userEvent.click(screen.getByRole('button', { name: 'Create list' }));

    expect(fake.leadLists.create).toHaveBeenCalledWith({ campaignId: CAMPAIGN_ID, name: 'Summer leads' });
    expect(rowsOf(table)).toEqual([
      ['Spring leads', (1200).toLocaleString()],
      ['Summer leads', '0'],
    ]);
    expect((screen.getByRole('textbox', { name: 'New lead list' }) as HTMLInputElement).value).toBe('');
  });

  it('says why a list was not created', async () => {
    const { fake } = await renderPage();
    fake.leadLists.create.mockRejectedValue(
      new ApiError(409, 'CONFLICT', 'A lead list of this campaign is called Spring leads already', undefined),
    );
    await userEvent.type(screen.getByRole('textbox', { name: 'New lead list' }), 'Spring leads');
    await userEvent.click(screen.getByRole('button', { name: 'Create list' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The list was not created. A lead list of this campaign is called Spring leads already.',
    );
  });

  it('deletes a list only once the administrator confirms', async () => {
    const { fake, table } = await renderPage();
    await userEvent.click(table.getByRole('button', { name: 'Delete Spring leads' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Delete lead list' }));
    expect(dialog.getByText(/Delete “Spring leads” with its/).textContent).toContain((1200).toLocaleString());
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.leadLists.remove).not.toHaveBeenCalled();

    await userEvent.click(table.getByRole('button', { name: 'Delete Spring leads' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete list' }));
    expect(fake.leadLists.remove).toHaveBeenCalledWith(LIST_ID);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(table.getByText('This campaign has no lead lists yet.')).toBeTruthy();
  });

  it('keeps the list, and says why, when it cannot be deleted', async () => {
    const { fake, table } = await renderPage();
    fake.leadLists.remove.mockRejectedValue(
      new ApiError(
        409,
        'IMPORT_RUNNING',
        'An import into this list is running: wait for it to finish',
        undefined,
      ),
    );
    await userEvent.click(table.getByRole('button', { name: 'Delete Spring leads' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete list' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Delete lead list' }));
    expect((await dialog.findByRole('alert')).textContent).toBe(
      'An import into this list is already running: wait for it to finish, then try again.',
    );
    expect(table.getByText('Spring leads')).toBeTruthy();
  });

  it('is read-only for a manager', async () => {
    const { table } = await renderPage('manager');
    expect(screen.getByText(/only administrators can change/)).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'New lead list' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Create list' })).toBeNull();
    expect(table.queryByRole('button', { name: 'Delete Spring leads' })).toBeNull();
    expect(table.queryByRole('button', { name: 'Import into Spring leads' })).toBeNull();
    expect(table.getByRole('button', { name: 'Imports into Spring leads' })).toBeTruthy();

    await userEvent.click(screen.getByRole('tab', { name: 'Do-not-call list' }));
    expect(await screen.findByRole('table', { name: 'Do-not-call numbers' })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Number' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add number' })).toBeNull();
    expect(screen.queryByLabelText('CSV of numbers')).toBeNull();
  });

  it('tells an agent the page is not theirs, and asks the server nothing', async () => {
    const fake = mockLeadAdminApi();
    renderWithMantine(<LeadListsPage session={buildStaffSession('agent')} onSignedOut={vi.fn()} />);
    expect(screen.getByText('This page is for managers and administrators.')).toBeTruthy();
    expect(screen.queryByRole('tab')).toBeNull();
    expect(fake.campaigns.list).not.toHaveBeenCalled();
  });

  it('sends an expired session back to sign in', async () => {
    const fake = mockLeadAdminApi();
    fake.campaigns.list.mockRejectedValue(new ApiError(401, 'UNAUTHENTICATED', 'Sign in', undefined));
    const onSignedOut = vi.fn();
    renderWithMantine(<LeadListsPage session={buildStaffSession()} onSignedOut={onSignedOut} />);
    await vi.waitFor(() =>
      expect(onSignedOut).toHaveBeenCalledWith('Your session has expired. Sign in again to continue.'),
    );
  });

  it('links to the other staff pages', async () => {
    await renderPage();
    expect(screen.getByRole('heading', { name: 'Lead lists', level: 1 })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Live calls' }).getAttribute('href')).toBe('/live-calls');
    expect(screen.getByRole('link', { name: 'Interactions' }).getAttribute('href')).toBe('/interactions');
    expect(screen.getByRole('link', { name: 'Back to the toolbar' }).getAttribute('href')).toBe('/');
  });
});
