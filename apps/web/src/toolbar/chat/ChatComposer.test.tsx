import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithMantine } from '../../testing/renderWithMantine';
import { ChatComposer } from './ChatComposer';
import { ACME, GREETING } from './testChats';
import { TYPING_IDLE_MS } from './useTypingNotice';

const context = {
  agentName: 'Alice Agent',
  contactName: 'Kim',
  survey: [
    { key: 'name', label: 'Name', value: 'Kim' },
    { key: 'email', label: 'Email', value: 'kim@example.com' },
  ],
};
const ACME_TEXT = 'The ACME Corporation Pty Limited ACN 22 555 903 134';

function renderComposer(draft = '') {
  const onSend = vi.fn();
  const onTyping = vi.fn();
  const onDraftChange = vi.fn();
  renderWithMantine(
    <ChatComposer
      draft={draft}
      onDraftChange={onDraftChange}
      onSend={onSend}
      onTyping={onTyping}
      cannedResponses={[ACME, GREETING]}
      context={context}
    />,
  );
  const box = screen.getByRole('textbox', { name: 'Type a message' }) as HTMLTextAreaElement;
  return { box, onSend, onTyping, onDraftChange };
}

describe('the chat text box', () => {
  it('turns "/" + snippet + space into the canned text where it was typed, in any case', async () => {
    const user = userEvent.setup();
    const { box, onSend } = renderComposer();

    await user.type(box, 'Hi, we are /ACME ');
    expect(box.value).toBe(`Hi, we are ${ACME_TEXT} `);
    await user.type(box, 'and /acme ');
    expect(box.value).toBe(`Hi, we are ${ACME_TEXT} and ${ACME_TEXT} `);
    expect(onSend).not.toHaveBeenCalled();

    // In the middle of the text, the caret stays after what was put in.
    await user.clear(box);
    await user.type(box, 'Call  today');
    box.setSelectionRange(5, 5);
    await user.type(box, '/ACME ', { initialSelectionStart: 5, initialSelectionEnd: 5 });
    expect(box.value).toBe(`Call ${ACME_TEXT}  today`);
    expect(box.selectionStart).toBe(`Call ${ACME_TEXT} `.length);
  });

  it('leaves a snippet no response has, or one not followed by a space, as typed', async () => {
    const user = userEvent.setup();
    const { box } = renderComposer();
    await user.type(box, '/nothing here and /ACME');
    expect(box.value).toBe('/nothing here and /ACME');
    await user.type(box, '{Backspace}E.');
    expect(box.value).toBe('/nothing here and /ACME.');
    // Only a snippet on its own: a path or a word with a slash in it stays.
    await user.clear(box);
    await user.type(box, 'see a/ACME ');
    expect(box.value).toBe('see a/ACME ');
  });

  it("fills the agent's name and the contact's survey answers into the canned text", async () => {
    const user = userEvent.setup();
    const { box } = renderComposer();
    await user.type(box, '/HELLO ');
    expect(box.value).toBe('Hello Kim, I am Alice Agent. We will write to kim@example.com. ');
  });

  it('finds a canned response by snippet or text and adds it at the caret, to edit before sending', async () => {
    const user = userEvent.setup();
    const { box, onSend } = renderComposer();
    await user.type(box, 'Dear customer, ');
    await user.type(box, '!', { initialSelectionStart: 0, initialSelectionEnd: 0 });
    expect(box.value).toBe('!Dear customer, ');

    await user.click(screen.getByRole('button', { name: 'Canned responses' }));
    const picker = within(screen.getByRole('dialog', { name: 'Canned responses' }));
    await user.type(picker.getByRole('searchbox', { name: 'Search canned responses' }), 'corporation');
    expect(picker.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      `/ACME${ACME_TEXT}Add to Text`,
    ]);
    await user.clear(picker.getByRole('searchbox', { name: 'Search canned responses' }));
    await user.type(picker.getByRole('searchbox', { name: 'Search canned responses' }), 'hello');
    const item = within(picker.getByRole('listitem', { name: '/hello' }));
    expect(item.getByText('Hello Kim, I am Alice Agent. We will write to kim@example.com.')).toBeTruthy();
    await user.click(item.getByRole('button', { name: 'Add to Text' }));

    expect(screen.queryByRole('dialog', { name: 'Canned responses' })).toBeNull();
    expect(box.value).toBe('!Hello Kim, I am Alice Agent. We will write to kim@example.com.Dear customer, ');
    expect(onSend).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(box);
    await user.keyboard(' ok');
    expect(box.value).toBe(
      '!Hello Kim, I am Alice Agent. We will write to kim@example.com. okDear customer, ',
    );
  });

  it('sends on Enter, starts a new line on Shift+Enter, and sends nothing empty', async () => {
    const user = userEvent.setup();
    const { box, onSend } = renderComposer();
    await user.type(box, '{Enter}   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    await user.clear(box);
    await user.type(box, 'Line one{Shift>}{Enter}{/Shift}Line two');
    expect(box.value).toBe('Line one\nLine two');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith('Line one\nLine two');
    expect(box.value).toBe('');

    await user.type(box, '  spaced  ');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenLastCalledWith('spaced');
  });

  it('starts with the draft the agent left', () => {
    const { box } = renderComposer('Half a thought');
    expect(box.value).toBe('Half a thought');
  });

  it('says "typing" on the first key, and "not typing" after three idle seconds or on sending', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const { box, onTyping } = renderComposer();

    await user.type(box, 'Hel');
    expect(onTyping.mock.calls).toEqual([[true]]);
    act(() => vi.advanceTimersByTime(TYPING_IDLE_MS - 500));
    await user.type(box, 'lo');
    act(() => vi.advanceTimersByTime(TYPING_IDLE_MS - 500));
    expect(onTyping.mock.calls).toEqual([[true]]);
    act(() => vi.advanceTimersByTime(600));
    expect(onTyping.mock.calls).toEqual([[true], [false]]);

    await user.type(box, '!');
    await user.keyboard('{Enter}');
    expect(onTyping.mock.calls).toEqual([[true], [false], [true], [false]]);
    act(() => vi.advanceTimersByTime(TYPING_IDLE_MS * 2));
    expect(onTyping).toHaveBeenCalledTimes(4);
  });
});
