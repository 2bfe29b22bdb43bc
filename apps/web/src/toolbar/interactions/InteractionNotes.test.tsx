import { ApiError } from '@parley/client';
import { act, fireEvent, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { InteractionNotes } from './InteractionNotes';
import { NOTES_SAVE_DELAY_MS, type NotesValues } from './useNotesAutosave';

const INTERACTION_ID = '00000000-0000-4000-8000-0000000000c1';
const empty: NotesValues = { notes: '', transferNotes: '' };

function renderNotes(server: NotesValues = empty) {
  const onSaved = vi.fn();
  const view = renderWithMantine(
    <InteractionNotes
      interactionId={INTERACTION_ID}
      server={server}
      onSaved={onSaved}
      onSessionExpired={vi.fn()}
    />,
  );
  return { onSaved, view };
}

function type(label: string, text: string) {
  fireEvent.change(screen.getByRole('textbox', { name: label }), { target: { value: text } });
}

/** Virtual time passes, and the saves it starts settle. */
async function wait(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

function saveStatus(): string {
  return screen.getByRole('status').textContent ?? '';
}

describe('InteractionNotes', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it('saves the Notes a moment after typing stops, not on every key', async () => {
    const save = vi.spyOn(api, 'saveInteractionNotes').mockResolvedValue();
    const { onSaved } = renderNotes();

    type('Notes', 'Wants');
    await wait(NOTES_SAVE_DELAY_MS - 100);
    type('Notes', 'Wants a callback');
    await wait(NOTES_SAVE_DELAY_MS - 1);
    expect(save).not.toHaveBeenCalled();
    expect(saveStatus()).toBe('');

    await wait(1);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith(INTERACTION_ID, { notes: 'Wants a callback' });
    expect(onSaved).toHaveBeenCalledWith({ notes: 'Wants a callback' });
    expect(saveStatus()).toBe('Saved');
  });

  it('saves the Transfer Notes alone when only they changed', async () => {
    const save = vi.spyOn(api, 'saveInteractionNotes').mockResolvedValue();
    renderNotes({ notes: 'Earlier note', transferNotes: '' });

    type('Transfer Notes', 'Billing question');
    await wait(NOTES_SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledWith(INTERACTION_ID, { transferNotes: 'Billing question' });
  });

  it('saves at once on blur, and only once', async () => {
    const save = vi.spyOn(api, 'saveInteractionNotes').mockResolvedValue();
    renderNotes();

    type('Notes', 'Blurred');
    fireEvent.blur(screen.getByRole('textbox', { name: 'Notes' }));
    await wait(0);
    expect(save).toHaveBeenCalledWith(INTERACTION_ID, { notes: 'Blurred' });

    await wait(NOTES_SAVE_DELAY_MS * 2);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('saves what is left when the panel goes away', async () => {
    const save = vi.spyOn(api, 'saveInteractionNotes').mockResolvedValue();
    const { view } = renderNotes();

    type('Notes', 'Typed just before wrapping');
    view.unmount();
    await wait(0);
    expect(save).toHaveBeenCalledWith(INTERACTION_ID, { notes: 'Typed just before wrapping' });
  });

  it('says when the notes were not saved', async () => {
    vi.spyOn(api, 'saveInteractionNotes').mockRejectedValue(
      new ApiError(422, 'validation_failed', 'Notes are too long', undefined),
    );
    renderNotes();

    type('Notes', 'Too much');
    await wait(NOTES_SAVE_DELAY_MS);
    expect(saveStatus()).toBe('Notes not saved: Notes are too long');
  });

  it('keeps what the agent typed when the server reports older notes', async () => {
    vi.spyOn(api, 'saveInteractionNotes').mockResolvedValue();
    const onSaved = vi.fn();
    const notes = (server: NotesValues) => (
      <InteractionNotes
        interactionId={INTERACTION_ID}
        server={server}
        onSaved={onSaved}
        onSessionExpired={vi.fn()}
      />
    );
    const view = renderWithMantine(notes(empty));

    type('Notes', 'Mine');
    view.rerender(notes({ notes: 'From the server', transferNotes: 'For the next agent' }));
    expect((screen.getByRole('textbox', { name: 'Notes' }) as HTMLTextAreaElement).value).toBe('Mine');
    // A field the agent has not touched takes the server's text.
    expect((screen.getByRole('textbox', { name: 'Transfer Notes' }) as HTMLTextAreaElement).value).toBe(
      'For the next agent',
    );
  });
});
