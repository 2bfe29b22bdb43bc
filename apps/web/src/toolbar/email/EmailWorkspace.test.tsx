import { ApiError } from '@parley/client';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { buildAgentState } from '../../testing/agentState';
import { renderInteractionsArea } from '../../testing/renderInteractionsArea';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { InteractionsArea } from '../interactions/InteractionsArea';
import { loadEmailEditor } from './EmailComposer';
import {
  buildDraft,
  buildEmailInteraction,
  buildEmailMessage,
  buildEmailPanel,
  buildEmailView,
  EMAIL_ID,
  RESOLVED,
  THREAD_ID,
} from './testEmails';
import { DRAFT_SAVE_DELAY_MS } from './useEmailDraft';

type Part = ReturnType<typeof within>;

/** The email, once loaded with its editor (which loads apart from the toolbar). */
const email = async () => {
  const shown = within(await screen.findByRole('region', { name: 'Order 42 has not arrived' }));
  await shown.findByRole('textbox', { name: 'Body' });
  return shown;
};
const reply = () => within(screen.getByRole('region', { name: 'Your reply' }));
const fieldValue = (part: Part, name: string) =>
  (part.getByRole('textbox', { name }) as HTMLInputElement).value;
const body = (part: Part) => part.getByRole('textbox', { name: 'Body' });

// The editor's code (ProseMirror) is loaded once, before the tests, however long that takes on a
// busy machine: the composer then shows the editor in its first render, as for a second email.
beforeAll(() => loadEmailEditor().then(() => undefined), 60_000);

beforeEach(() => {
  vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildEmailPanel());
  vi.spyOn(api, 'email').mockResolvedValue(buildEmailView());
  vi.spyOn(api, 'saveEmailDraft').mockImplementation(async (_id, draft) => buildDraft(draft));
  vi.spyOn(api, 'chooseInteractionOutcome').mockResolvedValue();
});

describe('an email in the script area', () => {
  it('shows the email, the reply, the previous emails (newest first, folded) and the Email thread ID', async () => {
    vi.spyOn(api, 'email').mockResolvedValue(
      buildEmailView({
        thread: [
          buildEmailMessage({
            direction: 'out',
            agentName: 'Alice Agent',
            subject: 'Re: Order 42',
            text: 'It ships today.',
            html: null,
            at: '2026-12-05T10:00:00.000Z',
          }),
          buildEmailMessage({ subject: 'Order 42', at: '2026-12-04T10:00:00.000Z' }),
        ],
      }),
    );
    const user = userEvent.setup();
    const area = renderInteractionsArea(buildEmailInteraction());
    const shown = await email();
    expect(shown.getAllByText('Kim Lee <kim@example.com>')[0]).toBeTruthy();
    expect(shown.getByTitle('Message from Kim Lee').getAttribute('sandbox')).toBe(
      'allow-popups allow-popups-to-escape-sandbox',
    );

    const previous = within(shown.getByRole('region', { name: 'Previous emails' }));
    const items = previous.getAllByRole('button', { name: /Order 42/ });
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringMatching(/^Alice Agent: Re: Order 42\s*5 Dec 2026/),
      expect.stringMatching(/^Kim Lee: Order 42\s*4 Dec 2026/),
    ]);
    expect(items[0]?.getAttribute('aria-expanded')).toBe('false');
    await user.click(items[0] as HTMLElement);
    expect(items[0]?.getAttribute('aria-expanded')).toBe('true');
    expect(previous.getByText('It ships today.')).toBeTruthy();

    await waitFor(() =>
      expect(area.info().getByText('Email thread ID').nextElementSibling?.textContent).toBe(THREAD_ID),
    );
    expect(area.info().getByText('Interaction ID').nextElementSibling?.textContent).toBe(EMAIL_ID);
    // Nobody talks on an email: its timer is the time worked on it.
    expect(area.info().getByText('Working Time')).toBeTruthy();
    expect(area.info().queryByText('Talking Time')).toBeNull();
    expect(area.info().queryByText('Customer phone')).toBeNull();
    expect(area.info().queryByText('IVR Data')).toBeNull();
    // The card points to the composer: the email ends by being sent or deleted, not "End".
    expect(area.card().queryByRole('button', { name: 'End' })).toBeNull();
  });

  it('fills Reply, Reply all and Forward from the email, and saves the change', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'email').mockResolvedValue(
      buildEmailView({
        message: buildEmailMessage({
          to: [
            { name: 'ACME Support', address: 'support@acme.test' },
            { name: 'Sam', address: 'sam@example.com' },
          ],
          cc: [{ name: 'Lee', address: 'lee@example.com' }],
        }),
        // A fresh draft: it starts as the reply.
        draft: buildDraft(),
      }),
    );
    renderInteractionsArea(buildEmailInteraction());
    await email();
    expect(fieldValue(reply(), 'To')).toBe('kim@example.com');
    expect(fieldValue(reply(), 'Cc')).toBe('');
    expect(fieldValue(reply(), 'Subject')).toBe('Re: Order 42 has not arrived');
    expect(body(reply()).textContent).toContain('Kim Lee <kim@example.com> wrote:');
    expect(body(reply()).querySelector('blockquote')?.textContent).toContain('My order has not arrived.');
    expect(reply().getByRole('button', { name: 'Reply' }).getAttribute('aria-pressed')).toBe('true');
    // What the agent sees is the draft: the reply is saved like a change, 800 ms after it opened.
    await waitFor(() =>
      expect(api.saveEmailDraft).toHaveBeenCalledWith(EMAIL_ID, {
        to: ['kim@example.com'],
        subject: 'Re: Order 42 has not arrived',
        html: expect.stringContaining('Kim Lee &lt;kim@example.com&gt; wrote:'),
      }),
    );
    expect(await reply().findByText('Draft saved')).toBeTruthy();

    await user.click(reply().getByRole('button', { name: 'Reply all' }));
    expect(fieldValue(reply(), 'To')).toBe('kim@example.com, sam@example.com');
    expect(fieldValue(reply(), 'Cc')).toBe('lee@example.com');
    expect(fieldValue(reply(), 'Subject')).toBe('Re: Order 42 has not arrived');

    await user.click(reply().getByRole('button', { name: 'Forward' }));
    expect(fieldValue(reply(), 'To')).toBe('');
    expect(fieldValue(reply(), 'Cc')).toBe('');
    expect(fieldValue(reply(), 'Subject')).toBe('Fwd: Order 42 has not arrived');
    expect(body(reply()).textContent).toContain('Forwarded message');
    expect(body(reply()).textContent).toContain('My order has not arrived.');

    // The last save is the forward (its To is empty, as the blank draft's was, and is saved too).
    await waitFor(() =>
      expect(api.saveEmailDraft).toHaveBeenLastCalledWith(
        EMAIL_ID,
        expect.objectContaining({ mode: 'forward', subject: 'Fwd: Order 42 has not arrived' }),
      ),
    );
    expect(await reply().findByText('Draft saved')).toBeTruthy();
  });

  it('saves the draft 800 ms after typing stops, only what changed', async () => {
    renderInteractionsArea(buildEmailInteraction());
    await email();
    // A draft already written is not filled in: nothing has been saved before the agent types.
    const save = vi.mocked(api.saveEmailDraft);
    expect(save).not.toHaveBeenCalled();
    vi.useFakeTimers();
    fireEvent.change(reply().getByRole('textbox', { name: 'Subject' }), {
      target: { value: 'Re: Your order' },
    });
    fireEvent.change(reply().getByRole('textbox', { name: 'Cc' }), {
      target: { value: 'lee@example.com, sam@' },
    });
    act(() => vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS - 1));
    expect(save).not.toHaveBeenCalled();
    fireEvent.change(reply().getByRole('textbox', { name: 'Cc' }), {
      target: { value: 'lee@example.com, sam@example.com' },
    });
    act(() => vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS - 1));
    expect(save).not.toHaveBeenCalled();
    await act(async () => {
      vi.advanceTimersByTime(1);
    });
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith(EMAIL_ID, {
      cc: ['lee@example.com', 'sam@example.com'],
      subject: 'Re: Your order',
    });
    expect(reply().getByText('Draft saved')).toBeTruthy();
  });

  it('says when an address is wrong, and sends nothing until it is put right', async () => {
    renderInteractionsArea(buildEmailInteraction());
    await email();
    const to = reply().getByRole('textbox', { name: 'To' });
    fireEvent.change(to, { target: { value: 'kim@example.com, not-an-address' } });
    fireEvent.blur(to);
    expect(await reply().findByText('Not an email address: not-an-address')).toBeTruthy();
    const send = reply().getByRole('button', { name: 'Send & wrap email' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    expect(reply().getByText('Correct the addresses in To')).toBeTruthy();
  });

  it('keeps the draft while another interaction is shown', async () => {
    const user = userEvent.setup();
    const LEE = '00000000-0000-4000-8000-0000000000e2';
    vi.spyOn(api, 'email').mockImplementation(async (id) =>
      id === EMAIL_ID
        ? buildEmailView()
        : buildEmailView({
            interactionId: LEE,
            message: buildEmailMessage({
              subject: 'Invoice',
              from: { name: 'Lee', address: 'lee@example.com' },
            }),
          }),
    );
    const view = renderWithMantine(
      <InteractionsArea
        interactions={[buildEmailInteraction(), buildEmailInteraction({ id: LEE, label: 'lee@example.com' })]}
        recordingControlsVisible={false}
        onSessionExpired={vi.fn()}
      />,
    );
    await email();
    await user.clear(reply().getByRole('textbox', { name: 'Subject' }));
    await user.type(reply().getByRole('textbox', { name: 'Subject' }), 'About your order');
    await user.click(screen.getByRole('button', { name: 'lee@example.com' }));
    expect(await screen.findByRole('region', { name: 'Invoice' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'kim@example.com' }));
    await email();
    expect(fieldValue(reply(), 'Subject')).toBe('About your order');
    await waitFor(() =>
      expect(api.saveEmailDraft).toHaveBeenCalledWith(EMAIL_ID, { subject: 'About your order' }),
    );
    view.unmount();
  });

  it('restores the draft saved before a reload', async () => {
    vi.spyOn(api, 'email').mockResolvedValue(
      buildEmailView({
        draft: buildDraft({
          mode: 'replyAll',
          to: ['kim@example.com', 'sam@example.com'],
          cc: ['lee@example.com'],
          bcc: ['audit@acme.test'],
          subject: 'Re: Order 42 has not arrived',
          html: '<p>Your parcel left <strong>yesterday</strong>.</p>',
        }),
      }),
    );
    renderInteractionsArea(buildEmailInteraction());
    await email();
    expect(fieldValue(reply(), 'To')).toBe('kim@example.com, sam@example.com');
    expect(fieldValue(reply(), 'Cc')).toBe('lee@example.com');
    expect(fieldValue(reply(), 'Bcc')).toBe('audit@acme.test');
    expect(body(reply()).textContent).toBe('Your parcel left yesterday.');
    expect(reply().getByRole('button', { name: 'Reply all' }).getAttribute('aria-pressed')).toBe('true');
    expect(api.saveEmailDraft).not.toHaveBeenCalled();
  });

  it('"Send & wrap email" waits for an Outcome, then sends the draft with it', async () => {
    const user = userEvent.setup();
    const send = vi.spyOn(api, 'sendEmail').mockResolvedValue(buildAgentState());
    const area = renderInteractionsArea(buildEmailInteraction());
    await email();
    const button = () => reply().getByRole('button', { name: 'Send & wrap email' }) as HTMLButtonElement;
    expect(button().disabled).toBe(true);
    expect(reply().getByText('Choose an Outcome before wrapping')).toBeTruthy();

    await user.click(await area.info().findByRole('combobox', { name: 'Outcome' }));
    await user.click(screen.getByRole('option', { name: 'Resolved' }));
    await waitFor(() => expect(button().disabled).toBe(false));
    await user.click(button());
    expect(send).toHaveBeenCalledWith(EMAIL_ID, {
      draft: {
        mode: 'reply',
        to: ['kim@example.com'],
        cc: [],
        bcc: [],
        subject: 'Re: Order 42 has not arrived',
        html: '',
      },
      wrapCodeId: RESOLVED,
    });
  });

  it('says in words why the email was not sent, and keeps the draft', async () => {
    const user = userEvent.setup();
    vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildEmailPanel({ wrapCodeId: RESOLVED }));
    vi.spyOn(api, 'sendEmail').mockRejectedValue(
      new ApiError(400, 'EMAIL_NO_RECIPIENT', 'No recipient', undefined),
    );
    renderInteractionsArea(buildEmailInteraction());
    await email();
    fireEvent.change(reply().getByRole('textbox', { name: 'To' }), { target: { value: '' } });
    const button = reply().getByRole('button', { name: 'Send & wrap email' }) as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    await user.click(button);
    const alert = await reply().findByRole('alert');
    expect(alert.textContent).toContain('Add at least one recipient in To, Cc or Bcc before sending.');
    expect(fieldValue(reply(), 'Subject')).toBe('Re: Order 42 has not arrived');
  });

  it('Delete asks for an Outcome and discards with "Discard and Wrap Email"', async () => {
    const user = userEvent.setup();
    const discard = vi.spyOn(api, 'discardEmail').mockResolvedValue(buildAgentState());
    renderInteractionsArea(buildEmailInteraction());
    await email();
    await waitFor(() => expect(api.interactionPanel).toHaveBeenCalled());
    await user.click(reply().getByRole('button', { name: 'Delete' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Discard this email?' }));
    const confirm = dialog.getByRole('button', { name: 'Discard and Wrap Email' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.click(dialog.getByRole('combobox', { name: 'Outcome' }));
    await user.click(screen.getByRole('option', { name: 'No reply needed' }));
    await user.click(confirm);
    expect(discard).toHaveBeenCalledWith(EMAIL_ID, { wrapCodeId: '00000000-0000-4000-8000-0000000000d2' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Discard this email?' })).toBeNull());
  });

  it('a new email has no message above it and is sent with "Send and wrap email"', async () => {
    vi.spyOn(api, 'email').mockResolvedValue(
      buildEmailView({
        message: null,
        thread: [],
        draft: buildDraft({ mode: 'new', subject: 'Your renewal' }),
      }),
    );
    renderInteractionsArea(buildEmailInteraction({ label: 'New email' }));
    const composer = within(await screen.findByRole('region', { name: 'New Email' }));
    expect(composer.getByRole('region', { name: 'Your email' })).toBeTruthy();
    expect(fieldValue(composer, 'Subject')).toBe('Your renewal');
    expect(composer.getByRole('button', { name: 'Send and wrap email' })).toBeTruthy();
    expect(composer.queryByRole('button', { name: 'Reply all' })).toBeNull();
    expect(composer.getByRole('button', { name: 'Delete' })).toBeTruthy();
  });
});
