import { attachmentProblem, uploadAttachment } from './attachments';
import type { ChatSession } from './chat-session';
import { ConversationView } from './conversation-view';
import { h, ICONS, icon, replaceChildren } from './dom';
import { WIDGET_CSS } from './styles';
import { surveyForm } from './survey-form';
import { transcriptFileName, transcriptText } from './transcript';

/** How long a notice of the widget's own stays. */
const LOCAL_NOTICE_MS = 8000;

type Screen = 'connecting' | 'refused' | 'offline' | 'survey' | 'chat';

export interface ChatWidgetOptions {
  /** The platform's origin, where attachments go. */
  origin: string;
  session: ChatSession;
  /** Remembers whether the window was open, for a reload (sessionStorage), when available. */
  openFlag?: { get(): boolean; set(open: boolean): void };
}

/**
 * The launcher and the chat window, in a shadow root on a host element of their own. Screens:
 * connecting, refused (the site may not use the channel), offline (outside hours), the survey,
 * and the conversation (which stays after the chat ends, with "Start a new chat").
 */
export class ChatWidget {
  readonly host: HTMLElement;
  private readonly session: ChatSession;
  private readonly launcher: HTMLButtonElement;
  private readonly badge: HTMLSpanElement;
  private readonly panel: HTMLDivElement;
  private readonly title: HTMLHeadingElement;
  private readonly status: HTMLParagraphElement;
  private readonly noticeEl: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly transcriptButton: HTMLButtonElement;
  private readonly endButton: HTMLButtonElement;
  private readonly toolbar: HTMLDivElement;
  private screen: Screen | null = null;
  private conversation: ConversationView | null = null;
  private open = false;
  private uploading = false;
  private localNotice: string | null = null;
  private noticeTimer: number | undefined;

  constructor(private readonly options: ChatWidgetOptions) {
    this.session = options.session;
    this.host = document.createElement('parley-chat');
    // Through the CSSOM, which a page's CSP allows where it refuses style attributes.
    this.host.style.setProperty('all', 'initial');
    const shadow = this.host.attachShadow({ mode: 'open' });
    adoptStyles(shadow);
    this.badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
    this.launcher = h(
      'button',
      {
        type: 'button',
        class: 'launcher',
        'aria-label': 'Chat with us',
        'aria-expanded': 'false',
        'aria-controls': 'parley-chat-panel',
        onclick: () => this.setOpen(!this.open),
      },
      icon(ICONS.chat),
      h('span', { 'aria-hidden': 'true', text: 'Chat with us' }),
      this.badge,
    );
    this.title = h('h2', { class: 'title', id: 'parley-chat-title', text: 'Chat' });
    this.status = h('p', { class: 'status', 'aria-live': 'polite' });
    this.transcriptButton = h(
      'button',
      { type: 'button', class: 'text-button', hidden: true, onclick: () => this.downloadTranscript() },
      icon(ICONS.download),
      'Download transcript',
    );
    this.endButton = h('button', {
      type: 'button',
      class: 'text-button danger',
      hidden: true,
      text: 'End chat',
      onclick: () => this.conversation?.confirmEnd(),
    });
    this.toolbar = h('div', { class: 'toolbar', hidden: true }, this.transcriptButton, this.endButton);
    this.noticeEl = h('div', { class: 'notice', role: 'alert', hidden: true });
    this.body = h('div', { class: 'body' });
    this.panel = h(
      'div',
      {
        class: 'panel',
        id: 'parley-chat-panel',
        role: 'dialog',
        'aria-labelledby': 'parley-chat-title',
        hidden: true,
        onkeydown: (event) => {
          if ((event as KeyboardEvent).key === 'Escape') this.setOpen(false);
        },
      },
      h(
        'div',
        { class: 'header' },
        h('div', { class: 'titles' }, this.title, this.status),
        h(
          'button',
          {
            type: 'button',
            class: 'icon-button',
            'aria-label': 'Minimise chat',
            title: 'Minimise',
            onclick: () => this.setOpen(false),
          },
          icon(ICONS.minimise),
        ),
      ),
      this.toolbar,
      this.noticeEl,
      this.body,
    );
    shadow.append(h('div', { class: 'root' }, this.panel, this.launcher));
    this.session.onChange(() => this.render());
    document.addEventListener('visibilitychange', () => this.markRead());
    window.addEventListener('online', () => this.session.reconnectNow());
    this.render();
    // A chat in progress reconnects at once (its messages may be waiting); otherwise on first open.
    if (this.session.chat) this.session.connect();
    if (options.openFlag?.get()) this.setOpen(true);
  }

  setOpen(open: boolean): void {
    this.open = open;
    this.options.openFlag?.set(open);
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      this.session.connect();
      this.render();
      this.focusFirst();
    } else {
      this.launcher.focus();
    }
  }

  private render(): void {
    const s = this.session;
    this.title.textContent = s.channel?.name ?? 'Chat';
    this.status.textContent = this.statusText();
    const notice = this.localNotice ?? s.notice;
    this.noticeEl.hidden = !notice;
    this.noticeEl.textContent = notice ?? '';
    this.transcriptButton.hidden = !s.chat;
    this.endButton.hidden = !s.chat || s.ended;
    this.toolbar.hidden = !s.chat;
    const screen = this.currentScreen();
    if (screen !== this.screen) this.show(screen);
    if (screen === 'chat') this.conversation?.update();
    if (screen === 'survey') {
      const submit = this.body.querySelector<HTMLButtonElement>('button[type=submit]');
      // Not `disabled`: that would drop the focus the customer has on it while the chat starts.
      submit?.setAttribute('aria-disabled', String(s.starting));
    }
    this.updateBadge();
    this.markRead();
  }

  private currentScreen(): Screen {
    const s = this.session;
    if (s.phase === 'refused' && !s.chat) return 'refused';
    if (s.chat) return 'chat';
    if (!s.channel) return 'connecting';
    return s.channel.open ? 'survey' : 'offline';
  }

  private show(screen: Screen): void {
    const s = this.session;
    const hadFocus = this.panel.contains(this.host.shadowRoot?.activeElement ?? null);
    this.screen = screen;
    this.conversation = null;
    switch (screen) {
      case 'connecting':
        replaceChildren(
          this.body,
          h('div', { class: 'scroll' }, h('p', { class: 'info', text: 'Connecting…' })),
        );
        break;
      case 'refused':
        replaceChildren(this.body, h('div', { class: 'scroll' }));
        break;
      case 'offline':
        replaceChildren(
          this.body,
          h(
            'div',
            { class: 'scroll' },
            h('p', { class: 'info', text: s.channel?.offlineMessage || 'We are not available right now.' }),
          ),
        );
        break;
      case 'survey':
        replaceChildren(
          this.body,
          h(
            'div',
            { class: 'scroll' },
            surveyForm(s.channel?.survey ?? [], s.starting, (answers) => s.start(answers)),
          ),
        );
        break;
      case 'chat':
        this.conversation = new ConversationView(s, this.options.origin, {
          attach: (file) => void this.attach(file),
          sent: () => this.setLocalNotice(null),
        });
        replaceChildren(this.body, this.conversation.element);
        break;
    }
    // Focus follows the customer's own steps in the window; it is never taken from the page.
    if (hadFocus) this.focusFirst();
  }

  private statusText(): string {
    const s = this.session;
    if (s.phase === 'refused') return 'Unavailable';
    if (s.ended) return 'Chat ended';
    if (s.reconnecting) return 'Reconnecting…';
    if (s.chat) {
      return s.chat.state === 'active'
        ? `Chatting with ${s.chat.agentName ?? 'an agent'}`
        : 'Waiting for an agent…';
    }
    if (!s.channel) return s.phase === 'idle' ? '' : 'Connecting…';
    return s.channel.open ? 'We are online' : 'We are offline';
  }

  private updateBadge(): void {
    const s = this.session;
    const unread = this.open
      ? 0
      : s.log.messages.filter((m) => m.from === 'agent' && m.seq > s.seenSeq).length;
    this.badge.hidden = unread === 0;
    this.badge.textContent = String(unread);
    this.launcher.setAttribute('aria-label', unread ? `Chat with us (${unread} unread)` : 'Chat with us');
  }

  /** The agent's messages count as read only while the window is open and the page visible. */
  private markRead(): void {
    if (this.open && document.visibilityState === 'visible' && this.screen === 'chat')
      this.session.markRead();
  }

  private focusFirst(): void {
    if (!this.open) return;
    const target =
      this.conversation?.focusTarget() ??
      this.body.querySelector<HTMLElement>('input, select, textarea, button') ??
      this.panel.querySelector<HTMLElement>('button');
    target?.focus();
  }

  private async attach(file: File): Promise<void> {
    const token = this.session.chat?.token;
    const problem = attachmentProblem(file);
    if (problem || !token || this.uploading) {
      this.setLocalNotice(problem);
      return;
    }
    this.uploading = true;
    this.setLocalNotice(null);
    this.conversation?.setUploading(file.name);
    this.render();
    try {
      this.session.addMessage(await uploadAttachment(this.options.origin, token, file));
    } catch (err) {
      this.setLocalNotice(err instanceof Error ? err.message : 'The file could not be sent.');
    } finally {
      this.uploading = false;
      this.conversation?.setUploading(null);
      this.render();
    }
  }

  /** A problem of the widget's own (a file refused): shown for a while, or until the next message. */
  private setLocalNotice(notice: string | null): void {
    this.localNotice = notice;
    window.clearTimeout(this.noticeTimer);
    if (notice) {
      this.noticeTimer = window.setTimeout(() => this.setLocalNotice(null), LOCAL_NOTICE_MS);
    }
    this.render();
  }

  private downloadTranscript(): void {
    const s = this.session;
    const text = transcriptText(s.channel?.name ?? 'Chat', s.log.messages, s.log.outbox);
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = h('a', {
      href: url,
      download: transcriptFileName(s.log.messages, new Date()),
      hidden: true,
    });
    this.panel.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** Constructed style sheets where supported: a page's CSP that forbids inline styles allows them. */
function adoptStyles(shadow: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_CSS);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(h('style', { text: WIDGET_CSS }));
  }
}
