import { ActionIcon, Alert, Group, Text, Tooltip } from '@mantine/core';
import type { AgentInteraction, Announcement } from '@parley/contract';
import IconPlayerPause from '@tabler/icons-react/icons/IconPlayerPause';
import IconRecordMail from '@tabler/icons-react/icons/IconRecordMail';
import IconTag from '@tabler/icons-react/icons/IconTag';
import IconTransfer from '@tabler/icons-react/icons/IconTransfer';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { DialPadButton } from '../../dialler/DialPadButton';
import { AgentAssistButton } from '../assist/AgentAssistButton';
import { CallOptionsMenu } from '../call-options/CallOptionsMenu';
import { ConvertToOutboundDialog } from '../call-options/ConvertToOutboundDialog';
import { mayConvertToOutbound } from '../call-options/convertToOutbound';
import { TransferDialog } from '../transfer/TransferDialog';
import { useApiAction } from '../useApiAction';
import { TOOLBAR_SHORTCUTS } from '../useToolbarShortcuts';

export interface CallControlsProps {
  call: AgentInteraction;
  /** The workspace shows the stop/start recording control. */
  recordingControlsVisible: boolean;
  /** The workspace lets agents ask a manager for help (Agent Assist); off unless it does. */
  agentAssistEnabled?: boolean;
  /** The campaign's announcements for the Options menu; undefined until loaded. */
  announcements?: Announcement[] | undefined;
  /** The caller's number (the information panel's), which Convert to Outbound searches by at first. */
  customerPhone?: string | null | undefined;
  onSessionExpired: () => void;
}

/** The call's dialogs: Transfer, and Convert to Outbound (from the Options menu or the Transfer dialog). */
type CallControlsDialog = 'transfer' | 'convert';

/** How long the brief notice after a toggle stays. */
const NOTICE_MS = 3000;

/**
 * The live call's controls: stop/start call recording (orange while recording, grey when
 * stopped) and toggle call hold (orange while held), each with a brief notice; Transfer call
 * (its dialog), the Dial pad, the Options menu (Play Announcement, Convert to Outbound on a live
 * inbound call), and Agent Assist where the workspace enables it.
 * With a second line (a consult or a conference) there is no hold, no Transfer and no Dial pad:
 * the lines say what is next.
 */
export function CallControls({
  call,
  recordingControlsVisible,
  agentAssistEnabled = false,
  announcements,
  customerPhone,
  onSessionExpired,
}: CallControlsProps) {
  const { pending, error, run } = useApiAction(onSessionExpired);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [dialog, setDialog] = useState<CallControlsDialog | undefined>(undefined);
  const openConvert = mayConvertToOutbound(call) ? () => setDialog('convert') : undefined;
  // With a second line open, the call moves on from the lines (Merge Lines, then leave), not from
  // here. Nor is there hold: once that line connects the server refuses it (the lines choose who
  // hears music), and while it connects the agent stays with the customer (a workflow's prompts too).
  const secondLine = call.consult !== undefined;
  // An Agent Call has no customer to hold, transfer, play an announcement or send keys to.
  const withCustomer = call.callType !== 'agent';
  const transferShown = !secondLine && withCustomer;
  const holdShown = !secondLine && withCustomer;
  const held = call.held === true;
  const recording = call.recording === true;

  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => setNotice(undefined), NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [notice]);

  const toggle = (request: () => Promise<unknown>, done: string) =>
    run(async () => {
      await request();
      setNotice(done);
    });

  const recordLabel = recording ? 'Stop call recording' : 'Start call recording';
  return (
    <Group gap="xs" wrap="nowrap">
      {recordingControlsVisible && (
        <Tooltip label={recordLabel}>
          <ActionIcon
            size="lg"
            variant="filled"
            color={recording ? 'orange' : 'gray'}
            aria-label={recordLabel}
            aria-pressed={recording}
            disabled={pending}
            onClick={() =>
              toggle(
                () => api.recordCall(call.id, !recording),
                recording ? 'Recording stopped' : 'Recording started',
              )
            }
          >
            <IconRecordMail size={20} />
          </ActionIcon>
        </Tooltip>
      )}
      <Tooltip label="Tag call recording">
        <ActionIcon
          size="lg"
          variant="filled"
          color="gray"
          aria-label="Tag call recording"
          disabled={pending}
          onClick={() => toggle(() => api.tagRecording(call.id), 'Recording tagged')}
        >
          <IconTag size={20} />
        </ActionIcon>
      </Tooltip>
      {holdShown && (
        <Tooltip
          label={`${held ? 'Retrieve call from hold' : 'Place call on hold'} (${TOOLBAR_SHORTCUTS.hold.keys})`}
        >
          <ActionIcon
            size="lg"
            variant="filled"
            color={held ? 'orange' : 'gray'}
            aria-label="Toggle call hold"
            aria-keyshortcuts={TOOLBAR_SHORTCUTS.hold.keys}
            aria-pressed={held}
            disabled={pending}
            onClick={() =>
              toggle(() => api.holdCall(call.id, !held), held ? 'Call retrieved from hold' : 'Call on hold')
            }
          >
            <IconPlayerPause size={20} />
          </ActionIcon>
        </Tooltip>
      )}
      {transferShown && (
        <Tooltip label="Transfer call">
          <ActionIcon
            size="lg"
            variant="filled"
            color="gray"
            aria-label="Transfer"
            aria-haspopup="dialog"
            disabled={pending}
            onClick={() => setDialog('transfer')}
          >
            <IconTransfer size={20} />
          </ActionIcon>
        </Tooltip>
      )}
      {/* Keys for the far end (an IVR's menu); with a second line it is unclear whose, so none. */}
      {!secondLine && withCustomer && <DialPadButton callId={call.id} onSessionExpired={onSessionExpired} />}
      {agentAssistEnabled && (
        <AgentAssistButton
          requested={call.assistRequested === true}
          pending={pending}
          onRequest={() => run(() => api.requestAssist(call.id))}
        />
      )}
      {withCustomer && (
        <CallOptionsMenu
          call={call}
          announcements={announcements}
          onConvertToOutbound={openConvert}
          onSessionExpired={onSessionExpired}
        />
      )}
      {dialog === 'transfer' && (
        <TransferDialog
          call={call}
          onConvertToOutbound={openConvert}
          onClose={() => setDialog(undefined)}
          onSessionExpired={onSessionExpired}
        />
      )}
      {dialog === 'convert' && (
        <ConvertToOutboundDialog
          callId={call.id}
          customerPhone={customerPhone}
          onClose={() => setDialog(undefined)}
          onSessionExpired={onSessionExpired}
        />
      )}
      {notice && (
        <Text role="status" size="sm" c="dimmed">
          {notice}
        </Text>
      )}
      {error && (
        <Alert role="alert" variant="light" color="red" py={4}>
          {error}
        </Alert>
      )}
    </Group>
  );
}
