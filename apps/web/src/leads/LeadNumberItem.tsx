import { Badge, Button, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import type { LeadNumber } from '@parley/contract';
import IconPhone from '@tabler/icons-react/icons/IconPhone';
import { useId } from 'react';
import { useNow } from '../common/useNow';
import { formatAttemptTime } from './formatAttemptTime';

/** How often a number waiting for its next call time looks again whether it may be called. */
const RETRY_CHECK_MS = 15_000;

export interface LeadNumberItemProps {
  number: LeadNumber;
  /** No call is in progress on the lead (and none is being asked for). */
  dialable: boolean;
  /** The campaign lets the agent edit the lead's numbers: clicking the number edits it. */
  onEdit: (() => void) | undefined;
  /** Undefined: the lead came with its call connected (predictive, converted), so no Call button. */
  onCall: (() => void) | undefined;
}

/** How often a number was tried and how the last try ended, in a line. */
function describeAttempts(number: LeadNumber): string {
  if (number.attempts === 0) return 'Not called yet';
  const attempts = `${number.attempts} ${number.attempts === 1 ? 'attempt' : 'attempts'}`;
  return number.lastOutcome ? `${attempts} · ${number.lastOutcome}` : attempts;
}

/** One of the lead's phone numbers: its label, the number, its attempts, and a button to call it. */
export function LeadNumberItem({ number, dialable, onEdit, onCall }: LeadNumberItemProps) {
  const completedId = useId();
  const retryId = useId();
  const now = useNow(RETRY_CHECK_MS);
  // Not before its retry time: the server would refuse the call (LEAD_NOT_CALLABLE) until then.
  const retryAt = number.nextCallAt && Date.parse(number.nextCallAt) > now ? number.nextCallAt : null;
  const reasons = [number.completed && completedId, retryAt && retryId].filter(Boolean).join(' ');
  return (
    <Group component="li" justify="space-between" align="center" wrap="nowrap" gap="sm">
      <Stack gap={0} miw={0}>
        <Group gap={6} wrap="nowrap">
          <Text size="xs" c="dimmed" truncate="end">
            {number.label}
          </Text>
          {number.completed && (
            <Badge id={completedId} size="xs" variant="light" color="gray">
              Completed
            </Badge>
          )}
        </Group>
        {onEdit ? (
          <UnstyledButton
            aria-label={`Edit ${number.number}`}
            data-lead-number={number.id}
            onClick={onEdit}
            ff="monospace"
            fz="sm"
            style={{ textDecoration: 'underline dotted' }}
          >
            {number.number}
          </UnstyledButton>
        ) : (
          <Text size="sm" ff="monospace">
            {number.number}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {describeAttempts(number)}
          {number.lastAttemptAt && ` · ${formatAttemptTime(number.lastAttemptAt)}`}
        </Text>
        {retryAt && (
          <Text id={retryId} size="xs" c="dimmed">
            Next call after {formatAttemptTime(retryAt)}
          </Text>
        )}
      </Stack>
      {onCall && (
        <Button
          size="compact-sm"
          color="green"
          variant="light"
          leftSection={<IconPhone size={14} aria-hidden />}
          aria-label={`Call ${number.number}`}
          aria-describedby={reasons || undefined}
          disabled={!dialable || number.completed || retryAt !== null}
          onClick={onCall}
          style={{ flexShrink: 0 }}
        >
          Call
        </Button>
      )}
    </Group>
  );
}
