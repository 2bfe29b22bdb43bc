import { randomBytes } from 'node:crypto';
import type { ClientEvent } from '@parley/contract';

export interface Sequenced {
  seq: number;
  event: ClientEvent;
}

/**
 * The ordered deltas of one user, shared by all that user's toolbars. It outlives a dropped
 * connection for a while, so a toolbar that comes back resumes from its last sequence number.
 */
export class UserStream {
  readonly id = randomBytes(12).toString('base64url');
  private buffer: Sequenced[] = [];
  private nextSeq = 1;
  private chain: Promise<void> = Promise.resolve();
  /** The last values sent for views recomputed on change, to push only real changes. */
  readonly lastSent = new Map<string, string>();
  connections = 0;
  idleSince: number | undefined;

  constructor(
    readonly userId: string,
    readonly workspaceId: string,
    private readonly capacity = 1000,
  ) {}

  get seq(): number {
    return this.nextSeq - 1;
  }

  append(event: ClientEvent): Sequenced {
    const item = { seq: this.nextSeq++, event };
    this.buffer.push(item);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    return item;
  }

  /** Appends only when the value differs from the last one sent under this key. */
  appendIfChanged(key: string, value: unknown, event: ClientEvent): Sequenced | undefined {
    const json = JSON.stringify(value);
    if (this.lastSent.get(key) === json) return undefined;
    this.lastSent.set(key, json);
    return this.append(event);
  }

  /** Deltas after `seq`, or undefined when some of them are no longer kept (then: a snapshot). */
  since(seq: number): Sequenced[] | undefined {
    if (seq > this.seq || seq < 0) return undefined;
    if (seq === this.seq) return [];
    const first = this.buffer[0];
    if (!first || first.seq > seq + 1) return undefined;
    return this.buffer.filter((item) => item.seq > seq);
  }

  /** Runs work for this stream one piece at a time, in arrival order. */
  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
