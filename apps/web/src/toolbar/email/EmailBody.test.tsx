import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { EmailMessageView } from './EmailMessageView';
import { buildEmailMessage } from './testEmails';

const frame = () => screen.getByTitle('Message from Kim Lee') as HTMLIFrameElement;

describe('an email body', () => {
  it('is shown in a frame sandboxed with no script and no origin of its own; only links may open a tab', () => {
    const message = buildEmailMessage({
      html: '<p>Hello <b>there</b></p><script>parent.alert(1)</script>',
      cc: [{ name: '', address: 'lee@example.com' }],
    });
    renderWithMantine(<EmailMessageView message={message} />);
    expect(frame().tagName).toBe('IFRAME');
    expect(frame().getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
    expect(frame().getAttribute('sandbox')).not.toContain('allow-scripts');
    expect(frame().getAttribute('sandbox')).not.toContain('allow-same-origin');
    // The body comes from the server as a page of its own (its policy is the server's test's).
    expect(frame().getAttribute('src')).toBe(`/api/email-messages/${message.id}/body`);
    expect(frame().hasAttribute('srcdoc')).toBe(false);
    // Nothing of it is in the toolbar's own page.
    expect(document.querySelector('script')).toBeNull();
    // The headers as the agent reads them.
    expect(screen.getByText('From').nextElementSibling?.textContent).toBe('Kim Lee <kim@example.com>');
    expect(screen.getByText('To').nextElementSibling?.textContent).toBe('ACME Support <support@acme.test>');
    expect(screen.getByText('Cc').nextElementSibling?.textContent).toBe('lee@example.com');
    expect(screen.getByText('Subject').nextElementSibling?.textContent).toBe('Order 42 has not arrived');
    expect(screen.getByText('Date').nextElementSibling?.textContent).toMatch(/7 Dec 2026/);
  });

  it('holds remote images back until the agent asks for them', async () => {
    const user = userEvent.setup();
    const message = buildEmailMessage({
      html: '<p>Our logo</p><img alt="logo" data-remote-src="https://tracker.example/logo.png">',
      remoteImages: 1,
    });
    renderWithMantine(<EmailMessageView message={message} />);
    expect(screen.getByText('1 remote image is blocked.')).toBeTruthy();
    expect(frame().getAttribute('src')).toBe(`/api/email-messages/${message.id}/body`);

    await user.click(screen.getByRole('button', { name: 'Show remote images' }));
    expect(frame().getAttribute('src')).toBe(`/api/email-messages/${message.id}/body?images=remote`);
    expect(frame().getAttribute('sandbox')).not.toContain('allow-scripts');
    expect(screen.queryByRole('button', { name: 'Show remote images' })).toBeNull();
  });

  it('shows a text-only email as text, its files as download links and what could not be read', () => {
    renderWithMantine(
      <EmailMessageView
        message={buildEmailMessage({
          html: null,
          text: 'Plain <b>words</b>',
          error: 'The message could not be fully read: a broken part',
          attachments: [
            {
              id: '00000000-0000-4000-8000-0000000000aa',
              name: 'receipt.pdf',
              contentType: 'application/pdf',
              size: 2048,
              inline: false,
            },
            {
              id: '00000000-0000-4000-8000-0000000000ab',
              name: 'logo.png',
              contentType: 'image/png',
              size: 10,
              inline: true,
            },
          ],
        })}
      />,
    );
    expect(screen.getByText('Plain <b>words</b>')).toBeTruthy();
    expect(screen.queryByTitle('Message from Kim Lee')).toBeNull();
    const link = screen.getByRole('link', { name: 'receipt.pdf' });
    expect(link.getAttribute('href')).toBe(
      '/api/interactions/00000000-0000-4000-8000-0000000000e1/email/attachments/00000000-0000-4000-8000-0000000000aa',
    );
    expect(screen.queryByRole('link', { name: 'logo.png' })).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('could not be fully read');
  });
});
