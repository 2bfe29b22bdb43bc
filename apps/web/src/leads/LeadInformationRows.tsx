import { Text } from '@mantine/core';
import type { DialProgress, Lead } from '@parley/contract';
import { InformationField as Field } from '../toolbar/interactions/InformationField';
import { formatAttemptTime } from './formatAttemptTime';
import { calledNumber } from './leadCall';

export interface LeadInformationRowsProps {
  lead: Lead;
  /** The call placed on this interaction, if one was: its number's attempts are the ones shown. */
  dial: DialProgress | undefined;
}

/**
 * The guide's outbound fields of "View Call Information" (Last Attempt, Last Outcome, "New Record"
 * for a lead never called, Lead ID, Number Attempts), then the lead's own fields by name.
 */
export function LeadInformationRows({ lead, dial }: LeadInformationRowsProps) {
  const called = calledNumber(lead.numbers, dial);
  return (
    <>
      <Field label="Last Attempt">{lead.lastAttemptAt && formatAttemptTime(lead.lastAttemptAt)}</Field>
      <Field label="Last Outcome">{lead.lastOutcome}</Field>
      <Field label="Lead ID">
        <Text component="span" size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {lead.id}
        </Text>
      </Field>
      <Field label="Number Attempts">{String(called ? called.attempts : lead.attempts)}</Field>
      {Object.entries(lead.fields).map(([name, value]) => (
        <Field key={name} label={name}>
          {value}
        </Field>
      ))}
    </>
  );
}
