import { TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { parseAddresses } from './emailAddresses';

export interface AddressInputProps {
  label: 'To' | 'Cc' | 'Bcc';
  addresses: string[];
  /** Only whole, valid lists are passed on (the draft stores addresses, not what is half typed). */
  onChange: (addresses: string[]) => void;
  onBlur: () => void;
  /** Whether all that is typed is addresses (sending waits until it is). */
  onValidity: (label: AddressInputProps['label'], valid: boolean) => void;
}

/** To, Cc or Bcc: addresses separated by commas, checked as they are typed and said when wrong. */
export function AddressInput({ label, addresses, onChange, onBlur, onValidity }: AddressInputProps) {
  const [text, setText] = useState(addresses.join(', '));
  const [shownFor, setShownFor] = useState(addresses);
  const [checked, setChecked] = useState(false);
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

  return (
    <TextInput
      label={label}
      type="text"
      inputMode="email"
      autoComplete="off"
      spellCheck={false}
      value={text}
      error={error}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setText(value);
        const parsed = parseAddresses(value);
        if (parsed.invalid.length === 0) {
          setShownFor(parsed.addresses);
          onChange(parsed.addresses);
        }
      }}
      onBlur={() => {
        setChecked(true);
        onBlur();
      }}
    />
  );
}
