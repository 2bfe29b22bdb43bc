import { ApiError } from '@parley/client';
import type { ContactPhone, DirectoryContact, DirectorySearchResult } from '@parley/contract';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import { renderWithMantine } from '../testing/renderWithMantine';
import { DirectorySearch } from './DirectorySearch';
import { DIRECTORY_SEARCH_DELAY_MS } from './useDirectorySearch';

const work: ContactPhone = { number: '+61293744000', kind: 'work' };
const mobile: ContactPhone = { number: '+61412345678', kind: 'mobile' };
const ann: DirectoryContact = {
  id: 'workspace:1',
  source: 'workspace',
  name: 'Ann Lee',
  title: 'Accounts Manager',
  department: 'Finance',
  phones: [work, mobile],
  email: 'ann.lee@example.com',
  dialable: true,
};
const annika: DirectoryContact = {
  id: 'microsoft-graph:2',
  source: 'microsoft-graph',
  name: 'Annika Berg',
  title: null,
  department: 'Legal',
  phones: [],
  email: 'annika.berg@example.com',
  dialable: false,
};
const john: DirectoryContact = { ...ann, id: 'workspace:3', name: 'John Smith', phones: [work] };
const joanna: DirectoryContact = { ...ann, id: 'workspace:4', name: 'Joanna Wu', phones: [mobile] };

function renderSearch() {
  const onChoose = vi.fn();
  const onSessionExpired = vi.fn();
  renderWithMantine(<DirectorySearch onChoose={onChoose} onSessionExpired={onSessionExpired} />);
  return { onChoose, onSessionExpired };
}

function type(text: string) {
  fireEvent.change(screen.getByRole('searchbox', { name: 'Search the directory' }), {
    target: { value: text },
  });
}

/** Virtual time passes, and the searches it sends settle. */
async function wait(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

const found = (...contacts: DirectoryContact[]): DirectorySearchResult => ({ contacts });
const status = () => screen.getByRole('status').textContent;
/** The contacts listed, by name (each item is named by its contact's name). */
function names(): string[] {
  const list = screen.queryByRole('list', { name: 'Contacts found' });
  if (!list) return [];
  return within(list)
    .getAllByRole('listitem')
    .map((item) => document.getElementById(item.getAttribute('aria-labelledby') ?? '')?.textContent ?? '');
}

/** A search whose answer the test gives when it likes. */
function deferred() {
  let answer: (result: DirectorySearchResult) => void = () => {};
  const promise = new Promise<DirectorySearchResult>((resolve) => {
    answer = resolve;
  });
  return { promise, answer };
}

describe('DirectorySearch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it('searches as the agent types: from 2 characters, once typing pauses', async () => {
    const search = vi.spyOn(api, 'searchDirectory').mockResolvedValue(found(ann, annika));
    renderSearch();

    type('a');
    await wait(DIRECTORY_SEARCH_DELAY_MS * 2);
    expect(search).not.toHaveBeenCalled();
    expect(status()).toBe('');

    type('an');
    await wait(DIRECTORY_SEARCH_DELAY_MS - 50);
    type('ann ');
    await wait(DIRECTORY_SEARCH_DELAY_MS - 1);
    expect(search).not.toHaveBeenCalled();
    expect(status()).toBe('Searching…');

    await wait(1);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith('ann');
    expect(names()).toEqual(['Ann Lee', 'Annika Berg']);
    const item = within(screen.getByRole('listitem', { name: 'Ann Lee' }));
    expect(item.getByText('Accounts Manager · Finance')).toBeTruthy();
    expect(item.getByText('ann.lee@example.com')).toBeTruthy();
    expect(item.getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Work +61293744000',
      'Mobile +61412345678',
    ]);

    // Back under 2 characters: nothing searched, nothing shown.
    type('a');
    await wait(DIRECTORY_SEARCH_DELAY_MS * 2);
    expect(search).toHaveBeenCalledTimes(1);
    expect(names()).toEqual([]);
  });

  it('shows only the answer to the latest search: an earlier one answering late is dropped', async () => {
    const first = deferred();
    const second = deferred();
    vi.spyOn(api, 'searchDirectory').mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    renderSearch();

    type('jo');
    await wait(DIRECTORY_SEARCH_DELAY_MS);
    type('john');
    await wait(DIRECTORY_SEARCH_DELAY_MS);

    await act(async () => first.answer(found(joanna, john)));
    expect(names()).toEqual([]);
    expect(status()).toBe('Searching…');

    await act(async () => second.answer(found(john)));
    expect(names()).toEqual(['John Smith']);
    expect(status()).toBe('');
  });

  it('a later answer to an earlier search does not replace the newer results', async () => {
    const first = deferred();
    const second = deferred();
    vi.spyOn(api, 'searchDirectory').mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    renderSearch();

    type('jo');
    await wait(DIRECTORY_SEARCH_DELAY_MS);
    type('john');
    await wait(DIRECTORY_SEARCH_DELAY_MS);
    await act(async () => second.answer(found(john)));
    await act(async () => first.answer(found(joanna, john)));
    expect(names()).toEqual(['John Smith']);
  });

  it('shows a contact without a phone number, who cannot be chosen', async () => {
    vi.spyOn(api, 'searchDirectory').mockResolvedValue(found(annika));
    const { onChoose } = renderSearch();
    type('annika');
    await wait(DIRECTORY_SEARCH_DELAY_MS);

    const item = screen.getByRole('listitem', { name: 'Annika Berg' });
    expect(within(item).getByText('No phone number')).toBeTruthy();
    expect(within(item).getByText('Legal')).toBeTruthy();
    expect(within(item).queryAllByRole('button')).toEqual([]);
    fireEvent.click(item);
    expect(onChoose).not.toHaveBeenCalled();
  });

  it('lets the agent pick which of a contact’s numbers', async () => {
    vi.spyOn(api, 'searchDirectory').mockResolvedValue(found(ann));
    const { onChoose } = renderSearch();
    type('ann');
    await wait(DIRECTORY_SEARCH_DELAY_MS);

    fireEvent.click(screen.getByRole('button', { name: 'Ann Lee, Mobile +61412345678' }));
    expect(onChoose).toHaveBeenCalledTimes(1);
    expect(onChoose).toHaveBeenCalledWith({ contact: ann, number: '+61412345678' });
  });

  it("shows the server's warning above the results, with the contacts that did come back", async () => {
    const warning = 'Microsoft 365 could not be searched. Showing this workspace’s own contacts only.';
    vi.spyOn(api, 'searchDirectory').mockResolvedValue({
      contacts: [ann],
      warning,
      warningCode: 'DIRECTORY_UNAVAILABLE',
    });
    renderSearch();
    type('ann');
    await wait(DIRECTORY_SEARCH_DELAY_MS);

    const note = screen.getByRole('note');
    expect(note.textContent).toBe(warning);
    const list = screen.getByRole('list', { name: 'Contacts found' });
    expect(note.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(names()).toEqual(['Ann Lee']);
  });

  it('shows why a search failed (too many searches), and searches again as the agent types', async () => {
    const search = vi
      .spyOn(api, 'searchDirectory')
      .mockRejectedValueOnce(
        new ApiError(429, 'RATE_LIMITED', 'Too many searches. Try again in a few seconds.', undefined),
      )
      .mockResolvedValueOnce(found(ann));
    renderSearch();
    type('ann');
    await wait(DIRECTORY_SEARCH_DELAY_MS);

    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Could not search the directory');
    expect(alert.textContent).toContain('Too many searches. Try again in a few seconds.');

    type('ann l');
    await wait(DIRECTORY_SEARCH_DELAY_MS);
    expect(search).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(names()).toEqual(['Ann Lee']);
  });

  it('says so when the server cannot be reached, and leads to sign-in when the session expired', async () => {
    vi.spyOn(api, 'searchDirectory')
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockRejectedValueOnce(new ApiError(401, 'UNAUTHENTICATED', 'Sign in again', undefined));
    const { onSessionExpired } = renderSearch();
    type('ann');
    await wait(DIRECTORY_SEARCH_DELAY_MS);
    expect(screen.getByRole('alert').textContent).toContain('could not reach the server');

    type('anne');
    await wait(DIRECTORY_SEARCH_DELAY_MS);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('says "No contacts found" when nothing matches, not while searching', async () => {
    const answer = deferred();
    vi.spyOn(api, 'searchDirectory').mockReturnValue(answer.promise);
    renderSearch();
    type('zz');
    await wait(DIRECTORY_SEARCH_DELAY_MS);
    expect(status()).toBe('Searching…');

    await act(async () => answer.answer(found()));
    expect(status()).toBe('No contacts found');
    expect(screen.queryByRole('list', { name: 'Contacts found' })).toBeNull();
  });
});
