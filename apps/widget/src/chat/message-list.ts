import { attachmentUrl } from './attachments';
import type { Delivery, LogEntry } from './chat-log';
import { type Child, h } from './dom';
import { linkify } from './linkify';
import type { ChatAttachment } from './protocol';
import { senderName } from './transcript';

const DELIVERY: Record<Delivery, { text: string; label: string }> = {
  sending: { text: 'Sending…', label: 'Sending' },
  sent: { text: '✓ Sent', label: 'Sent' },
  read: { text: '✓✓ Read', label: 'Read' },
  failed: { text: 'Not sent', label: 'Not sent' },
};

/** The delivery mark of a customer's message: ticks and a word, named for assistive technology. */
function setDelivery(el: HTMLElement, delivery: Delivery): HTMLElement {
  const { text, label } = DELIVERY[delivery];
  el.className = `delivery ${delivery}`;
  el.setAttribute('aria-label', label);
  el.textContent = text;
  return el;
}

function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** A message's text: links for http(s) addresses, text nodes for everything else. */
function textNodes(text: string): Child[] {
  return linkify(text).map((s) =>
    s.type === 'link'
      ? h('a', { href: s.href, target: '_blank', rel: 'noopener noreferrer', text: s.text })
      : s.text,
  );
}

/**
 * The conversation (role=log). Rows are kept by key and redrawn only when what they show
 * changes, so a new message does not disturb a selection or a link being focused elsewhere.
 */
export class MessageList {
  readonly element: HTMLDivElement;
  private readonly rows = new Map<
    string,
    { el: HTMLElement; signature: string; delivery: HTMLElement | null }
  >();

  constructor(
    private readonly origin: string,
    private readonly token: () => string | null,
  ) {
    this.element = h('div', {
      class: 'log',
      role: 'log',
      'aria-label': 'Messages',
      'aria-live': 'polite',
      'aria-relevant': 'additions',
    });
  }

  update(entries: readonly LogEntry[]): void {
    const keep = new Set(entries.map((e) => e.key));
    for (const [key, row] of this.rows) {
      if (!keep.has(key)) {
        row.el.remove();
        this.rows.delete(key);
      }
    }
    let previous: Element | null = null;
    for (const entry of entries) {
      const signature = this.signature(entry);
      let row = this.rows.get(entry.key);
      if (!row || row.signature !== signature) {
        const el = this.render(entry);
        if (row) row.el.replaceWith(el);
        row = { el, signature, delivery: el.querySelector<HTMLElement>('.delivery') };
        this.rows.set(entry.key, row);
      } else if (row.delivery && entry.delivery) {
        // Only the delivery mark changed: updated in place, so the log does not announce the message again.
        setDelivery(row.delivery, entry.delivery);
      }
      const expected: Element | null = previous
        ? previous.nextElementSibling
        : this.element.firstElementChild;
      if (expected !== row.el) {
        if (previous) previous.after(row.el);
        else this.element.prepend(row.el);
      }
      previous = row.el;
    }
  }

  clear(): void {
    this.rows.clear();
    this.element.replaceChildren();
  }

  private signature(entry: LogEntry): string {
    if (entry.kind === 'pending') return `${entry.entry.text}||`;
    const { text, attachment } = entry.message;
    return `${text}|${attachment?.id ?? ''}|${attachment ? this.token() : ''}`;
  }

  private render(entry: LogEntry): HTMLElement {
    if (entry.kind === 'pending') {
      return this.row('customer', null, textNodes(entry.entry.text), entry.entry.at, entry.delivery);
    }
    const m = entry.message;
    // The platform may give a file's message the file's name as its text: shown once, as the link.
    const text = m.attachment && m.text === m.attachment.name ? '' : m.text;
    const body = [...textNodes(text), m.attachment && this.file(m.attachment)];
    return this.row(m.from, m.from === 'agent' ? senderName(m) : null, body, m.at, entry.delivery);
  }

  private row(
    from: 'customer' | 'agent' | 'system',
    who: string | null,
    body: Child[],
    at: string,
    delivery: Delivery | null,
  ): HTMLElement {
    const time = clock(at);
    const speaker = from === 'customer' ? 'You' : from === 'system' ? null : who;
    return h(
      'div',
      { class: `msg ${from}` },
      who && h('div', { class: 'who', text: who }),
      speaker === 'You' && h('span', { class: 'sr-only', text: 'You: ' }),
      h('div', { class: 'bubble' }, ...body),
      h(
        'div',
        { class: 'meta' },
        time && h('time', { datetime: at, text: time }),
        time && delivery && ' · ',
        delivery && setDelivery(h('span', { role: 'img' }), delivery),
      ),
    );
  }

  private file(attachment: ChatAttachment): Child {
    const token = this.token();
    if (!token) return h('span', { class: 'file', text: attachment.name });
    return h('a', {
      class: 'file',
      href: attachmentUrl(this.origin, attachment.id, token),
      download: attachment.name,
      target: '_blank',
      rel: 'noopener noreferrer',
      text: `📎 ${attachment.name}`,
    });
  }
}
