import type { SocketLike } from './chat-connection';
import type { ChatClientFrame } from './protocol';
import type { Timers } from './timers';

/** The client frame with the given type. */
export type ClientFrameOf<T extends string> = Extract<ChatClientFrame, { type: T }>;

/** Timers in virtual time: `advance` runs what falls due, in order. */
export class VirtualTimers implements Timers {
  private time = 0;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.due.set(id, { at: this.time + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  /** How many timers wait. */
  get pending(): number {
    return this.due.size;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > until) break;
      this.due.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = until;
  }
}

/** A socket the test plays the platform on. */
export class FakeSocket implements SocketLike {
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  readonly sent: Record<string, unknown>[] = [];
  closed = false;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.closed) throw new Error('closed');
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.closed = true;
  }

  /** The frames of one type the widget sent. */
  frames<T extends string>(type: T): ClientFrameOf<T>[] {
    return this.sent.filter((f) => f.type === type) as ClientFrameOf<T>[];
  }

  open(): void {
    this.onopen?.();
  }

  receive(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  drop(code = 1006): void {
    this.closed = true;
    this.onclose?.({ code });
  }
}
