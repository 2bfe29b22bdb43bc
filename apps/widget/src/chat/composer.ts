import { h, ICONS, icon } from './dom';
import { CHAT_ATTACHMENT_TYPES, CHAT_MESSAGE_MAX } from './protocol';

/** The counter shows when fewer characters than this are left. */
const COUNTER_FROM = 200;

export interface ComposerHandlers {
  /** Sends the text; false when it was not taken (it then stays in the box). */
  send(text: string): boolean;
  typing(text: string): void;
  attach(file: File): void;
}

/** The text box with Send and Attach file: Enter sends, Shift+Enter makes a new line. */
export class Composer {
  readonly element: HTMLFormElement;
  private readonly box: HTMLTextAreaElement;
  private readonly counter: HTMLDivElement;
  private readonly attachButton: HTMLButtonElement;

  constructor(private readonly handlers: ComposerHandlers) {
    this.box = h('textarea', {
      'aria-label': 'Your message',
      placeholder: 'Write a message…',
      rows: 2,
      maxlength: CHAT_MESSAGE_MAX,
      oninput: () => this.handleInput(),
      onkeydown: (event) => this.handleKeyDown(event as KeyboardEvent),
    });
    const file = h('input', {
      type: 'file',
      accept: CHAT_ATTACHMENT_TYPES.join(','),
      hidden: true,
      tabindex: -1,
      'aria-hidden': 'true',
      onchange: () => {
        const chosen = file.files?.[0];
        file.value = '';
        if (chosen) this.handlers.attach(chosen);
      },
    });
    this.attachButton = h(
      'button',
      {
        type: 'button',
        class: 'icon-button',
        'aria-label': 'Attach file',
        title: 'Attach file',
        onclick: () => file.click(),
      },
      icon(ICONS.attach),
    );
    this.counter = h('div', { class: 'counter', 'aria-live': 'polite' });
    this.element = h(
      'form',
      { class: 'composer', onsubmit: (event) => this.handleSubmit(event) },
      this.box,
      file,
      this.attachButton,
      h('button', { type: 'submit', class: 'primary', text: 'Send' }),
    );
  }

  /** The counter goes below the form (it is not part of the row). */
  get counterElement(): HTMLDivElement {
    return this.counter;
  }

  setUploading(uploading: boolean): void {
    this.attachButton.disabled = uploading;
  }

  focus(): void {
    this.box.focus();
  }

  private handleSubmit(event: Event): void {
    event.preventDefault();
    const text = this.box.value;
    if (!text.trim()) return;
    if (this.handlers.send(text)) {
      this.box.value = '';
      this.updateCounter();
    }
    this.box.focus();
  }

  private handleKeyDown(event: KeyboardEvent): void {
    // isComposing: Enter that confirms an input method's candidate is not a send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.element.requestSubmit();
  }

  private handleInput(): void {
    this.handlers.typing(this.box.value);
    this.updateCounter();
  }

  private updateCounter(): void {
    const left = CHAT_MESSAGE_MAX - this.box.value.length;
    this.counter.textContent = left < COUNTER_FROM ? `${left} characters left` : '';
  }
}
