import assert from 'node:assert/strict';
import { type HttpClient, RealtimeClient, type SocketLike } from '@parley/client';
import type { ClientEventName, Snapshot } from '@parley/contract';
import { WebSocket } from 'ws';
import type { TestServer } from './helpers.js';

/** A toolbar's realtime channel as the browser has it, for integration tests. */
export function openToolbar(server: TestServer, client: HttpClient) {
  const url = `${server.url.replace('http', 'ws')}/api/realtime`;
  const rt = new RealtimeClient({
    connect: () =>
      new WebSocket(url, {
        headers: { cookie: client.sessionCookie ?? '', origin: server.url },
      }) as unknown as SocketLike,
    maxBackoffMs: 200,
  });
  const applied: ClientEventName[] = [];
  let snapshots = 0;
  rt.subscribe({
    state: (_s, cause) => {
      if (cause === 'snapshot') snapshots++;
      else applied.push(cause.name);
    },
  });
  rt.start();
  return {
    rt,
    applied,
    snapshots: () => snapshots,
    state: (): Snapshot => {
      assert.ok(rt.state, 'no snapshot yet');
      return rt.state;
    },
  };
}

export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function statusName(s: Snapshot): string {
  const st = s.agent.status;
  return st.kind === 'paused' ? st.reasonName : st.kind;
}
