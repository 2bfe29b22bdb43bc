import { ChatConnection, type SocketLike } from './chat-connection';
import { ChatLog } from './chat-log';
import {
  CHAT_CLOSE_ENDED,
  CHAT_CLOSE_REFUSED,
  CHAT_MESSAGE_MAX,
  type ChatChannelInfo,
  type ChatClientFrame,
  type ChatMessage,
  type ChatServerFrame,
  type ChatState,
} from './protocol';
import type { ChatStorage } from './saved-chat';
import type { Timers } from './timers';
import { TypingNotifier } from './typing-notifier';

/** An agent's typing mark goes away by itself after this long without news. */
export const AGENT_TYPING_MS = 15_000;
/** After RATE_LIMITED, the outbox is tried again after this long. */
export const RATE_RETRY_MS = 5000;

export interface ChatSessionDeps {
  channelId: string;
  socketUrl: string;
  storage: ChatStorage;
  openSocket: (url: string) => SocketLike;
  timers: Timers;
  newId: () => string;
  random?: () => number;
}

export interface ChatInfo {
  chatId: string;
  token: string;
  state: ChatState;
  agentName: string | null;
}

/** 'idle': not connected yet; 'refused': this site may not use the channel (no retry). */
export type Phase = 'idle' | 'connecting' | 'ready' | 'refused';

/**
 * The customer's side of one channel's chat: the protocol over the connection (hello, resume,
 * start, the outbox sent again after each resume), the conversation (ChatLog) and what
 * survives a reload (ChatStorage). The view reads its fields after each `onChange`.
 */
export class ChatSession {
  phase: Phase = 'idle';
  channel: ChatChannelInfo | null = null;
  chat: ChatInfo | null = null;
  log: ChatLog;
  /** The name of the agent typing now, or null. */
  agentTyping: string | null = null;
  /** The socket dropped and a reconnect is due. */
  reconnecting = false;
  /** A start was sent and its chat has not come yet. */
  starting = false;
  /** The latest problem to show the customer, or null. */
  notice: string | null = null;
  /** The customer has seen the agent's messages up to this seq. */
  seenSeq: number;

  private readonly connection: ChatConnection;
  /** The socket has its chat (the answer to start or resume): messages may be sent. */
  private bound = false;
  private lastError: string | null = null;
  private sentReadSeq = 0;
  private endWanted = false;
  private readonly timer = new Map<'typing' | 'retry', unknown>();
  private readonly listeners = new Set<() => void>();
  private readonly notifier: TypingNotifier;

  constructor(private readonly deps: ChatSessionDeps) {
    const saved = deps.storage.load();
    this.log = new ChatLog(saved?.outbox, saved?.agentReadSeq);
    this.seenSeq = saved?.seenSeq ?? 0;
    // The state is unknown until the platform answers the resume; 'queued' shows the conversation.
    if (saved) this.chat = { chatId: saved.chatId, token: saved.token, state: 'queued', agentName: null };
    this.notifier = new TypingNotifier((typing) => this.sendFrame({ type: 'typing', typing }), deps.timers);
    this.connection = new ChatConnection(deps, {
      open: () => this.handleOpen(),
      frame: (frame) => this.handleFrame(frame),
      closed: (code) => this.handleClose(code),
    });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get ended(): boolean {
    return this.chat?.state === 'ended';
  }

  /** Opens the socket unless it is open, opening, or refused. */
  connect(): void {
    if (this.phase === 'refused') return;
    if (this.phase === 'idle') this.phase = 'connecting';
    this.connection.open();
    this.emit();
  }

  /** The network is back (the browser said so): try now rather than at the end of the backoff. */
  reconnectNow(): void {
    this.connection.retryNow();
  }

  start(answers: Record<string, string>): void {
    if (this.starting || this.chat) return;
    this.notice = null;
    this.starting = this.sendFrame({ type: 'start', survey: answers });
    if (!this.starting) this.notice = 'Not connected yet. Please try again in a moment.';
    this.emit();
  }

  /** Sends a message, or keeps it in the outbox until the socket has its chat again. */
  send(text: string): boolean {
    if (!this.chat || this.ended || !text.trim() || text.length > CHAT_MESSAGE_MAX) return false;
    const entry = { clientId: this.deps.newId(), text, at: new Date(this.deps.timers.now()).toISOString() };
    this.log.enqueue(entry);
    this.save();
    this.notifier.stop();
    if (this.bound) this.sendFrame({ type: 'message', clientId: entry.clientId, text });
    this.emit();
    return true;
  }

  /** The text box changed. */
  typing(text: string): void {
    if (this.bound && !this.ended) this.notifier.input(text);
  }

  /** The customer can see the conversation: report the agent's messages as read. */
  markRead(): void {
    const seq = this.log.lastAgentSeq;
    if (seq > this.seenSeq) {
      this.seenSeq = seq;
      this.save();
    }
    if (!this.bound || seq <= this.sentReadSeq) return;
    if (this.sendFrame({ type: 'read', seq })) this.sentReadSeq = seq;
  }

  end(): void {
    if (!this.chat || this.ended) return;
    this.notifier.stop();
    if (this.bound) this.sendFrame({ type: 'end' });
    else this.endWanted = true;
  }

  /** Forgets the ended (or lost) chat and connects afresh for a new survey. */
  newChat(): void {
    this.forgetChat();
    this.notice = null;
    this.connection.drop();
    this.connection.settled();
    this.connect();
  }

  /** An attachment's message, from the upload's answer (its frame may come too; merged once). */
  addMessage(message: ChatMessage): void {
    if (this.log.merge(message)) this.emit();
  }

  /** Stops everything (the widget is removed). */
  close(): void {
    this.phase = 'refused';
    this.connection.close();
    for (const key of [...this.timer.keys()]) this.clearTimer(key);
    this.listeners.clear();
  }

  private handleOpen(): void {
    const { channelId } = this.deps;
    this.sendFrame(
      this.chat
        ? { type: 'hello', channelId, resume: { token: this.chat.token, seq: this.log.lastSeq } }
        : { type: 'hello', channelId },
    );
  }

  private handleFrame(frame: ChatServerFrame): void {
    switch (frame.type) {
      case 'channel':
        this.channel = frame.channel;
        this.phase = 'ready';
        this.reconnecting = false;
        this.connection.settled();
        break;
      case 'chat':
        this.handleChat(frame);
        break;
      case 'message':
        if (frame.message.from === 'agent') this.agentTyping = null;
        if (!this.log.merge(frame.message)) return;
        this.save();
        break;
      case 'state':
        if (!this.chat) return;
        this.chat = { ...this.chat, state: frame.state, agentName: frame.agentName ?? this.chat.agentName };
        if (frame.state === 'ended') this.stopTyping();
        break;
      case 'typing':
        this.agentTyping = frame.typing ? (frame.name ?? this.chat?.agentName ?? 'The agent') : null;
        this.clearTimer('typing');
        if (frame.typing) this.setTimer('typing', AGENT_TYPING_MS, () => this.setAgentTyping(null));
        break;
      case 'read':
        if (!this.log.markReadByAgent(frame.seq)) return;
        this.save();
        break;
      case 'pong':
        return;
      case 'error':
        this.handleError(frame.code, frame.message);
        break;
    }
    this.emit();
  }

  private handleChat(frame: Extract<ChatServerFrame, { type: 'chat' }>): void {
    this.chat = { chatId: frame.chatId, token: frame.token, state: frame.state, agentName: frame.agentName };
    this.bound = true;
    this.starting = false;
    this.sentReadSeq = 0;
    this.save();
    this.flushOutbox();
    if (this.endWanted && !this.ended) this.sendFrame({ type: 'end' });
    this.endWanted = false;
  }

  private handleError(code: string, message: string): void {
    this.lastError = code;
    this.starting = false;
    switch (code) {
      case 'CHAT_TOKEN_INVALID':
        // The saved chat is gone (expired, or another browser's): start over with the survey.
        this.forgetChat();
        this.notice = 'Your previous chat could not be resumed.';
        return;
      case 'CHAT_ORIGIN_REFUSED':
        this.phase = 'refused';
        this.notice = 'Chat is not available on this website.';
        return;
      case 'CHAT_CHANNEL_CLOSED':
        if (this.channel) this.channel = { ...this.channel, open: false };
        return;
      case 'CHAT_ENDED':
        if (this.chat) this.chat = { ...this.chat, state: 'ended' };
        return;
      case 'RATE_LIMITED':
        this.notice = 'You are sending messages too quickly. Trying again shortly…';
        this.setTimer('retry', RATE_RETRY_MS, () => {
          this.timer.delete('retry');
          this.notice = null;
          this.flushOutbox();
          this.emit();
        });
        return;
      default:
        this.notice = message;
    }
  }

  private handleClose(code: number): void {
    this.bound = false;
    // A start whose chat never came may be pressed again once reconnected.
    this.starting = false;
    this.stopTyping();
    this.notifier.reset();
    if (this.phase !== 'refused') this.afterDrop(code);
    this.emit();
  }

  /** Refused for good, ended, or a drop to reconnect after. */
  private afterDrop(code: number): void {
    const tokenRefused = this.lastError === 'CHAT_TOKEN_INVALID';
    // Too many sockets from this address (a busy office, many tabs) is worth trying again later.
    const retryable = tokenRefused || this.lastError === 'RATE_LIMITED';
    this.lastError = null;
    if (code === CHAT_CLOSE_REFUSED && !retryable) {
      this.phase = 'refused';
      this.notice ??= 'Chat is not available on this website.';
    } else if (code === CHAT_CLOSE_ENDED && this.chat) {
      this.chat = { ...this.chat, state: 'ended' };
    } else if (!this.ended) {
      // An ended chat needs no socket until the customer starts a new one.
      this.reconnecting = true;
      this.connection.retry(tokenRefused);
    }
  }

  private flushOutbox(): void {
    if (!this.bound || this.ended) return;
    for (const entry of this.log.outbox) {
      this.sendFrame({ type: 'message', clientId: entry.clientId, text: entry.text });
    }
  }

  private sendFrame(frame: ChatClientFrame): boolean {
    return this.connection.send(frame);
  }

  private setAgentTyping(name: string | null): void {
    this.agentTyping = name;
    this.timer.delete('typing');
    this.emit();
  }

  private stopTyping(): void {
    this.agentTyping = null;
    this.clearTimer('typing');
  }

  private forgetChat(): void {
    this.deps.storage.clear();
    this.chat = null;
    this.log = new ChatLog();
    this.sentReadSeq = 0;
    this.seenSeq = 0;
    this.endWanted = false;
    this.bound = false;
  }

  private save(): void {
    if (!this.chat) return;
    this.deps.storage.save({
      chatId: this.chat.chatId,
      token: this.chat.token,
      outbox: [...this.log.outbox],
      agentReadSeq: this.log.agentReadSeq,
      seenSeq: this.seenSeq,
    });
  }

  private setTimer(key: 'typing' | 'retry', ms: number, fn: () => void): void {
    this.clearTimer(key);
    this.timer.set(key, this.deps.timers.setTimeout(fn, ms));
  }

  private clearTimer(key: 'typing' | 'retry'): void {
    const handle = this.timer.get(key);
    if (handle !== undefined) this.deps.timers.clearTimeout(handle);
    this.timer.delete(key);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
