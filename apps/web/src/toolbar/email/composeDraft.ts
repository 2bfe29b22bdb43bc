import type { EmailAddress, EmailComposeMode, EmailMessage } from '@parley/contract';
import { formatAddress, withoutAddresses } from './emailAddresses';
import { formatEmailDate } from './emailDates';

/** The composer's fields, as the agent edits them and the draft stores them. */
export interface ComposeFields {
  mode: EmailComposeMode;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  html: string;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text as paragraphs of the editor's HTML, blank lines between paragraphs. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** "Re: Order 42" once, however often the thread has been answered. */
export function prefixedSubject(prefix: 'Re:' | 'Fwd:', subject: string): string {
  const bare = subject.trim();
  const already = prefix === 'Re:' ? /^re:/i : /^(fwd?|fw):/i;
  return already.test(bare) ? bare : `${prefix} ${bare}`.trim();
}

const addressList = (addresses: EmailAddress[]) => addresses.map((a) => a.address);

/** The message quoted below the agent's reply (its text, never its HTML). */
function quote(message: EmailMessage): string {
  const from = message.from ? escapeHtml(formatAddress(message.from)) : 'the sender';
  return `<p></p><p>On ${escapeHtml(formatEmailDate(message.at))}, ${from} wrote:</p><blockquote>${textToHtml(message.text)}</blockquote>`;
}

function forwarded(message: EmailMessage): string {
  const header = [
    '---------- Forwarded message ----------',
    `From: ${message.from ? formatAddress(message.from) : ''}`,
    `Date: ${formatEmailDate(message.at)}`,
    `Subject: ${message.subject}`,
    `To: ${message.to.map(formatAddress).join(', ')}`,
  ];
  if (message.cc.length > 0) header.push(`Cc: ${message.cc.map(formatAddress).join(', ')}`);
  return `<p></p>${textToHtml(header.join('\n'))}${textToHtml(message.text)}`;
}

/**
 * Reply, Reply all and Forward, as mail programs fill them: who it goes to (never the mailbox
 * itself), "Re:" or "Fwd:" before the subject, and the message quoted below. The agent's Bcc stays.
 */
export function composeFor(
  mode: Exclude<EmailComposeMode, 'new'>,
  message: EmailMessage,
  mailbox: string,
  bcc: string[] = [],
): ComposeFields {
  const sender = message.from ? [message.from.address] : [];
  switch (mode) {
    case 'reply':
      return {
        mode,
        to: withoutAddresses(sender, [mailbox]),
        cc: [],
        bcc,
        subject: prefixedSubject('Re:', message.subject),
        html: quote(message),
      };
    case 'replyAll': {
      const to = withoutAddresses([...sender, ...addressList(message.to)], [mailbox]);
      return {
        mode,
        to,
        cc: withoutAddresses(addressList(message.cc), [mailbox, ...to]),
        bcc,
        subject: prefixedSubject('Re:', message.subject),
        html: quote(message),
      };
    }
    case 'forward':
      return {
        mode,
        to: [],
        cc: [],
        bcc,
        subject: prefixedSubject('Fwd:', message.subject),
        html: forwarded(message),
      };
  }
}

/** A draft nothing has been put in yet: the server's fresh one, to be filled as a reply. */
export function isBlank(fields: ComposeFields): boolean {
  return fields.to.length === 0 && fields.cc.length === 0 && !fields.subject && isEmptyHtml(fields.html);
}

/** The editor's empty document (`<p></p>`) counts as nothing written. */
export function isEmptyHtml(html: string): boolean {
  return html.replace(/<p>\s*<\/p>|<br\s*\/?>/g, '').trim() === '';
}
