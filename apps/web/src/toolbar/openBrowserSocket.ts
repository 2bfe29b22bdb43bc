import type { SocketLike } from '@parley/client';

/**
 * A browser WebSocket seen as the client's SocketLike. lib.dom types the handlers as taking
 * an Event, which SocketLike's `(ev: unknown) => void` does not accept, so they are forwarded.
 */
export function openBrowserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const socket: SocketLike = {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onopen: null,
    onclose: null,
    onerror: null,
    onmessage: null,
  };
  ws.onopen = (event) => socket.onopen?.(event);
  ws.onclose = (event) => socket.onclose?.(event);
  ws.onerror = (event) => socket.onerror?.(event);
  ws.onmessage = (event) => socket.onmessage?.(event);
  return socket;
}
