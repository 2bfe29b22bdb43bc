import type { ChatSession } from './chat-session';
import { Composer } from './composer';
import { h } from './dom';
import { MessageList } from './message-list';

/** Closer to the bottom than this counts as reading the newest messages: new ones scroll in. */
const BOTTOM_SLACK_PX = 48;

/**
 * The conversation screen: the message log, who is typing, and below it the composer, the
 * "end this chat?" question, or (once ended) "Start a new chat".
 */
export class ConversationView {
  readonly element: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly list: MessageList;
  private readonly typing: HTMLDivElement;
  private readonly uploading: HTMLDivElement;
  private readonly composer: Composer;
  private readonly composerArea: HTMLDivElement;
  private readonly confirm: HTMLDivElement;
  private readonly ended: HTMLDivElement;
  private confirming = false;

  constructor(
    private readonly session: ChatSession,
    origin: string,
    handlers: { attach(file: File): void; sent(): void },
  ) {
    this.list = new MessageList(origin, () => session.chat?.token ?? null);
    this.scroller = h('div', { class: 'scroll' }, this.list.element);
    this.typing = h('div', { class: 'typing', 'aria-live': 'polite' });
    this.uploading = h('div', { class: 'typing', 'aria-live': 'polite' });
    this.composer = new Composer({
      send: (text) => {
        const sent = session.send(text);
        if (sent) {
          handlers.sent();
          this.scrollToEnd();
        }
        return sent;
      },
      typing: (text) => session.typing(text),
      attach: handlers.attach,
    });
    this.composerArea = h('div', {}, this.composer.element, this.composer.counterElement);
    this.confirm = h(
      'div',
      { class: 'confirm', hidden: true },
      h('p', { text: 'End this chat?' }),
      h('button', {
        type: 'button',
        class: 'text-button danger',
        text: 'Yes, end',
        onclick: () => {
          this.setConfirming(false);
          session.end();
        },
      }),
      h('button', {
        type: 'button',
        class: 'text-button',
        text: 'Keep chatting',
        onclick: () => this.setConfirming(false),
      }),
    );
    this.ended = h(
      'div',
      { class: 'footer', hidden: true },
      h('p', { text: 'This chat has ended.' }),
      h('button', {
        type: 'button',
        class: 'primary',
        text: 'Start a new chat',
        onclick: () => session.newChat(),
      }),
    );
    this.element = h(
      'div',
      { class: 'body' },
      this.scroller,
      this.typing,
      this.uploading,
      this.composerArea,
      this.confirm,
      this.ended,
    );
    this.update();
  }

  update(): void {
    const s = this.session;
    const atEnd =
      this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < BOTTOM_SLACK_PX;
    this.list.update(s.log.entries(s.ended));
    this.typing.textContent = s.agentTyping && !s.ended ? `${s.agentTyping} is typing…` : '';
    if (s.ended) this.confirming = false;
    this.composerArea.hidden = s.ended || this.confirming;
    this.confirm.hidden = s.ended || !this.confirming;
    this.ended.hidden = !s.ended;
    if (atEnd) this.scrollToEnd();
  }

  /** "End chat" was pressed: ask before ending. */
  confirmEnd(): void {
    this.setConfirming(true);
  }

  setUploading(name: string | null): void {
    this.uploading.textContent = name ? `Sending ${name}…` : '';
    this.composer.setUploading(name !== null);
  }

  /** Where focus goes when the window opens. */
  focusTarget(): HTMLElement | null {
    if (!this.composerArea.hidden) return this.composer.element.querySelector('textarea');
    return (this.confirm.hidden ? this.ended : this.confirm).querySelector('button');
  }

  private setConfirming(confirming: boolean): void {
    this.confirming = confirming;
    this.update();
    this.focusTarget()?.focus();
  }

  private scrollToEnd(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
