import { ActionIcon, Alert, Stack, Text, Tooltip } from '@mantine/core';
import IconDialpad from '@tabler/icons-react/icons/IconDialpad';
import { useEffect, useState } from 'react';
import { CallDialog } from '../toolbar/CallDialog';
import { DIAL_PAD_KEYS, DialPad } from './DialPad';
import { useDigitSender } from './useDigitSender';

export interface DialPadButtonProps {
  callId: string;
  onSessionExpired: () => void;
}

/** The live call's "Dial pad": keys for the far end, such as an IVR's menu, sent as pressed. */
export function DialPadButton({ callId, onSessionExpired }: DialPadButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Tooltip label="Dial pad">
        <ActionIcon
          size="lg"
          variant="filled"
          color="gray"
          aria-label="Dial pad"
          aria-haspopup="dialog"
          onClick={() => setOpen(true)}
        >
          <IconDialpad size={20} />
        </ActionIcon>
      </Tooltip>
      {open && (
        <InCallDialPad callId={callId} onClose={() => setOpen(false)} onSessionExpired={onSessionExpired} />
      )}
    </>
  );
}

const KEYS: ReadonlySet<string> = new Set(DIAL_PAD_KEYS.map(([key]) => key));

function InCallDialPad({ callId, onClose, onSessionExpired }: DialPadButtonProps & { onClose: () => void }) {
  const { pressed, error, send } = useDigitSender(callId, onSessionExpired);

  // The keyboard's digits, * and # work as the pad's own keys while it is open.
  useEffect(() => {
    function handleKeyDown(event: KeyboardEvent) {
      if (event.repeat || event.ctrlKey || event.metaKey || event.altKey || !KEYS.has(event.key)) return;
      event.preventDefault();
      send(event.key);
    }
    window.addEventListener('keydown', handleKeyDown);
    return () => window.removeEventListener('keydown', handleKeyDown);
  }, [send]);

  return (
    <CallDialog onClose={onClose} title="Dial pad" size="xs">
      <Stack gap="sm" align="center">
        <Text
          component="output"
          aria-label="Keys sent"
          ff="monospace"
          size="lg"
          mih={28}
          style={{ letterSpacing: '0.15em', wordBreak: 'break-all' }}
        >
          {pressed}
        </Text>
        <DialPad onPress={send} />
        {error && (
          <Alert role="alert" variant="light" color="red" py="xs" w="100%">
            {error}
          </Alert>
        )}
      </Stack>
    </CallDialog>
  );
}
