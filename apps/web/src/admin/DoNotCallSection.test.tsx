import { ApiError } from '@parley/client';
import { act, type BoundFunctions, fireEvent, type queries, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import {
  buildDoNotCallEntry,
  buildFinishedImport,
  buildLeadImport,
  csvFile,
  type LeadAdminData,
  mockLeadAdminApi,
  WORKSPACE_ID,
} from '../testing/leadAdmin';
import { renderWithMantine } from '../testing/renderWithMantine';
import { DO_NOT_CALL_PAGE_SIZE, DoNotCallSection } from './DoNotCallSection';
import { IMPORT_POLL_MS } from './useImportJob';

const LIMIT = String(DO_NOT_CALL_PAGE_SIZE);

async function renderSection(canEdit = true, data: LeadAdminData = {}) {
  const fake = mockLeadAdminApi(data);
  renderWithMantine(
    <DoNotCallSection workspaceId={WORKSPACE_ID} canEdit={canEdit} onSessionExpired={vi.fn()} />,
  );
  const table = within(await screen.findByRole('table', { name: 'Do-not-call numbers' }));
  return { fake, table };
}

const numbersIn = (table: BoundFunctions<typeof queries>) =>
  table
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[0]?.textContent);

describe('DoNotCallSection', () => {
  it('lists the numbers a page at a time', async () => {
    const { fake, table } = await renderSection(true, {
      doNotCall: {
        entries: [buildDoNotCallEntry(), buildDoNotCallEntry({ number: '+442079460001' })],
        next: '+442079460001',
      },
    });
    expect(fake.doNotCall.list).toHaveBeenCalledWith({ limit: LIMIT });
    expect(numbersIn(table)).toEqual(['+442079460000', '+442079460001']);
    expect(table.getAllByText('Asked not to be called')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Previous page' }).hasAttribute('disabled')).toBe(true);

    fake.doNotCall.list.mockResolvedValue({
      entries: [buildDoNotCallEntry({ number: '+447700900123' })],
      next: null,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(fake.doNotCall.list).toHaveBeenLastCalledWith({ limit: LIMIT, after: '+442079460001' });
    await vi.waitFor(() => expect(numbersIn(table)).toEqual(['+447700900123']));
    expect(screen.getByText('Page 2')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Next page' }).hasAttribute('disabled')).toBe(true);

    await userEvent.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(fake.doNotCall.list).toHaveBeenLastCalledWith({ limit: LIMIT });
  });

  it('adds a number with its reason, and reads the page again', async () => {
    const { fake } = await renderSection();
    await userEvent.type(screen.getByRole('textbox', { name: 'Number' }), '020 7946 0000');
    await userEvent.type(screen.getByRole('textbox', { name: 'Reason' }), 'Complained');
    await userEvent.click(screen.getByRole('button', { name: 'Add number' }));

    expect(fake.doNotCall.add).toHaveBeenCalledWith({ number: '020 7946 0000', reason: 'Complained' });
    expect((await screen.findByRole('status')).textContent).toBe('020 7946 0000 is on the do-not-call list.');
    expect(fake.doNotCall.list).toHaveBeenCalledTimes(2);
  });

  it('says why a number was not added', async () => {
    const { fake } = await renderSection();
    fake.doNotCall.add.mockRejectedValue(
      new ApiError(409, 'DUPLICATE_NUMBER', '+442079460000 is on the do-not-call list already', undefined),
    );
    await userEvent.type(screen.getByRole('textbox', { name: 'Number' }), '020 7946 0000');
    await userEvent.click(screen.getByRole('button', { name: 'Add number' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The number was not added. +442079460000 is on the do-not-call list already.',
    );
  });

  it('removes a number', async () => {
    const { fake, table } = await renderSection(true, {
      doNotCall: { entries: [buildDoNotCallEntry()], next: null },
    });
    fake.doNotCall.list.mockResolvedValue({ entries: [], next: null });
    await userEvent.click(table.getByRole('button', { name: 'Remove +442079460000' }));
    expect(fake.doNotCall.remove).toHaveBeenCalledWith('+442079460000');
    expect(await table.findByText('No numbers on the do-not-call list.')).toBeTruthy();
  });

  it('imports a CSV of numbers with the columns chosen, and shows its progress and report', async () => {
    const { fake } = await renderSection();
    const importer = within(screen.getByRole('region', { name: 'Import numbers' }));
    const file = csvFile('Name,Phone,Why\nAnn,020 7946 0000,Complained\n', 'numbers.csv');
    await userEvent.upload(importer.getByLabelText('CSV of numbers'), file);
    expect(
      ((await importer.findByRole('combobox', { name: 'Number column' })) as HTMLSelectElement).value,
    ).toBe('Phone');
    await userEvent.selectOptions(importer.getByRole('combobox', { name: 'Reason column' }), 'Why');

    vi.useFakeTimers();
    const done = buildFinishedImport({ kind: 'do_not_call', listId: null, rowsRead: 1, duplicates: 1 });
    fake.doNotCall.importCsv.mockResolvedValue(buildLeadImport({ kind: 'do_not_call', listId: null }));
    fake.leadImports.get.mockResolvedValue(done);
    fireEvent.click(importer.getByRole('button', { name: 'Import numbers' }));
    await act(() => vi.advanceTimersByTimeAsync(0));

    const [body, query] = fake.doNotCall.importCsv.mock.calls[0] ?? [];
    expect(query).toEqual({ number: 'Phone', reason: 'Why' });
    expect((body as Blob).type).toBe('text/csv');
    expect(importer.getByRole('status').textContent).toMatch(/^Importing/);

    await act(() => vi.advanceTimersByTimeAsync(IMPORT_POLL_MS));
    expect(importer.getByRole('status').textContent).toBe('Import finished');
    expect(importer.getByRole('link', { name: 'Download error report' }).getAttribute('href')).toBe(
      done.reportUrl,
    );
    // The list is read again from its first page.
    expect(fake.doNotCall.list).toHaveBeenCalledTimes(2);
  });

  it('shows a manager the numbers and the last import, nothing to change', async () => {
    const { table } = await renderSection(false, {
      doNotCall: { entries: [buildDoNotCallEntry()], next: null },
      doNotCallImports: [
        buildFinishedImport({ kind: 'do_not_call', listId: null, rowsRead: 3, imported: 2, rejected: 1 }),
      ],
    });
    expect(numbersIn(table)).toEqual(['+442079460000']);
    expect(table.queryByRole('button', { name: 'Remove +442079460000' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add number' })).toBeNull();
    const last = within(await screen.findByRole('region', { name: 'Import numbers' }));
    expect(last.getByRole('heading', { name: 'Last import' })).toBeTruthy();
    expect(last.queryByLabelText('CSV of numbers')).toBeNull();
    expect(last.queryByRole('link', { name: 'Download error report' })).toBeNull();
  });
});
