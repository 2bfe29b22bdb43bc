import { ApiError } from '@parley/client';
import type { DirectoryContact, DirectorySearchResult } from '@parley/contract';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { DIRECTORY_SEARCH_DELAY_MS } from '../../directory/useDirectorySearch';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { AddressInput, type AddressInputProps } from './AddressInput';
import { unfinishedEntry, withChosenAddress } from './emailAddresses';

const kim: DirectoryContact = {
  id: 'workspace:1',
  source: 'workspace',
  name: 'Kim Lee',
  title: 'Team Leader',
  department: 'Support',
  phones: [],
  email: 'kim@example.com',
  dialable: false,
};
const kimberly: DirectoryContact = {
  id: 'microsoft-graph:2',
  source: 'microsoft-graph',
  name: 'Kimberly Ng',
  title: null,
  department: null,
  phones: [{ number: '+61293744000', kind: 'work' }],
  email: 'kimberly.ng@example.com',
  dialable: true,
};
const kimNoEmail: DirectoryContact = { ...kimberly, id: 'workspace:3', name: 'Kimi Park', email: null };

const found = (...contacts: DirectoryContact[]): DirectorySearchResult => ({ contacts });

/** A search whose answer the test gives when it likes. */
function deferred() {
  let answer: (result: DirectorySearchResult) => void = () => {};
  const promise = new Promise<DirectorySearchResult>((resolve) => {
    answer = resolve;
  });
  return { promise, answer };
}

/** The field as the composer holds it: the addresses it passes on come back as its value. */
function Field({ initial, ...props }: Omit<AddressInputProps, 'addresses'> & { initial: string[] }) {
  const [addresses, setAddresses] = useState(initial);
  return (
    <AddressInput
      {...props}
      addresses={addresses}
      onChange={(next) => {
        setAddresses(next);
        props.onChange(next);
      }}
    />
  );
}

function renderField(label: AddressInputProps['label'] = 'To', initial: string[] = []) {
  const onChange = vi.fn();
  const onBlur = vi.fn();
  const onSessionExpired = vi.fn();
  renderWithMantine(
    <Field
      label={label}
      initial={initial}
      onChange={onChange}
      onBlur={onBlur}
      onValidity={() => {}}
      onSessionExpired={onSessionExpired}
    />,
  );
  const input = screen.getByRole('textbox', { name: label }) as HTMLInputElement;
  act(() => input.focus());
  return { input, onChange, onBlur, onSessionExpired };
}

function type(input: HTMLElement, value: string) {
  fireEvent.change(input, { target: { value } });
}

function press(input: HTMLElement, key: 'ArrowDown' | 'ArrowUp' | 'Enter' | 'Escape') {
  fireEvent.keyDown(input, { key, code: key });
}

/** Virtual time passes, and the searches it sends settle. */
async function wait(ms = DIRECTORY_SEARCH_DELAY_MS) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

/** The suggestions as the agent reads them, one line each. */
function suggestions(): string[] {
  const list = screen.queryByRole('listbox');
  if (!list) return [];
  return within(list)
    .getAllByRole('option')
    .map((option) =>
      Array.from(option.children)
        .map((line) => line.textContent)
        .join(' | '),
    );
}

describe('AddressInput: contacts from the directory', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('suggests contacts as a name is typed, and Enter puts the address in place of the name', async () => {
    const search = vi.spyOn(api, 'searchDirectory').mockResolvedValue(found(kim, kimberly));
    const { input, onChange, onBlur } = renderField('To', ['ann@example.com']);
    expect(input.value).toBe('ann@example.com');

    type(input, 'ann@example.com, K');
    await wait(DIRECTORY_SEARCH_DELAY_MS * 2);
    expect(search).not.toHaveBeenCalled();

    type(input, 'ann@example.com, Ki');
    type(input, 'ann@example.com, Kim');
    await wait(DIRECTORY_SEARCH_DELAY_MS - 1);
    expect(search).not.toHaveBeenCalled();
    await wait(1);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith('Kim');

    const list = screen.getByRole('listbox', { name: 'To' });
    expect(input.getAttribute('aria-haspopup')).toBe('listbox');
    expect(input.getAttribute('aria-controls')).toBe(list.id);
    expect(suggestions()).toEqual([
      'Kim Lee <kim@example.com> | Team Leader · Support',
      'Kimberly Ng <kimberly.ng@example.com>',
    ]);
    // Half typed, the name is not an address: nothing is passed on yet.
    expect(onChange).not.toHaveBeenCalled();

    press(input, 'ArrowDown');
    const first = screen.getByRole('option', { name: /Kim Lee/ });
    expect(input.getAttribute('aria-activedescendant')).toBe(first.id);
    press(input, 'Enter');

    expect(input.value).toBe('ann@example.com, kim@example.com, ');
    expect(onChange).toHaveBeenLastCalledWith(['ann@example.com', 'kim@example.com']);
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(screen.getByRole('textbox', { name: 'To' })).toBe(input);

    // Leaving the field tidies the separator left for the next address; the list is the same.
    act(() => input.blur());
    expect(input.value).toBe('ann@example.com, kim@example.com');
    expect(onBlur).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenLastCalledWith(['ann@example.com', 'kim@example.com']);
    expect(screen.queryByText('Not an email address', { exact: false })).toBeNull();
  });

  it('a contact can be chosen with the mouse, and the arrows move between suggestions', async () => {
    vi.spyOn(api, 'searchDirectory').mockResolvedValue(found(kim, kimberly));
    const { input, onChange } = renderField('Cc', ['ann@example.com', 'sam@example.com']);

    type(input, 'ann@example.com, sam@example.com, kim');
    await wait();
    press(input, 'ArrowDown');
    press(input, 'ArrowDown');
    expect(input.getAttribute('aria-activedescendant')).toBe(
      screen.getByRole('option', { name: /Kimberly Ng/ }).id,
    );
    press(input, 'ArrowUp');
    expect(input.getAttribute('aria-activedescendant')).toBe(
      screen.getByRole('option', { name: /Kim Lee/ }).id,
    );

    fireEvent.click(screen.getByRole('option', { name: /Kimberly Ng/ }));
    expect(input.value).toBe('ann@example.com, sam@example.com, kimberly.ng@example.com, ');
    expect(onChange).toHaveBeenLastCalledWith([
      'ann@example.com',
      'sam@example.com',
      'kimberly.ng@example.com',
    ]);
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('a name typed after a space-separated address is looked up on its own', async () => {
    const search = vi.spyOn(api, 'searchDirectory').mockResolvedValue(found(kim));
    const { input, onChange } = renderField('Bcc');

    type(input, 'ann@example.com Kim Lee');
    await wait();
    expect(search).toHaveBeenCalledWith('Kim Lee');
    fireEvent.click(screen.getByRole('option', { name: /Kim Lee/ }));
    expect(input.value).toBe('ann@example.com kim@example.com, ');
    expect(onChange).toHaveBeenLastCalledWith(['ann@example.com', 'kim@example.com']);
  });

  it('offers only contacts with an email address, and says so quietly when there are none', async () => {
    vi.spyOn(api, 'searchDirectory')
      .mockResolvedValueOnce(found(kimNoEmail, kim))
      .mockResolvedValueOnce(found(kimNoEmail));
    const { input } = renderField();

    type(input, 'Kim');
    await wait();
    expect(suggestions()).toEqual(['Kim Lee <kim@example.com> | Team Leader · Support']);
    expect(screen.queryByText(/Kimi Park/)).toBeNull();

    type(input, 'Kimi');
    await wait();
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(screen.queryByRole('option')).toBeNull();
    expect(screen.getByText('No contacts found')).toBeTruthy();
    // Enter with nothing to choose leaves what is typed alone.
    press(input, 'Enter');
    expect(input.value).toBe('Kimi');
  });

  it('shows at most 8 suggestions', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      ...kim,
      id: `workspace:${i + 10}`,
      name: `Kim ${i + 1}`,
      email: `kim${i + 1}@example.com`,
    }));
    vi.spyOn(api, 'searchDirectory').mockResolvedValue(found(...many));
    const { input } = renderField();

    type(input, 'Kim');
    await wait();
    expect(screen.getAllByRole('option')).toHaveLength(8);
    expect(suggestions()[7]).toBe('Kim 8 <kim8@example.com> | Team Leader · Support');
  });

  it('a slow answer to an earlier search does not replace the newer suggestions', async () => {
    const first = deferred();
    const second = deferred();
    vi.spyOn(api, 'searchDirectory').mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const { input } = renderField();

    type(input, 'Ki');
    await wait();
    type(input, 'Kimberly');
    await wait();
    await act(async () => second.answer(found(kimberly)));
    expect(suggestions()).toEqual(['Kimberly Ng <kimberly.ng@example.com>']);

    await act(async () => first.answer(found(kim, kimberly)));
    expect(suggestions()).toEqual(['Kimberly Ng <kimberly.ng@example.com>']);
    fireEvent.click(screen.getByRole('option', { name: /Kimberly Ng/ }));
    expect(input.value).toBe('kimberly.ng@example.com, ');
  });

  it('does not search what is already a list of addresses', async () => {
    const search = vi.spyOn(api, 'searchDirectory').mockResolvedValue(found(kim));
    const { input, onChange } = renderField();

    type(input, 'kim@example.com');
    await wait();
    type(input, 'ann@example.com, kim@example.com');
    await wait();
    type(input, 'ann@example.com kim@example.com;');
    await wait();
    expect(search).not.toHaveBeenCalled();
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(onChange).toHaveBeenLastCalledWith(['ann@example.com', 'kim@example.com']);
  });

  it('shows nothing when the search fails', async () => {
    vi.spyOn(api, 'searchDirectory').mockRejectedValue(
      new ApiError(429, 'RATE_LIMITED', 'Too many requests', undefined),
    );
    const { input, onSessionExpired } = renderField();

    type(input, 'Kim');
    await wait();
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(screen.queryByText('No contacts found')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect(input.value).toBe('Kim');
  });

  it('Escape closes the suggestions until the name changes; leaving the field closes them', async () => {
    vi.spyOn(api, 'searchDirectory').mockResolvedValue(found(kim));
    const { input } = renderField();

    type(input, 'Kim');
    await wait();
    expect(suggestions()).toHaveLength(1);
    press(input, 'Escape');
    expect(screen.queryByRole('listbox')).toBeNull();

    type(input, 'Kim L');
    await wait();
    expect(suggestions()).toHaveLength(1);

    act(() => input.blur());
    expect(screen.queryByRole('listbox')).toBeNull();
    act(() => input.focus());
    expect(suggestions()).toHaveLength(1);
  });
});

describe('unfinishedEntry and withChosenAddress', () => {
  it('find the entry being typed and put an address in its place', () => {
    expect(unfinishedEntry('')).toEqual({ before: '', entry: '' });
    expect(unfinishedEntry('Kim')).toEqual({ before: '', entry: 'Kim' });
    expect(unfinishedEntry('ann@example.com,  Kim Lee ')).toEqual({
      before: 'ann@example.com,',
      entry: 'Kim Lee',
    });
    expect(unfinishedEntry('ann@example.com; sam@example.com Kim')).toEqual({
      before: 'ann@example.com; sam@example.com ',
      entry: 'Kim',
    });
    expect(unfinishedEntry('ann@example.com, ')).toEqual({ before: 'ann@example.com,', entry: '' });

    expect(withChosenAddress('Kim', 'kim@example.com')).toBe('kim@example.com, ');
    expect(withChosenAddress('ann@example.com,Kim', 'kim@example.com')).toBe(
      'ann@example.com, kim@example.com, ',
    );
  });
});
