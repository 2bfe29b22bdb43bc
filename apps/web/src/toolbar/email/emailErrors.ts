import { ApiError } from '@parley/client';
import { describeError } from '../../common/describeError';

/** The email error codes in the agent's words, where the server's own message may be terse. */
const MESSAGES: Record<string, string> = {
  EMAIL_NO_RECIPIENT: 'Add at least one recipient in To, Cc or Bcc before sending.',
  EMAIL_QUEUE_EMPTY: 'No emails are waiting in your queues.',
  EMAIL_SEND_DISABLED: 'Your administrator has not let you send new emails.',
  EMAIL_NO_MAILBOX: 'This campaign has no mailbox to send from. Ask your administrator to set one up.',
  EMAIL_LIMIT_REACHED: 'You have as many emails open as you may. Send or discard one first.',
  EMAIL_TOO_LARGE: 'The email is too large to send. Remove an attachment and try again.',
  EMAIL_MAILBOX_INVALID:
    "The campaign's mailbox is not set up correctly. Ask your administrator to check it.",
};

/** What to tell the agent when an email request fails: a sentence for each known code. */
export function describeEmailError(failure: unknown): string {
  if (failure instanceof ApiError) return MESSAGES[failure.code] ?? failure.message;
  return describeError(failure);
}
