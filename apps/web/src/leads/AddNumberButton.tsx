import { Button } from '@mantine/core';
import IconPlus from '@tabler/icons-react/icons/IconPlus';
import { useState } from 'react';

export interface AddNumberButtonProps {
  /** The mouse is over the numbers (or there are none): the button shows. */
  shown: boolean;
  onClick: () => void;
}

/**
 * The guide's "Add new number", which appears when the mouse is over the numbers. It stays in the
 * tab order, and shows whenever it has the focus, so the keyboard reaches it too.
 */
export function AddNumberButton({ shown, onClick }: AddNumberButtonProps) {
  const [focused, setFocused] = useState(false);
  return (
    <Button
      variant="subtle"
      size="compact-sm"
      leftSection={<IconPlus size={14} aria-hidden />}
      data-add-number
      onClick={onClick}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
      style={{ alignSelf: 'flex-start', opacity: shown || focused ? 1 : 0, transition: 'opacity 120ms' }}
    >
      Add new number
    </Button>
  );
}
