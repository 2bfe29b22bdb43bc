const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

export interface DialPadProps {
  enabled: boolean;
  onDigit: (digit: string) => void;
}

/** Twelve keys for menus and account numbers; each press is one DTMF tone. */
export function DialPad({ enabled, onDigit }: DialPadProps) {
  return (
    <fieldset className="dialpad" aria-label="Dial pad" disabled={!enabled}>
      <legend className="visually-hidden">Dial pad</legend>
      {KEYS.map((key) => (
        <button key={key} type="button" className="key" onClick={() => onDigit(key)}>
          {key}
        </button>
      ))}
    </fieldset>
  );
}

/** Whether a keyboard key is a dial-pad key. */
export function isDialKey(key: string): boolean {
  return (KEYS as readonly string[]).includes(key);
}
