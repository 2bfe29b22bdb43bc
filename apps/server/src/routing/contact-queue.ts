import type { RoutableContact } from './router-types.js';

/**
 * The routing order: priority desc, then enqueuedAt asc, then seq asc, then id (so that the order is
 * total and deterministic even if seq repeats). Negative when `a` is routed before `b`.
 */
export function compareContacts(a: RoutableContact, b: RoutableContact): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.enqueuedAt !== b.enqueuedAt) return a.enqueuedAt - b.enqueuedAt;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Blocks split above this size; small blocks merge with a neighbour. */
const MAX_BLOCK = 512;

/**
 * One queue in routing order, as a list of sorted blocks of at most MAX_BLOCK contacts (a one-level
 * B-tree). Insert and removal of any contact: two binary searches and a splice inside one small block,
 * O(log n + MAX_BLOCK) whatever the depth. Blocks are never empty. One flat sorted array was measured instead: V8 splices on a
 * 20,000-entry array cost 30-140 µs each, as the backing store lives in large-object space.
 * In-order iteration (for plan()) needs no copy.
 */
export class ContactQueue {
  private readonly blocks: RoutableContact[][] = [];
  private count = 0;

  /** `maxBlock` is only lowered by tests, to exercise splits and merges with few contacts. */
  constructor(private readonly maxBlock = MAX_BLOCK) {}

  get size(): number {
    return this.count;
  }

  /** The contact routed first, if any. */
  head(): RoutableContact | undefined {
    return this.blocks[0]?.[0];
  }

  /** The contacts in routing order. The queue must not change while iterating. */
  *values(): Generator<RoutableContact, void, undefined> {
    for (const block of this.blocks) yield* block;
  }

  insert(contact: RoutableContact): void {
    const b = this.blockFor(contact);
    const block = this.blocks[b];
    this.count += 1;
    if (!block) {
      this.blocks.push([contact]);
      return;
    }
    block.splice(lowerBound(block, contact), 0, contact);
    if (block.length > this.maxBlock) this.blocks.splice(b + 1, 0, block.splice(this.maxBlock >>> 1));
  }

  /** Removes the entry that has exactly this contact's ordering key and id. */
  delete(contact: RoutableContact): boolean {
    const b = this.blockFor(contact);
    const block = this.blocks[b];
    if (!block) return false;
    const i = lowerBound(block, contact);
    if (block[i]?.id !== contact.id) return false;
    block.splice(i, 1);
    this.count -= 1;
    if (block.length < this.maxBlock >>> 2 || block.length === 0) this.mergeAround(b);
    return true;
  }

  /** The earliest enqueuedAt in the queue (not necessarily the head's, because of priorities). */
  oldestEnqueuedAt(): number | null {
    let oldest: number | null = null;
    for (const c of this.values()) if (oldest === null || c.enqueuedAt < oldest) oldest = c.enqueuedAt;
    return oldest;
  }

  /** The first block whose last contact is not routed before `contact` (the last block if none). */
  private blockFor(contact: RoutableContact): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid];
      const last = block?.[block.length - 1];
      if (last !== undefined && compareContacts(last, contact) < 0) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(lo, 0);
  }

  /** Drops an empty block, or merges a small one into a neighbour when they fit in one block. */
  private mergeAround(b: number): void {
    const block = this.blocks[b];
    if (!block) return;
    if (block.length === 0) {
      this.blocks.splice(b, 1);
      return;
    }
    const next = this.blocks[b + 1];
    const previous = this.blocks[b - 1];
    if (next && block.length + next.length <= this.maxBlock) {
      block.push(...next);
      this.blocks.splice(b + 1, 1);
    } else if (previous && block.length + previous.length <= this.maxBlock) {
      previous.push(...block);
      this.blocks.splice(b, 1);
    }
  }
}

/** First index whose contact is not routed before `contact`. */
function lowerBound(block: readonly RoutableContact[], contact: RoutableContact): number {
  let lo = 0;
  let hi = block.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = block[mid];
    if (item !== undefined && compareContacts(item, contact) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
