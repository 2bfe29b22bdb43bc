import {
  CHAT_CLOSE_ENDED,
  CHAT_CLOSE_REFUSED,
  CHAT_SOCKET_PATH,
  ChatClientFrame,
  type ChatServerFrame,
} from '@parley/contract';
import { Value } from '@sinclair/typebox/value';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import { AppError } from '../http/app-error.js';
import { SlidingWindow } from '../http/sliding-window.js';
import type { ChatService, OpenChannel } from './chat.service.js';

/** A message frame is at most 2,000 characters of text in a little JSON (4 bytes a character at worst). */
const MAX_FRAME_BYTES = 10 * 1024;
const CLOSE_INVALID = 1008;
const CLOSE_TOO_BIG = 1009;

export interface ChatSocketLimits {
  /** Sockets one address may hold open at once. */
  socketsPerSource: number;
  /** Chats one address may start a minute. */
  startsPerMinute: number;
  /** Messages one chat's customer may send in 10 s. */
  messagesPer10s?: number;
}

type Socket = { send(frame: ChatServerFrame): void; close(code: number, reason: string): void };

/**
 * The widget's public WebSocket. The page's Origin must be one the channel allows; the chat is
 * then the socket's after `start` or a resume with its token, and nothing else is reachable.
 * Limits: open sockets and chats started per address, messages per chat, frame size. Frames of
 * one socket are handled one after another; chat events from the bus reach every socket on the
 * chat (a reload's new socket and the old one alike), each side dropping a seq it already has.
 */
export class ChatSockets {
  private readonly byChat = new Map<string, Set<Socket>>();
  private readonly perSource = new Map<string, number>();
  private readonly starts: SlidingWindow;
  private readonly messages: SlidingWindow;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly chats: ChatService,
    bus: EventBus,
    clock: Clock,
    private readonly limits: ChatSocketLimits,
    private readonly log: FastifyBaseLogger,
  ) {
    this.starts = new SlidingWindow(clock, { perWindow: limits.startsPerMinute, windowMs: 60_000 });
    this.messages = new SlidingWindow(clock, { perWindow: limits.messagesPer10s ?? 30, windowMs: 10_000 });
    this.unsubscribe = bus.subscribe((e) => {
      if (!e.type.startsWith('chat.') || !('chatId' in e)) return;
      const sockets = this.byChat.get(e.chatId);
      if (!sockets) return;
      let frame: ChatServerFrame | undefined;
      if (e.type === 'chat.message') frame = { type: 'message', message: e.message };
      else if (e.type === 'chat.state') frame = { type: 'state', state: e.state, agentName: e.agentName };
      else if (e.type === 'chat.typing' && e.from === 'agent')
        frame = { type: 'typing', typing: e.typing, name: e.name };
      else if (e.type === 'chat.read' && e.by === 'agent') frame = { type: 'read', seq: e.seq };
      if (frame) for (const s of sockets) s.send(frame);
    });
  }

  /** Sockets open now (the benchmark reads it). */
  get open(): number {
    let n = 0;
    for (const v of this.perSource.values()) n += v;
    return n;
  }

  close(): void {
    this.unsubscribe();
  }

  register(app: FastifyInstance): void {
    app.get(
      CHAT_SOCKET_PATH,
      { websocket: true, config: { access: 'public' }, schema: { hide: true } },
      (socket, req) => this.accept(socket, req.ip, req.headers.origin),
    );
  }

  private accept(ws: WebSocket, source: string, origin: string | undefined): void {
    const socket: Socket = {
      send: (frame) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
      },
      close: (code, reason) => ws.close(code, reason),
    };
    const held = this.perSource.get(source) ?? 0;
    if (held >= this.limits.socketsPerSource) {
      socket.send({ type: 'error', code: 'RATE_LIMITED', message: 'Too many chats open from your address' });
      socket.close(CHAT_CLOSE_REFUSED, 'too many sockets');
      return;
    }
    this.perSource.set(source, held + 1);
    let channel: OpenChannel | undefined;
    let chatId: string | undefined;
    let work: Promise<void> = Promise.resolve();
    let closed = false;

    const join = (id: string) => {
      chatId = id;
      const set = this.byChat.get(id) ?? new Set();
      this.byChat.set(id, set);
      set.add(socket);
      this.chats.customerConnected(id);
    };
    const fail = (err: unknown, fatal: boolean) => {
      if (err instanceof AppError) socket.send({ type: 'error', code: err.code, message: err.message });
      else {
        this.log.error({ err }, 'chat frame failed');
        socket.send({ type: 'error', code: 'INTERNAL', message: 'Something went wrong; try again' });
      }
      if (fatal) socket.close(CHAT_CLOSE_REFUSED, 'refused');
    };
    const invalid = (message: string, code = CLOSE_INVALID) => {
      socket.send({ type: 'error', code: 'WS_INVALID_FRAME', message });
      socket.close(code, 'invalid frame');
    };

    const handle = async (frame: ChatClientFrame): Promise<void> => {
      if (frame.type === 'ping') {
        socket.send({ type: 'pong', t: frame.t });
        return;
      }
      if (frame.type === 'hello') {
        if (channel) return invalid('hello was already sent');
        try {
          channel = await this.chats.channel(frame.channelId, origin);
        } catch (err) {
          return fail(err, true);
        }
        socket.send({ type: 'channel', channel: channel.info });
        if (!frame.resume) return;
        try {
          const chat = await this.chats.resume(channel, frame.resume.token);
          socket.send({ type: 'chat', ...chat });
          if (closed) return this.chats.customerDisconnected(chat.chatId);
          join(chat.chatId);
          for (const message of await this.chats.messagesAfter(chat.chatId, frame.resume.seq))
            socket.send({ type: 'message', message });
        } catch (err) {
          fail(err, false);
        }
        return;
      }
      if (!channel) return invalid('Send hello first');
      if (frame.type === 'start') {
        if (chatId) return invalid('This socket already has a chat');
        const verdict = this.starts.take(source);
        if (!verdict.ok) {
          socket.send({
            type: 'error',
            code: 'RATE_LIMITED',
            message: `Too many chats from your address; try again in ${verdict.retryAfterSeconds} s`,
          });
          return;
        }
        const chat = await this.chats.start(channel, origin ?? '', frame.survey);
        socket.send({ type: 'chat', ...chat });
        // Gone before the chat was made: the customer has the grace to come back, as after any drop.
        if (closed) this.chats.customerDisconnected(chat.chatId);
        else join(chat.chatId);
        return;
      }
      if (!chatId) return invalid('Start or resume a chat first');
      switch (frame.type) {
        case 'message': {
          if (!this.messages.take(chatId).ok) {
            socket.send({
              type: 'error',
              code: 'RATE_LIMITED',
              message: 'You are sending too fast; wait a moment',
            });
            return;
          }
          // The ack: the stored message (the same seq when this clientId was stored before).
          socket.send({
            type: 'message',
            message: await this.chats.customerSends(chatId, frame.clientId, frame.text),
          });
          return;
        }
        case 'typing':
          return this.chats.customerTyping(chatId, frame.typing);
        case 'read':
          return this.chats.customerRead(chatId, frame.seq);
        case 'end':
          await this.chats.customerEnds(chatId);
          socket.close(CHAT_CLOSE_ENDED, 'chat ended');
          return;
      }
    };

    ws.on('message', (data, isBinary) => {
      if (closed) return;
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
      if (size > MAX_FRAME_BYTES)
        return invalid(`Frames are at most ${MAX_FRAME_BYTES} bytes`, CLOSE_TOO_BIG);
      let frame: unknown;
      try {
        frame = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        frame = undefined;
      }
      if (!Value.Check(ChatClientFrame, frame)) return invalid('Unknown or malformed frame');
      const checked = frame;
      work = work.then(() => handle(checked)).catch((err) => fail(err, false));
    });
    ws.on('close', () => {
      closed = true;
      const left = (this.perSource.get(source) ?? 1) - 1;
      if (left > 0) this.perSource.set(source, left);
      else this.perSource.delete(source);
      if (!chatId) return;
      const set = this.byChat.get(chatId);
      set?.delete(socket);
      if (set?.size === 0) this.byChat.delete(chatId);
      this.chats.customerDisconnected(chatId);
    });
  }
}
