import { Anchor } from '@mantine/core';
import { Fragment } from 'react';

export interface MessageTextProps {
  text: string;
}

/** http(s) links, up to a space or a character that cannot end one. */
const LINK = /https?:\/\/[^\s<>"'`]+/g;
/** Punctuation after a link belongs to the sentence, not the link ("see https://a.example/x."). */
const TRAILING = /[.,;:!?)\]}]+$/;

/** Splits a message into text and the links in it. */
export function linkParts(text: string): { text: string; href?: string }[] {
  const parts: { text: string; href?: string }[] = [];
  let from = 0;
  for (const match of text.matchAll(LINK)) {
    const href = match[0].replace(TRAILING, '');
    const at = match.index;
    if (at > from) parts.push({ text: text.slice(from, at) });
    parts.push({ text: href, href });
    from = at + href.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from) });
  return parts;
}

/**
 * A chat message as plain text (whatever HTML it holds shows as written), with its web links
 * made clickable; they open apart from the toolbar, which they cannot reach back to.
 */
export function MessageText({ text }: MessageTextProps) {
  return (
    <>
      {linkParts(text).map((part, index) =>
        part.href ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one message never reorder
          <Anchor key={index} href={part.href} target="_blank" rel="noopener noreferrer" inherit>
            {part.text}
          </Anchor>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one message never reorder
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}
