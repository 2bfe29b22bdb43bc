import type { ChatMessage } from './protocol';

/** A message the customer sent that the platform has not acknowledged yet. */
export interface OutboxEntry {
  clientId: string;
  text: string;
  /** When it was written (ISO), for the list and the transcript. */
  at: string;
}

export type Delivery = 'sending' | 'sent' | 'read' | 'failed';

/** One row of the conversation as the widget shows it. */
export type LogEntry =
  | { kind: 'message'; key: string; message: ChatMessage; delivery: Delivery | null }
  | { kind: 'pending'; key: string; entry: OutboxEntry; delivery: Delivery };

/**
 * The conversation on the customer's side: the platform's messages in seq order (each seq
 * once) and the outbox of the customer's messages not yet acknowledged. A message frame carrying
 * an outbox entry's clientId is its acknowledgement, even when its seq is already held (a resent
 * message comes back with the seq it was stored under).
 */
export class ChatLog {
  private readonly bySeq = new Map<number, ChatMessage>();
  private sorted: ChatMessage[] = [];
  private pending: OutboxEntry[];
  /** The agent has read the customer's messages up to this seq. */
  private readUpTo: number;

  constructor(outbox: readonly OutboxEntry[] = [], agentReadSeq = 0) {
    this.pending = [...outbox];
    this.readUpTo = agentReadSeq;
  }

  get messages(): readonly ChatMessage[] {
    return this.sorted;
  }

  get outbox(): readonly OutboxEntry[] {
    return this.pending;
  }

  get agentReadSeq(): number {
    return this.readUpTo;
  }

  /** The highest seq held: what a resume asks to follow. */
  get lastSeq(): number {
    return this.sorted.at(-1)?.seq ?? 0;
  }

  /** The highest seq of an agent's message, what the customer reports as read. */
  get lastAgentSeq(): number {
    for (let i = this.sorted.length - 1; i >= 0; i--) {
      const m = this.sorted[i];
      if (m?.from === 'agent') return m.seq;
    }
    return 0;
  }

  /** Adds a message from the platform; true when the log changed (new seq or an acknowledgement). */
  merge(message: ChatMessage): boolean {
    const acked = this.acknowledge(message);
    if (this.bySeq.has(message.seq)) return acked;
    this.bySeq.set(message.seq, message);
    const last = this.sorted.at(-1);
    if (!last || last.seq < message.seq) this.sorted.push(message);
    else this.sorted = [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    return true;
  }

  /** Queues a message of the customer's until the platform acknowledges it. */
  enqueue(entry: OutboxEntry): void {
    if (!this.pending.some((p) => p.clientId === entry.clientId)) this.pending.push(entry);
  }

  /** The agent read up to seq; true when that is news. */
  markReadByAgent(seq: number): boolean {
    if (seq <= this.readUpTo) return false;
    this.readUpTo = seq;
    return true;
  }

  /** What to show, in order: the messages, then the customer's unacknowledged ones. */
  entries(ended: boolean): LogEntry[] {
    // A customer's message keeps its key from the outbox to the log: its row is not redrawn.
    const rows: LogEntry[] = this.sorted.map((message) => ({
      kind: 'message',
      key: message.from === 'customer' && message.clientId ? `c${message.clientId}` : `m${message.seq}`,
      message,
      delivery: message.from === 'customer' ? (message.seq <= this.readUpTo ? 'read' : 'sent') : null,
    }));
    for (const entry of this.pending) {
      rows.push({
        kind: 'pending',
        key: `c${entry.clientId}`,
        entry,
        delivery: ended ? 'failed' : 'sending',
      });
    }
    return rows;
  }

  private acknowledge(message: ChatMessage): boolean {
    if (message.from !== 'customer' || message.clientId === null) return false;
    const before = this.pending.length;
    this.pending = this.pending.filter((p) => p.clientId !== message.clientId);
    return this.pending.length !== before;
  }
}
