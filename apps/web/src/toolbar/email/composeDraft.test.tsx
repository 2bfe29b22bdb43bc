import { describe, expect, it } from 'vitest';
import { composeFor, isBlank, prefixedSubject, textToHtml } from './composeDraft';
import { parseAddresses } from './emailAddresses';
import { buildEmailMessage, MAILBOX } from './testEmails';

describe('addresses typed into To, Cc and Bcc', () => {
  it('takes commas, semicolons, spaces and "Name <address>", once each, and says what is not an address', () => {
    expect(
      parseAddresses('kim@example.com; Lee Roe <lee@example.com>, sam@example.com kim@example.com'),
    ).toEqual({
      addresses: ['kim@example.com', 'lee@example.com', 'sam@example.com'],
      invalid: [],
    });
    expect(parseAddresses('kim@example, @example.com, ok@example.org').invalid).toEqual([
      'kim@example',
      '@example.com',
    ]);
    expect(parseAddresses(' , ')).toEqual({ addresses: [], invalid: [] });
  });
});

describe('Reply, Reply all and Forward', () => {
  const message = buildEmailMessage({
    subject: 'RE: Order 42',
    to: [
      { name: 'ACME Support', address: 'Support@ACME.test' },
      { name: '', address: 'sam@example.com' },
    ],
    cc: [
      { name: '', address: 'kim@example.com' },
      { name: '', address: 'lee@example.com' },
    ],
    text: 'Line <one>\nline two\n\nSecond paragraph',
  });

  it('Reply all writes to everyone but the mailbox, each once, and keeps the Bcc', () => {
    const fields = composeFor('replyAll', message, MAILBOX, ['audit@acme.test']);
    expect(fields.to).toEqual(['kim@example.com', 'sam@example.com']);
    expect(fields.cc).toEqual(['lee@example.com']);
    expect(fields.bcc).toEqual(['audit@acme.test']);
    expect(fields.subject).toBe('RE: Order 42');
  });

  it('quotes the text escaped, never the HTML', () => {
    const fields = composeFor('reply', message, MAILBOX);
    expect(fields.html).toContain(
      '<blockquote><p>Line &lt;one&gt;<br>line two</p><p>Second paragraph</p></blockquote>',
    );
    expect(fields.html).not.toContain('<b>');
  });

  it('prefixes the subject once', () => {
    expect(prefixedSubject('Re:', 'Order')).toBe('Re: Order');
    expect(prefixedSubject('Re:', 're: Order')).toBe('re: Order');
    expect(prefixedSubject('Fwd:', 'Fw: Order')).toBe('Fw: Order');
    expect(prefixedSubject('Fwd:', 'Re: Order')).toBe('Fwd: Re: Order');
  });

  it('a draft with an empty editor body and nothing else is blank', () => {
    expect(isBlank({ mode: 'reply', to: [], cc: [], bcc: [], subject: '', html: '<p></p>' })).toBe(true);
    expect(isBlank({ mode: 'reply', to: [], cc: [], bcc: [], subject: '', html: textToHtml('Hi') })).toBe(
      false,
    );
  });
});
