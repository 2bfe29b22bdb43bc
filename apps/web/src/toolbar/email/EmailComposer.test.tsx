import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { renderInteractionsArea } from '../../testing/renderInteractionsArea';
import { loadEmailEditor } from './EmailComposer';
import {
  buildDraft,
  buildEmailInteraction,
  buildEmailPanel,
  buildEmailView,
  EMAIL_ID,
  TEMPLATE_ID,
} from './testEmails';

type Part = ReturnType<typeof within>;

/** The reply, once loaded with its editor (which loads apart from the toolbar). */
const reply = async () => {
  const shown = within(await screen.findByRole('region', { name: 'Your reply' }));
  await shown.findByRole('textbox', { name: 'Body' });
  return shown;
};
const fieldValue = (part: Part, name: string) =>
  (part.getByRole('textbox', { name }) as HTMLInputElement).value;
const body = (part: Part) => part.getByRole('textbox', { name: 'Body' });

const WRITTEN = buildDraft({
  mode: 'reply',
  to: ['kim@example.com'],
  subject: 'Re: Order 42 has not arrived',
  html: '<p>Your parcel left yesterday.</p>',
});

// The editor's code (ProseMirror) is loaded once, before the tests, however long that takes on a
// busy machine: the composer then shows the editor in its first render, as for a second email.
beforeAll(() => loadEmailEditor().then(() => undefined), 60_000);

beforeEach(() => {
  vi.spyOn(api, 'interactionPanel').mockResolvedValue(buildEmailPanel());
  vi.spyOn(api, 'email').mockResolvedValue(buildEmailView({ draft: WRITTEN }));
  vi.spyOn(api, 'saveEmailDraft').mockImplementation(async (_id, draft) => buildDraft(draft));
});

describe('the email composer', () => {
  it('asks before Reply all replaces what the agent wrote', async () => {
    const user = userEvent.setup();
    renderInteractionsArea(buildEmailInteraction());
    const composer = await reply();
    await user.click(composer.getByRole('button', { name: 'Reply all' }));
    const question = within(screen.getByRole('dialog', { name: 'Replace what you have written?' }));
    await user.click(question.getByRole('button', { name: 'Keep my text' }));
    expect(body(composer).textContent).toBe('Your parcel left yesterday.');
    expect(composer.getByRole('button', { name: 'Reply' }).getAttribute('aria-pressed')).toBe('true');

    await user.click(composer.getByRole('button', { name: 'Reply all' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Replace what you have written?' })).getByRole('button', {
        name: 'Replace',
      }),
    );
    expect(body(composer).textContent).toContain('Kim Lee <kim@example.com> wrote:');
    expect(composer.getByRole('button', { name: 'Reply all' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('a template picked fills the draft from the server, after asking when the body was written', async () => {
    const user = userEvent.setup();
    const save = vi.mocked(api.saveEmailDraft).mockResolvedValue(
      buildDraft({
        to: ['kim@example.com'],
        subject: 'We are sorry, Kim',
        html: '<p>Dear Kim Lee, we apologise.</p>',
        templateId: TEMPLATE_ID,
      }),
    );
    renderInteractionsArea(buildEmailInteraction());
    const composer = await reply();
    await user.click(composer.getByRole('combobox', { name: 'Email Template' }));
    await user.click(screen.getByRole('option', { name: 'Apology' }));
    expect(save).not.toHaveBeenCalled();
    await user.click(
      within(screen.getByRole('dialog', { name: 'Replace what you have written?' })).getByRole('button', {
        name: 'Replace',
      }),
    );
    expect(save).toHaveBeenCalledWith(EMAIL_ID, { templateId: TEMPLATE_ID });
    await waitFor(() => expect(fieldValue(composer, 'Subject')).toBe('We are sorry, Kim'));
    expect(body(composer).textContent).toBe('Dear Kim Lee, we apologise.');
    expect((composer.getByRole('combobox', { name: 'Email Template' }) as HTMLInputElement).value).toBe(
      'Apology',
    );
  });

  it('adds files to the draft and removes them', async () => {
    const user = userEvent.setup();
    const add = vi.spyOn(api, 'addEmailAttachment').mockResolvedValue({
      id: '00000000-0000-4000-8000-0000000000b1',
      name: 'label.pdf',
      contentType: 'application/pdf',
      size: 3 * 1024,
      inline: false,
    });
    const remove = vi.spyOn(api, 'removeEmailAttachment').mockResolvedValue();
    renderInteractionsArea(buildEmailInteraction());
    const composer = await reply();
    await user.upload(
      composer.getByLabelText('Attach files'),
      new File(['%PDF-1.4'], 'label.pdf', { type: 'application/pdf' }),
    );
    const files = within(await composer.findByRole('list', { name: 'Attached files' }));
    expect(files.getByText('label.pdf')).toBeTruthy();
    expect(files.getByText('3 KB')).toBeTruthy();
    expect(add).toHaveBeenCalledWith(EMAIL_ID, {
      bytes: expect.any(Uint8Array),
      name: 'label.pdf',
      contentType: 'application/pdf',
    });

    await user.click(files.getByRole('button', { name: 'Remove label.pdf' }));
    expect(remove).toHaveBeenCalledWith(EMAIL_ID, '00000000-0000-4000-8000-0000000000b1');
    await waitFor(() => expect(composer.queryByRole('list', { name: 'Attached files' })).toBeNull());
  });

  it('saves what is typed in the body', async () => {
    // What the editor measures as it types, which jsdom does not lay out.
    const noRects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
    const rect = () => new DOMRect(0, 0, 0, 0);
    for (const proto of [Range.prototype, HTMLElement.prototype, Text.prototype] as object[]) {
      Object.assign(proto, { getClientRects: noRects, getBoundingClientRect: rect });
    }
    Object.assign(document, { elementFromPoint: () => null });
    const user = userEvent.setup();
    vi.spyOn(api, 'email').mockResolvedValue(buildEmailView({ draft: { ...WRITTEN, html: '' } }));
    renderInteractionsArea(buildEmailInteraction());
    const composer = await reply();
    await user.click(body(composer));
    await user.keyboard('Thanks');
    await waitFor(() =>
      expect(api.saveEmailDraft).toHaveBeenLastCalledWith(EMAIL_ID, {
        html: expect.stringContaining('Thanks'),
      }),
    );
  });
});
