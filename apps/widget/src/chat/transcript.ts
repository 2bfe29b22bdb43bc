import type { OutboxEntry } from './chat-log';
import type { ChatMessage } from './protocol';

const pad = (n: number) => String(n).padStart(2, '0');

/** A time as the customer's clock shows it: YYYY-MM-DD HH:MM:SS. */
export function formatLocalTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Who wrote a message, as the customer reads it. */
export function senderName(message: Pick<ChatMessage, 'from' | 'name'>): string {
  switch (message.from) {
    case 'customer':
      return 'You';
    case 'agent':
      return message.name ?? 'Agent';
    case 'system':
      return 'Notice';
  }
}

function body(message: ChatMessage): string {
  const { attachment } = message;
  if (!attachment) return message.text;
  const text = message.text === attachment.name ? '' : message.text;
  return [text, `[file: ${attachment.name}]`].filter(Boolean).join(' ');
}

/**
 * The conversation as a plain-text file, one line per message (time, sender, text; a message's
 * own line breaks are indented under it). Messages not yet delivered are marked so.
 */
export function transcriptText(
  title: string,
  messages: readonly ChatMessage[],
  unsent: readonly OutboxEntry[] = [],
  formatTime: (iso: string) => string = formatLocalTime,
): string {
  const line = (at: string, who: string, text: string) =>
    `[${formatTime(at)}] ${who}: ${text.replace(/\r?\n/g, '\n    ')}`;
  const lines = [`Chat transcript: ${title}`, ''];
  for (const m of messages) lines.push(line(m.at, senderName(m), body(m)));
  for (const u of unsent) lines.push(line(u.at, 'You (not delivered)', u.text));
  return `${lines.join('\n')}\n`;
}

/** The transcript's file name, from the first message's day. */
export function transcriptFileName(messages: readonly ChatMessage[], now: Date): string {
  const first = messages[0] ? new Date(messages[0].at) : now;
  const day = Number.isNaN(first.getTime()) ? now : first;
  return `chat-transcript-${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}.txt`;
}
