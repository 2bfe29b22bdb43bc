import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServerFrame, Snapshot } from '@parley/contract';
import { RealtimeClient, type SocketLike, type Timers } from './realtime.js';

/** Timers that only move when the test says so. */
class VirtualTimers implements Timers {
  private t = 0;
  private tasks: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.tasks.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.tasks = this.tasks.filter((x) => x.id !== handle);
  }
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.tasks.sort((a, b) => a.at - b.at);
      const next = this.tasks[0];
      if (!next || next.at > end) break;
      this.tasks.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.onclose?.({});
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const snapshot: Snapshot = {
  me: { id: 'u1', username: 'agent1', displayName: 'Ava Agent', role: 'agent', agentId: 1001 },
  settings: {
    name: 'ACME',
    agentRingTimeoutSeconds: 20,
    recordingControlsVisible: true,
    agentAssistEnabled: false,
  },
  pauseReasons: [],
  assignments: { teams: [], campaigns: [] },
  notifications: [],
  agent: {
    status: { kind: 'paused', reasonId: null, reasonName: 'Unavailable' },
    since: '2026-01-01T00:00:00Z',
    voice: 'none',
    interactions: [],
    nextStatus: null,
  },
  queues: [],
};
const note = (id: string) => ({
  name: 'notification.created' as const,
  data: { notification: { id, level: 'info' as const, text: id, createdAt: '2026-01-01T00:00:00Z' } },
});

function setup() {
  const timers = new VirtualTimers();
  const sockets: FakeSocket[] = [];
  const statuses: string[] = [];
  const client = new RealtimeClient({
    timers,
    connect: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    heartbeatIntervalMs: 1000,
    heartbeatTimeoutMs: 3000,
    maxBackoffMs: 1000,
  });
  client.subscribe({ status: (s) => statuses.push(s) });
  const last = () => {
    const s = sockets.at(-1);
    assert.ok(s);
    return s;
  };
  return { timers, sockets, statuses, client, last };
}

describe('RealtimeClient', () => {
  test('applies deltas in order and ignores one it already has', () => {
    const { client, last } = setup();
    client.start();
    last().open();
    last().deliver({ type: 'snapshot', streamId: 's1', seq: 4, data: snapshot });
    last().deliver({ type: 'event', seq: 5, event: note('a') });
    last().deliver({ type: 'event', seq: 5, event: note('a') });
    last().deliver({ type: 'event', seq: 6, event: note('b') });
    assert.deepEqual(
      client.state?.notifications.map((n) => n.id),
      ['b', 'a'],
    );
    assert.equal(client.lastSeq, 6);
  });

  test('after a drop it reconnects and asks to resume from the last sequence it applied', () => {
    const { client, last, timers, sockets, statuses } = setup();
    client.start();
    last().open();
    last().deliver({ type: 'snapshot', streamId: 's1', seq: 4, data: snapshot });
    last().deliver({ type: 'event', seq: 5, event: note('a') });
    last().close(1006);
    assert.equal(client.connectionStatus, 'down');
    timers.advance(1000);
    assert.equal(sockets.length, 2);
    last().open();
    assert.deepEqual(last().sent[0], { type: 'hello', resume: { streamId: 's1', seq: 5 } });
    last().deliver({ type: 'resumed', streamId: 's1', seq: 6 });
    last().deliver({ type: 'event', seq: 6, event: note('b') });
    assert.equal(client.lastSeq, 6);
    assert.deepEqual(statuses, ['connecting', 'open', 'down', 'connecting', 'open']);
  });

  test('a gap in the sequence drops the stream and starts over with a fresh snapshot', () => {
    const { client, last, timers } = setup();
    client.start();
    last().open();
    last().deliver({ type: 'snapshot', streamId: 's1', seq: 1, data: snapshot });
    last().deliver({ type: 'event', seq: 3, event: note('c') });
    assert.equal(client.state?.notifications.length, 0, 'the out-of-order event is not applied');
    timers.advance(1000);
    last().open();
    assert.deepEqual(last().sent[0], { type: 'hello' });
  });

  test('pings on an interval, answers the server, and gives up on a silent server', () => {
    const { client, last, timers, sockets } = setup();
    client.start();
    last().open();
    last().deliver({ type: 'snapshot', streamId: 's1', seq: 0, data: snapshot });
    last().deliver({ type: 'ping', t: 7 });
    assert.deepEqual(last().sent.at(-1), { type: 'pong', t: 7 });
    timers.advance(1000);
    assert.equal(last().sent.at(-1)?.type, 'ping');
    timers.advance(3000);
    assert.equal(sockets[0]?.closedWith, 4008);
    assert.equal(client.connectionStatus === 'down' || client.connectionStatus === 'connecting', true);
  });

  test('a revoked session stops reconnecting', () => {
    const { client, last, timers, sockets } = setup();
    let reason = '';
    client.subscribe({ revoked: (r) => (reason = r) });
    client.start();
    last().open();
    last().deliver({ type: 'revoked', reason: 'signed_out' });
    timers.advance(60_000);
    assert.equal(reason, 'signed_out');
    assert.equal(client.connectionStatus, 'revoked');
    assert.equal(sockets.length, 1);
  });
});
