import { Alert, Stack } from '@mantine/core';
import type { EmailMessage } from '@parley/contract';
import type { ReactNode } from 'react';
import { FieldList } from '../interactions/FieldList';
import { InformationField as Field } from '../interactions/InformationField';
import { EmailAttachmentLinks } from './EmailAttachmentLinks';
import { EmailBody } from './EmailBody';
import { formatAddress, formatAddresses } from './emailAddresses';
import { formatEmailDate } from './emailDates';

export interface EmailMessageViewProps {
  message: EmailMessage;
  /** Extra rows after the message's own (Email History: the Outcome). */
  extraFields?: ReactNode;
}

/** Who sent a message, as its body's frame is named. */
export function senderName(message: EmailMessage): string {
  if (message.direction === 'out' && message.agentName) return message.agentName;
  return message.from ? message.from.name || message.from.address : 'unknown sender';
}

/**
 * One email as it arrived or left: From, To, Cc, date and subject, then the body (safely framed),
 * the files as download links, and what went wrong with it, if anything.
 */
export function EmailMessageView({ message, extraFields }: EmailMessageViewProps) {
  return (
    <Stack gap="sm">
      <FieldList rowGap={2}>
        <Field label="From">{message.from && formatAddress(message.from)}</Field>
        <Field label="To">{formatAddresses(message.to)}</Field>
        {message.cc.length > 0 && <Field label="Cc">{formatAddresses(message.cc)}</Field>}
        {message.bcc.length > 0 && <Field label="Bcc">{formatAddresses(message.bcc)}</Field>}
        <Field label="Date">{formatEmailDate(message.at)}</Field>
        <Field label="Subject">{message.subject}</Field>
        {extraFields}
      </FieldList>
      {message.error && (
        <Alert
          role="alert"
          variant="light"
          color={message.direction === 'in' ? 'yellow' : 'red'}
          py="xs"
          title={message.direction === 'in' ? 'Not fully read' : statusTitle(message)}
        >
          {message.error}
        </Alert>
      )}
      <EmailBody message={message} title={`Message from ${senderName(message)}`} />
      {message.interactionId && (
        <EmailAttachmentLinks interactionId={message.interactionId} attachments={message.attachments} />
      )}
    </Stack>
  );
}

function statusTitle(message: EmailMessage): string {
  return message.status === 'bounced' ? 'Bounced' : 'Not sent';
}
