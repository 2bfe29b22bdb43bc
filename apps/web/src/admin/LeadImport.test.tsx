import { ApiError } from '@parley/client';
import type { LeadImport, Role } from '@parley/contract';
import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import {
  buildFinishedImport,
  buildLeadImport,
  buildLeadList,
  buildStaffSession,
  csvFile,
  type LeadAdminData,
  LIST_ID,
  mockLeadAdminApi,
  WORKSPACE_ID,
} from '../testing/leadAdmin';
import { renderWithMantine } from '../testing/renderWithMantine';
import { HEADER_SAMPLE_BYTES } from './csvHeader';
import { LeadImportPanel } from './LeadImportPanel';
import { LeadListsPage } from './LeadListsPage';
import { IMPORT_POLL_MS } from './useImportJob';

const LEADS = [
  'First name,Mobile,Home phone,Office,Zone,Rank',
  'Ann,07700 900123,020 7946 0000,,Europe/London,5',
  'Bo,07700 900456,,,Europe/London,',
  'Cy,07700 900789,,020 7946 0001,,1',
  'Di,07700 900111,,,,',
  'Ed,07700 900222,,,,',
].join('\r\n');

async function openImport(role: Role = 'administrator', data: LeadAdminData = {}) {
  const fake = mockLeadAdminApi(data);
  renderWithMantine(<LeadListsPage session={buildStaffSession(role)} onSignedOut={vi.fn()} />);
  const name = role === 'administrator' ? 'Import into Spring leads' : 'Imports into Spring leads';
  await userEvent.click(await screen.findByRole('button', { name }));
  const panel = within(screen.getByRole('region', { name }));
  await act(async () => {});
  return { fake, panel };
}

type Panel = Awaited<ReturnType<typeof openImport>>['panel'];

async function chooseFile(panel: Panel, file: File) {
  await userEvent.upload(panel.getByLabelText('CSV file'), file);
}

/** The value shown under a count's label ("Rows read", "Imported", …). */
function stat(panel: Panel, label: string): string | null | undefined {
  return within(panel.getByRole('group', { name: 'Import counts' })).getByText(label).nextElementSibling
    ?.textContent;
}

describe('importing a CSV into a lead list', () => {
  it('reads the header row, guesses the phone columns and sends the mapping as the query', async () => {
    const { fake, panel } = await openImport();
    const file = csvFile(LEADS);
    await chooseFile(panel, file);

    const phones = within(await panel.findByRole('group', { name: 'Phone number columns' }));
    expect(phones.getAllByRole('checkbox')).toHaveLength(6);
    expect((phones.getByRole('checkbox', { name: /^Mobile/ }) as HTMLInputElement).checked).toBe(true);
    expect((phones.getByRole('checkbox', { name: /^Home phone/ }) as HTMLInputElement).checked).toBe(true);
    expect((phones.getByRole('checkbox', { name: /^First name/ }) as HTMLInputElement).checked).toBe(false);
    expect(panel.getByText('First row: 07700 900123')).toBeTruthy();

    await userEvent.click(phones.getByRole('checkbox', { name: /^Office/ }));
    await userEvent.click(panel.getByRole('button', { name: 'Move Office up' }));
    const order = within(panel.getByRole('list', { name: 'Calling order' }));
    expect(order.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Mobile',
      'Office',
      'Home phone',
    ]);
    await userEvent.selectOptions(panel.getByRole('combobox', { name: /Time-zone column/ }), 'Zone');
    await userEvent.selectOptions(panel.getByRole('combobox', { name: /Priority column/ }), 'Rank');
    expect(panel.getByText('Kept as lead fields: First name.')).toBeTruthy();

    await userEvent.click(panel.getByRole('button', { name: 'Import' }));

    expect(fake.leadLists.importCsv).toHaveBeenCalledTimes(1);
    const [listId, body, query] = fake.leadLists.importCsv.mock.calls[0] ?? [];
    expect(listId).toBe(LIST_ID);
    expect(query).toEqual({ phone: ['Mobile', 'Office', 'Home phone'], timeZone: 'Zone', priority: 'Rank' });
    expect(body).toBeInstanceOf(Blob);
    expect((body as Blob).type).toBe('text/csv');
    expect((body as Blob).size).toBe(file.size);
  });

  it('detects a semicolon file and sends its separator in the query', async () => {
    const { fake, panel } = await openImport();
    await chooseFile(panel, csvFile('Name;Telephone;Notes\nAnn;07700 900123;"says ""hi""; twice"\n'));

    expect(
      ((await panel.findByRole('combobox', { name: 'Column separator' })) as HTMLSelectElement).value,
    ).toBe(';');
    const phones = within(panel.getByRole('group', { name: 'Phone number columns' }));
    expect(phones.getAllByRole('checkbox').map((c) => (c as HTMLInputElement).checked)).toEqual([
      false,
      true,
      false,
    ]);
    await userEvent.click(panel.getByRole('button', { name: 'Import' }));

    expect(fake.leadLists.importCsv.mock.calls[0]?.[2]).toEqual({ phone: ['Telephone'], delimiter: ';' });
  });

  it('uploads the file as text/csv with the mapping in the address, through the client', async () => {
    const requests: { method: string; url: string; contentType: string | null; body: unknown }[] = [];
    const done = buildFinishedImport({ rowsRead: 5, imported: 5 });
    vi.spyOn(api as unknown as { fetchImpl: typeof fetch }, 'fetchImpl').mockImplementation(
      async (url, init) => {
        const method = init?.method ?? 'GET';
        requests.push({
          method,
          url: String(url),
          contentType: new Headers(init?.headers).get('content-type'),
          body: init?.body,
        });
        const json = method === 'POST' ? done : [];
        return new Response(JSON.stringify(json), { status: method === 'POST' ? 202 : 200 });
      },
    );
    const onFinished = vi.fn();
    renderWithMantine(
      <LeadImportPanel
        workspaceId={WORKSPACE_ID}
        list={buildLeadList()}
        canEdit
        onFinished={onFinished}
        onClose={vi.fn()}
        onSessionExpired={vi.fn()}
      />,
    );
    const panel = within(screen.getByRole('region', { name: 'Import into Spring leads' }));
    const file = csvFile(LEADS);
    await chooseFile(panel, file);
    await userEvent.click(await panel.findByRole('checkbox', { name: /^Office/ }));
    await userEvent.click(panel.getByRole('button', { name: 'Import' }));

    expect(await panel.findByText('Import finished')).toBeTruthy();
    const upload = requests.find((r) => r.method === 'POST');
    expect(upload?.url).toBe(
      `/api/workspaces/${WORKSPACE_ID}/lead-lists/${LIST_ID}/imports?phone=Mobile&phone=Home+phone&phone=Office`,
    );
    expect(upload?.contentType).toBe('text/csv');
    expect((upload?.body as Blob | undefined)?.size).toBe(file.size);
    expect(onFinished).toHaveBeenCalledTimes(1);
  });

  it('says why a header cannot be imported, and waits for a phone column', async () => {
    const { panel } = await openImport();
    await chooseFile(panel, csvFile('Name,Mobile,name\nAnn,1,2\n'));
    expect((await panel.findByRole('alert')).textContent).toBe(
      'The header names the column "name" twice (columns 1 and 3): rename one of them.',
    );
    expect(panel.getByRole('button', { name: 'Import' }).hasAttribute('disabled')).toBe(true);

    await chooseFile(panel, csvFile('Name,Company\nAnn,Lee & Co\n'));
    await panel.findByRole('group', { name: 'Phone number columns' });
    expect(panel.getByText('Tick at least one phone number column.')).toBeTruthy();
    expect(panel.getByRole('button', { name: 'Import' }).hasAttribute('disabled')).toBe(true);

    await chooseFile(panel, csvFile(''));
    expect((await panel.findByText(/The file is empty/)).textContent).toBe(
      'The file is empty: it needs a header row, then one lead a row.',
    );
    expect(panel.queryByRole('button', { name: 'Import' })).toBeNull();
  });

  it('reads only the start of a large file, and shows progress estimated from its size', async () => {
    const { fake, panel } = await openImport();
    const row = 'Ann,07700 900123,Lee & Co\n';
    const rows = 20_000;
    const file = csvFile(`Name,Mobile,Company\n${row.repeat(rows)}`);
    const slice = vi.spyOn(file, 'slice');
    await chooseFile(panel, file);
    await panel.findByRole('group', { name: 'Phone number columns' });
    expect(slice).toHaveBeenCalledWith(0, HEADER_SAMPLE_BYTES);
    expect(file.size).toBeGreaterThan(HEADER_SAMPLE_BYTES * 3);

    vi.useFakeTimers();
    fake.leadImports.get.mockResolvedValue(
      buildLeadImport({ rowsRead: 5000, imported: 5000, bytes: file.size }),
    );
    fireEvent.click(panel.getByRole('button', { name: 'Import' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    await act(() => vi.advanceTimersByTimeAsync(IMPORT_POLL_MS));

    expect(panel.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuetext')).toBe(
      'About 25%',
    );
    expect(stat(panel, 'Rows read')).toBe(`${(5000).toLocaleString()} of about ${rows.toLocaleString()}`);
  });
});

describe('an import as it runs', () => {
  /** Chooses the five-lead file and imports it; the poll then answers with `states`, one a reading. */
  async function importWith(states: LeadImport[], role: Role = 'administrator') {
    const opened = await openImport(role);
    await chooseFile(opened.panel, csvFile(LEADS));
    await opened.panel.findByRole('group', { name: 'Phone number columns' });
    vi.useFakeTimers();
    for (const state of states) opened.fake.leadImports.get.mockResolvedValueOnce(state);
    // Fake timers from here: a click without userEvent's own delays.
    fireEvent.click(opened.panel.getByRole('button', { name: 'Import' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    return opened;
  }
  const poll = () => act(() => vi.advanceTimersByTimeAsync(IMPORT_POLL_MS));

  it('shows the counts and the bar while it runs, then the summary, and reads the lists again', async () => {
    const { fake, panel } = await importWith([
      buildLeadImport({ rowsRead: 2, imported: 1, duplicates: 1 }),
      buildFinishedImport({ rowsRead: 5, imported: 4, duplicates: 1 }),
    ]);
    expect(panel.getByRole('status').textContent).toBe('Importing a 2.0 KB file…');
    expect(stat(panel, 'Rows read')).toBe('0 of 5');
    expect(panel.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuetext')).toBe(
      '0%',
    );
    expect(fake.leadImports.get).not.toHaveBeenCalled();

    await poll();
    expect(fake.leadImports.get).toHaveBeenCalledWith(buildLeadImport().id);
    expect(stat(panel, 'Rows read')).toBe('2 of 5');
    expect(stat(panel, 'Imported')).toBe('1');
    expect(stat(panel, 'Duplicates')).toBe('1');
    expect(stat(panel, 'Rejected')).toBe('0');
    expect(panel.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe(
      '40',
    );
    // The form is cleared after the upload: the same file is not sent twice by mistake.
    expect(panel.queryByRole('button', { name: 'Import' })).toBeNull();

    const listReads = fake.leadLists.list.mock.calls.length;
    await poll();
    expect(panel.getByRole('status').textContent).toBe('Import finished');
    expect(panel.getByText('4 of 5 rows imported; 1 skipped as duplicates.')).toBeTruthy();
    expect(panel.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe(
      '100',
    );
    expect(fake.leadLists.list.mock.calls.length).toBe(listReads + 1);

    await poll();
    expect(fake.leadImports.get).toHaveBeenCalledTimes(2);
  });

  it('offers the error report once it ends with rejected or duplicate rows', async () => {
    const done = buildFinishedImport({ rowsRead: 5, imported: 3, rejected: 2, reportLines: 2 });
    const { panel } = await importWith([done]);
    await poll();
    const link = panel.getByRole('link', { name: 'Download error report' });
    expect(link.getAttribute('href')).toBe(done.reportUrl);
    expect(link.hasAttribute('download')).toBe(true);
  });

  it('offers no report when every row was imported', async () => {
    const { panel } = await importWith([buildFinishedImport({ rowsRead: 5, imported: 5 })]);
    await poll();
    expect(panel.getByText('5 of 5 rows imported.')).toBeTruthy();
    expect(panel.queryByRole('link', { name: 'Download error report' })).toBeNull();
  });

  it('says in words why it stopped, what was kept, and offers the report', async () => {
    const failed = buildLeadImport({
      status: 'failed',
      rowsRead: 1000,
      imported: 998,
      rejected: 2,
      error: {
        code: 'CSV_MALFORMED',
        message: 'The row starting on line 1002 opens a quoted field that never closes',
      },
    });
    const { panel } = await importWith([failed]);
    await poll();
    expect(panel.getByRole('status').textContent).toBe('Import stopped');
    expect(panel.getByRole('alert').textContent).toBe(
      'The import stopped' +
        'The file stops being valid CSV part-way. The row starting on line 1002 opens a quoted field that never closes. ' +
        `The ${(998).toLocaleString()} rows imported before it stopped are kept.`,
    );
    expect(panel.getByRole('link', { name: 'Download error report' })).toBeTruthy();
  });

  it('keeps reading after a failed reading, and says so', async () => {
    const { fake, panel } = await importWith([]);
    fake.leadImports.get
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(buildFinishedImport({ rowsRead: 5, imported: 5 }));
    await poll();
    expect(panel.getByText(/The import's progress could not be read/).textContent).toContain('Trying again');
    await poll();
    expect(panel.getByRole('status').textContent).toBe('Import finished');
    expect(panel.queryByText(/could not be read/)).toBeNull();
  });
});

describe('an import that cannot start', () => {
  it.each([
    [
      new ApiError(
        409,
        'IMPORT_RUNNING',
        'An import into this list is running: wait for it to finish',
        undefined,
      ),
      'An import into this list is already running: wait for it to finish, then try again.',
    ],
    [
      new ApiError(
        400,
        'CSV_INVALID',
        'The header has no column "Mobile" (the phone column); it has "Name"',
        undefined,
      ),
      'The file cannot be imported as it is. The header has no column "Mobile" (the phone column); it has "Name".',
    ],
    [
      new ApiError(
        413,
        'BODY_TOO_LARGE',
        'The file is over 1 GiB: split it and import the parts one after the other',
        undefined,
      ),
      'The file is too large to import. The file is over 1 GiB: split it and import the parts one after the other.',
    ],
    [
      new ApiError(409, 'CAMPAIGN_NOT_OUTBOUND', '"Support" is a campaign of kind inbound_voice', undefined),
      'Lead lists belong to outbound campaigns only. "Support" is a campaign of kind inbound_voice.',
    ],
    [
      new TypeError('Failed to fetch'),
      'Parley could not reach the server. Check your connection and try again.',
    ],
  ])('says why (%s)', async (failure, words) => {
    const { fake, panel } = await openImport();
    fake.leadLists.importCsv.mockRejectedValue(failure);
    await chooseFile(panel, csvFile(LEADS));
    await userEvent.click(await panel.findByRole('button', { name: 'Import' }));
    expect((await panel.findByRole('alert')).textContent).toBe(words);
    expect(panel.queryByRole('group', { name: 'Import counts' })).toBeNull();
  });
});

describe('the last import into a list', () => {
  it('is shown when the panel opens, and followed while it runs', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { fake, panel } = await openImport('administrator', {
      imports: [buildLeadImport({ rowsRead: 3000, imported: 3000 })],
    });
    expect(stat(panel, 'Rows read')).toBe((3000).toLocaleString());
    // Its file was not read here: how far it is cannot be told.
    expect(
      panel.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow'),
    ).toBeNull();
    fake.leadImports.get.mockResolvedValue(buildFinishedImport({ rowsRead: 4000, imported: 4000 }));
    await act(() => vi.advanceTimersByTimeAsync(IMPORT_POLL_MS));
    expect(panel.getByRole('status').textContent).toBe('Import finished');
  });

  it('is all a manager sees: no file to choose, no report to download', async () => {
    const { fake, panel } = await openImport('manager', {
      imports: [buildFinishedImport({ rowsRead: 5, imported: 3, rejected: 2 })],
    });
    expect(await panel.findByText('Import finished')).toBeTruthy();
    expect(panel.queryByLabelText('CSV file')).toBeNull();
    expect(panel.queryByRole('button', { name: 'Import' })).toBeNull();
    expect(panel.queryByRole('link', { name: 'Download error report' })).toBeNull();
    expect(
      panel.getByText('Administrators can download the report of the rejected and duplicate rows.'),
    ).toBeTruthy();
    expect(fake.leadLists.importCsv).not.toHaveBeenCalled();
  });
});
