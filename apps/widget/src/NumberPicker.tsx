import type { PhoneNumber } from '@parley/contract';
import { useId } from 'react';

export interface NumberPickerProps {
  numbers: PhoneNumber[];
  value: string;
  disabled: boolean;
  onChange: (number: string) => void;
}

/**
 * The numbers open for web calls. Where the browser lets a select be styled, the choice shown and
 * each one in the list wrap onto more lines rather than cut the number off; other browsers ignore
 * the button and show their own select.
 */
export function NumberPicker({ numbers, value, disabled, onChange }: NumberPickerProps) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>Number to call</label>
      <select
        id={id}
        className="numbers"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      >
        <button type="button">
          <selectedcontent />
        </button>
        {numbers.map((n) => (
          <option key={n.number} value={n.number}>
            {`${n.name} (${n.number})`}
          </option>
        ))}
      </select>
    </>
  );
}
