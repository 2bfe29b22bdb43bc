import { ActionIcon, Alert, Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { AgentInteraction, ConsultLine } from '@parley/contract';
import IconArrowMerge from '@tabler/icons-react/icons/IconArrowMerge';
import IconMicrophone from '@tabler/icons-react/icons/IconMicrophone';
import IconPhoneOff from '@tabler/icons-react/icons/IconPhoneOff';
import { useId } from 'react';
import { api } from '../../api';
import { useApiAction } from '../useApiAction';

export interface ConsultLinesProps {
  call: AgentInteraction;
  consult: ConsultLine;
  onSessionExpired: () => void;
}

type Line = 'customer' | 'consulted';

/**
 * A call's two lines during a consult (guide section 8): the customer and the consulted party.
 * The line the agent talks on is outlined; clicking the other switches to it. The consulted line
 * can be hung up (while it connects, that cancels it), and Merge Lines makes the three of them a
 * conference.
 */
export function ConsultLines({ call, consult, onSessionExpired }: ConsultLinesProps) {
  const { pending, error, run } = useApiAction(onSessionExpired);
  const headingId = useId();
  const connectingId = useId();
  const conference = consult.active === 'conference';
  const ringing = consult.state === 'ringing';

  function handleSwitch(line: Line) {
    // Nothing to switch to while the second line is still connecting, or in a conference.
    if (consult.active !== line && !conference && !ringing)
      void run(() => api.switchConsultLine(call.id, line));
  }

  return (
    <Stack gap={6} mt="sm">
      <Group gap="xs" justify="space-between">
        <Text id={headingId} size="sm" fw={600}>
          Lines
        </Text>
        {conference && (
          <Text size="sm" fw={600} c="teal">
            Conference
          </Text>
        )}
      </Group>
      <Group role="group" aria-labelledby={headingId} gap="xs" wrap="wrap">
        <LineButton
          label={call.label}
          active={consult.active !== 'consulted'}
          pending={pending}
          onClick={() => handleSwitch('customer')}
        />
        <Group gap={4} wrap="nowrap">
          <LineButton
            label={consult.label}
            active={consult.active !== 'customer'}
            pending={pending || ringing}
            describedBy={ringing ? connectingId : undefined}
            onClick={() => handleSwitch('consulted')}
          />
          {ringing && (
            // True of each kind without knowing which: an agent or a number ringing, or a workflow's
            // prompts and queue (Assisted transfer) before an agent takes the call.
            <Text id={connectingId} size="sm" c="dimmed">
              Connecting…
            </Text>
          )}
          <Tooltip label={`Hang up ${consult.label}`}>
            <ActionIcon
              size="lg"
              variant="light"
              color="red"
              aria-label={`Hang up ${consult.label}`}
              disabled={pending}
              onClick={() => void run(() => api.hangUpConsult(call.id))}
            >
              <IconPhoneOff size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
        {!conference && !ringing && (
          <Button
            size="sm"
            variant="light"
            leftSection={<IconArrowMerge size={16} />}
            disabled={pending}
            onClick={() => void run(() => api.mergeConsult(call.id))}
          >
            Merge Lines
          </Button>
        )}
      </Group>
      {error && (
        <Alert role="alert" variant="light" color="red" py={4}>
          {error}
        </Alert>
      )}
    </Stack>
  );
}

interface LineButtonProps {
  label: string;
  /** The agent talks on this line (both lines in a conference). */
  active: boolean;
  pending: boolean;
  describedBy?: string;
  onClick: () => void;
}

function LineButton({ label, active, pending, describedBy, onClick }: LineButtonProps) {
  return (
    <Button
      size="sm"
      variant={active ? 'outline' : 'default'}
      aria-pressed={active}
      aria-current={active ? 'true' : undefined}
      aria-describedby={describedBy}
      disabled={pending}
      onClick={onClick}
      maw={220}
      // Not by colour alone: the line the agent talks on carries a microphone.
      leftSection={active ? <IconMicrophone size={14} aria-hidden /> : undefined}
    >
      <Text span size="sm" truncate="end">
        {label}
      </Text>
    </Button>
  );
}
