import {
  CHAT_SOCKET_PATH,
  type ChatClientFrame,
  type ChatMessage,
  type ChatServerFrame,
} from '@parley/contract';
import { WebSocket } from 'ws';
import { until } from './toolbar.js';

/**
 * A chat widget's customer as the platform sees one: a WebSocket from a page on `origin`, the
 * frames it got, and the chat's messages merged by seq (a repeat is dropped, as the widget does).
 */
export async function openCustomer(serverUrl: string, origin: string) {
  const ws = new WebSocket(`${serverUrl.replace('http', 'ws')}${CHAT_SOCKET_PATH}`, { headers: { origin } });
  const frames: ChatServerFrame[] = [];
  const messages = new Map<number, ChatMessage>();
  let closeCode: number | undefined;
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ChatServerFrame;
    frames.push(frame);
    if (frame.type === 'message') messages.set(frame.message.seq, frame.message);
  });
  ws.on('close', (code) => {
    closeCode = code;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const of = <T extends ChatServerFrame['type']>(type: T) =>
    frames.filter((f): f is Extract<ChatServerFrame, { type: T }> => f.type === type);
  return {
    ws,
    frames,
    of,
    send: (frame: ChatClientFrame | Record<string, unknown>) => ws.send(JSON.stringify(frame)),
    /** The messages in seq order. */
    messages: () => [...messages.values()].sort((a, b) => a.seq - b.seq),
    lastSeq: () => Math.max(0, ...messages.keys()),
    closeCode: () => closeCode,
    /** Waits for the first frame of this type that passes `match`, counting from `from`. */
    async next<T extends ChatServerFrame['type']>(
      type: T,
      match: (f: Extract<ChatServerFrame, { type: T }>) => boolean = () => true,
      ms = 5000,
    ) {
      let found: Extract<ChatServerFrame, { type: T }> | undefined;
      await until(
        () => {
          found = of(type).find(match);
          return found !== undefined;
        },
        `a ${type} frame (got ${frames.map((f) => f.type).join(', ')})`,
        ms,
      );
      return found as Extract<ChatServerFrame, { type: T }>;
    },
    closed: () => until(() => closeCode !== undefined, 'the socket closed'),
    close: () => ws.close(),
  };
}

export type Customer = Awaited<ReturnType<typeof openCustomer>>;
