import { Button } from '@mantine/core';
import { useState } from 'react';

export interface LeadWrapButtonsProps {
  /** A wrap is on its way: the button clicked spins, the other waits. */
  pending: boolean;
  /** Waiting for the Outcome (or a callback's date and time). */
  disabled: boolean;
  /** The hint saying what the wrap waits for. */
  describedBy: string | undefined;
  onWrap: (continueWithLead: boolean) => void;
}

/**
 * A lead's two ways to wrap, in the guide's words: "Wrap Lead" moves on to the next call or
 * lead; "Wrap and continue with Lead" wraps the call but keeps the lead, to call another number.
 */
export function LeadWrapButtons({ pending, disabled, describedBy, onWrap }: LeadWrapButtonsProps) {
  const [continuing, setContinuing] = useState(false);
  const buttons = [
    { label: 'Wrap Lead', continueWithLead: false, variant: 'filled' },
    { label: 'Wrap and continue with Lead', continueWithLead: true, variant: 'light' },
  ] as const;
  return buttons.map((button) => {
    const clicked = pending && continuing === button.continueWithLead;
    return (
      <Button
        key={button.label}
        size="sm"
        color="indigo"
        variant={button.variant}
        loading={clicked}
        disabled={disabled || (pending && !clicked)}
        aria-describedby={describedBy}
        onClick={() => {
          setContinuing(button.continueWithLead);
          onWrap(button.continueWithLead);
        }}
      >
        {button.label}
      </Button>
    );
  });
}
