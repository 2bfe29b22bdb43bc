import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { type CannedResponse, CHAT_MESSAGE_MAX } from '@parley/contract';
import IconSend from '@tabler/icons-react/icons/IconSend';
import { type ChangeEvent, type KeyboardEvent, useLayoutEffect, useRef, useState } from 'react';
import { CannedResponsesPicker } from './CannedResponsesPicker';
import { type CannedContext, expandSnippet, insertText, type TextAndCaret } from './cannedText';
import { useTypingNotice } from './useTypingNotice';

export interface ChatComposerProps {
  /** What the agent had typed here before (the tab was closed, or another chosen). */
  draft: string;
  onDraftChange: (text: string) => void;
  onSend: (text: string) => void;
  /** Tells the customer whether the agent is typing (already throttled here). */
  onTyping: (typing: boolean) => void;
  cannedResponses: readonly CannedResponse[];
  context: CannedContext;
  /** Why nothing can be sent (the chat has ended); undefined while it can. */
  closedReason?: string | undefined;
}

/** From here on, the text box says how much room is left. */
const COUNT_FROM = CHAT_MESSAGE_MAX - 200;

/**
 * The text box of a chat: Enter sends, Shift+Enter starts a new line; "/" + snippet + space puts
 * a canned response in its place, and the canned responses icon adds one at the caret.
 */
export function ChatComposer({
  draft,
  onDraftChange,
  onSend,
  onTyping,
  cannedResponses,
  context,
  closedReason,
}: ChatComposerProps) {
  const [text, setText] = useState(draft);
  const box = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes once React has written the new value (which moves it to the end). */
  const caret = useRef<number | undefined>(undefined);
  const typing = useTypingNotice(onTyping);
  const closed = closedReason !== undefined;

  useLayoutEffect(() => {
    const at = caret.current;
    if (at === undefined || !box.current) return;
    caret.current = undefined;
    box.current.setSelectionRange(at, at);
  });

  function change(next: TextAndCaret) {
    caret.current = next.caret;
    setText(next.text);
    onDraftChange(next.text);
  }

  function handleChange(event: ChangeEvent<HTMLTextAreaElement>) {
    const element = event.currentTarget;
    const typed = { text: element.value, caret: element.selectionStart ?? element.value.length };
    // Only what was just typed expands: deleting back to "/acme " leaves it be.
    const grew = typed.text.length > text.length;
    change((grew && expandSnippet(typed, cannedResponses, context)) || typed);
    if (typed.text) typing.typed();
    else typing.stopped();
  }

  function handleAdd(inserted: string) {
    const element = box.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? start;
    change(insertText({ text: text.slice(0, start) + text.slice(end), caret: start }, inserted));
    element?.focus();
  }

  function handleSend() {
    const message = text.trim();
    if (!message || closed) return;
    onSend(message);
    change({ text: '', caret: 0 });
    typing.stopped();
  }

  function handleKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    handleSend();
  }

  return (
    <Stack gap={6}>
      <Textarea
        ref={box}
        aria-label="Type a message"
        placeholder={closedReason ?? 'Type a message'}
        autosize
        minRows={2}
        maxRows={6}
        maxLength={CHAT_MESSAGE_MAX}
        value={text}
        disabled={closed}
        onChange={handleChange}
        onKeyDown={handleKeyDown}
        onBlur={typing.stopped}
      />
      <Group justify="space-between" wrap="nowrap">
        <CannedResponsesPicker
          responses={cannedResponses}
          context={context}
          onAdd={handleAdd}
          disabled={closed}
        />
        <Group gap="sm" wrap="nowrap">
          {text.length >= COUNT_FROM && (
            <Text size="xs" c={text.length >= CHAT_MESSAGE_MAX ? 'red' : 'dimmed'} aria-live="polite">
              {text.length} / {CHAT_MESSAGE_MAX}
            </Text>
          )}
          <Button
            size="sm"
            rightSection={<IconSend size={16} aria-hidden />}
            disabled={closed || !text.trim()}
            onClick={handleSend}
          >
            Send
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
