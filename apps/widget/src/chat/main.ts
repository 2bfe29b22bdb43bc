import type { SocketLike } from './chat-connection';
import { ChatSession } from './chat-session';
import { ChatWidget } from './chat-widget';
import { CHAT_SOCKET_PATH } from './protocol';
import { ChatStorage, type KeyValueStore, MemoryStore } from './saved-chat';
import { browserTimers } from './timers';

/*
 * chat.js: `<script src="https://<platform>/chat.js" data-channel="<channel id>"></script>`.
 * The platform is wherever this script came from.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** This script's element: currentScript while it runs; the tag with data-channel otherwise. */
function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.channel) return current;
  const tags = document.querySelectorAll<HTMLScriptElement>('script[data-channel]');
  return tags[tags.length - 1] ?? null;
}

function localStore(): KeyValueStore {
  try {
    const store = window.localStorage;
    store.getItem('parley-chat-probe');
    return store;
  } catch {
    return new MemoryStore();
  }
}

function openFlag(channelId: string): { get(): boolean; set(open: boolean): void } {
  const key = `parley-chat-open:${channelId}`;
  return {
    get: () => {
      try {
        return window.sessionStorage.getItem(key) === '1';
      } catch {
        return false;
      }
    },
    set: (open) => {
      try {
        if (open) window.sessionStorage.setItem(key, '1');
        else window.sessionStorage.removeItem(key);
      } catch {
        // Not kept: the window starts closed after a reload.
      }
    },
  };
}

/** A message id of the customer's: random, from getRandomValues (randomUUID needs HTTPS). */
function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A browser WebSocket behind the session's SocketLike. */
function openSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const socket: SocketLike = {
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  ws.onopen = () => socket.onopen?.();
  ws.onmessage = (event) => socket.onmessage?.(event);
  ws.onclose = (event) => socket.onclose?.(event);
  ws.onerror = () => socket.onerror?.();
  return socket;
}

function mount(script: HTMLScriptElement): void {
  const channelId = script.dataset.channel?.trim() ?? '';
  if (!UUID.test(channelId)) {
    console.error('Parley chat: the script tag needs data-channel="<channel id>"');
    return;
  }
  if (document.querySelector(`parley-chat[data-channel="${channelId}"]`)) return; // Pasted twice.
  const origin = new URL(script.src, window.location.href).origin;
  const session = new ChatSession({
    channelId,
    socketUrl: `${origin.replace(/^http/, 'ws')}${CHAT_SOCKET_PATH}`,
    storage: new ChatStorage(channelId, localStore()),
    openSocket,
    timers: browserTimers,
    newId,
  });
  const widget = new ChatWidget({ origin, session, openFlag: openFlag(channelId) });
  widget.host.dataset.channel = channelId;
  document.body.append(widget.host);
}

const script = ownScript();
if (!script) console.error('Parley chat: cannot find its script tag');
else if (document.body) mount(script);
else document.addEventListener('DOMContentLoaded', () => mount(script), { once: true });
