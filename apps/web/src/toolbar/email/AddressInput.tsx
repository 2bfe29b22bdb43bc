import { Combobox, Text, TextInput, useCombobox } from '@mantine/core';
import type { DirectoryContact } from '@parley/contract';
import { useEffect, useId, useRef, useState } from 'react';
import {
  DIRECTORY_QUERY_MAX_LENGTH,
  DIRECTORY_QUERY_MIN_LENGTH,
  useDirectorySearch,
} from '../../directory/useDirectorySearch';
import {
  formatAddress,
  isEmailAddress,
  parseAddresses,
  unfinishedEntry,
  withChosenAddress,
} from './emailAddresses';

/** Most contacts suggested at once: the agent types more of the name to find others. */
export const MAX_ADDRESS_SUGGESTIONS = 8;

export interface AddressInputProps {
  label: 'To' | 'Cc' | 'Bcc';
  addresses: string[];
  /** Only whole, valid lists are passed on (the draft stores addresses, not what is half typed). */
  onChange: (addresses: string[]) => void;
  onBlur: () => void;
  /** Whether all that is typed is addresses (sending waits until it is). */
  onValidity: (label: AddressInputProps['label'], valid: boolean) => void;
  /** A directory search answered 401; without it, such a search just suggests nothing. */
  onSessionExpired?: () => void;
}

/** What is being typed, when it is worth looking up in the directory: a name, not an address. */
function directoryQuery(entry: string): string {
  if (entry.length < DIRECTORY_QUERY_MIN_LENGTH || entry.length > DIRECTORY_QUERY_MAX_LENGTH) return '';
  if (isEmailAddress(entry) || /[<>]/.test(entry)) return '';
  return entry;
}

/**
 * To, Cc or Bcc: addresses separated by commas, checked as they are typed and said when wrong.
 * A name typed as the last entry is looked up in the directory (the workspace's contacts and,
 * where turned on, Microsoft Graph's); choosing a contact puts their address in its place.
 */
export function AddressInput({
  label,
  addresses,
  onChange,
  onBlur,
  onValidity,
  onSessionExpired,
}: AddressInputProps) {
  const inputId = useId();
  const [text, setText] = useState(addresses.join(', '));
  const [shownFor, setShownFor] = useState(addresses);
  const [checked, setChecked] = useState(false);
  const [focused, setFocused] = useState(false);
  /** The entry whose suggestions the agent closed (Escape): shown again once it changes. */
  const [dismissed, setDismissed] = useState<string | null>(null);
  // Filled from outside (Reply all, a template): the field shows the new list.
  if (shownFor !== addresses && parseAddresses(text).addresses.join() !== addresses.join()) {
    setShownFor(addresses);
    setText(addresses.join(', '));
  }
  const { invalid } = parseAddresses(text);
  const valid = invalid.length === 0;
  const validity = useRef(onValidity);
  validity.current = onValidity;
  useEffect(() => validity.current(label, valid), [label, valid]);
  const error = checked && invalid.length > 0 ? `Not an email address: ${invalid.join(', ')}` : undefined;

  const query = directoryQuery(unfinishedEntry(text).entry);
  const search = useDirectorySearch(query, () => onSessionExpired?.());
  const suggestions: DirectoryContact[] = query
    ? search.contacts
        .filter((contact) => contact.email !== null && isEmailAddress(contact.email))
        .slice(0, MAX_ADDRESS_SUGGESTIONS)
    : [];
  const nothingFound = query !== '' && search.status === 'done' && suggestions.length === 0;
  const opened = focused && query !== '' && dismissed !== query && (suggestions.length > 0 || nothingFound);

  const combobox = useCombobox({
    opened,
    onOpenedChange: (open) => setDismissed(open ? null : query),
  });
  // New suggestions: none is picked until the agent moves to one.
  const suggested = suggestions.map((contact) => contact.id).join();
  const resetSelection = useRef(combobox.resetSelectedOption);
  resetSelection.current = combobox.resetSelectedOption;
  useEffect(() => {
    if (suggested) resetSelection.current();
  }, [suggested]);

  function show(value: string) {
    setText(value);
    const parsed = parseAddresses(value);
    if (parsed.invalid.length === 0) {
      setShownFor(parsed.addresses);
      onChange(parsed.addresses);
    }
  }

  function choose(id: string) {
    const email = suggestions.find((contact) => contact.id === id)?.email;
    if (!email) return;
    combobox.resetSelectedOption();
    show(withChosenAddress(text, email));
  }

  return (
    <Combobox store={combobox} onOptionSubmit={choose}>
      {/* The field keeps the textbox role (the composer's tests and e2e find it as one): it owns
          the listbox through aria-haspopup, aria-controls and aria-activedescendant. */}
      <Combobox.Target withExpandedAttribute={false} autoComplete="off">
        <TextInput
          id={inputId}
          label={label}
          type="text"
          inputMode="email"
          spellCheck={false}
          aria-autocomplete="list"
          value={text}
          error={error}
          onChange={(event) => show(event.currentTarget.value)}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            setFocused(false);
            // A separator left after a chosen contact is tidied away.
            setText((typed) => typed.replace(/[\s,;]+$/, ''));
            setChecked(true);
            onBlur();
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown>
        {nothingFound ? (
          <Combobox.Empty>No contacts found</Combobox.Empty>
        ) : (
          <Combobox.Options labelledBy={`${inputId}-label`} mah={320} style={{ overflowY: 'auto' }}>
            {suggestions.map((contact) => {
              const details = [contact.title, contact.department].filter(Boolean).join(' · ');
              return (
                <Combobox.Option key={contact.id} value={contact.id}>
                  <Text size="sm">{formatAddress({ name: contact.name, address: contact.email ?? '' })}</Text>
                  {details && (
                    <Text size="xs" c="dimmed">
                      {details}
                    </Text>
                  )}
                </Combobox.Option>
              );
            })}
          </Combobox.Options>
        )}
      </Combobox.Dropdown>
    </Combobox>
  );
}
