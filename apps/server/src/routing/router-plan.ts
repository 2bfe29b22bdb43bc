import type { ContactKind } from '@parley/contract';
import { type ContactQueue, compareContacts } from './contact-queue.js';
import type { AgentIndex } from './router-agent-index.js';
import { canTakeWith } from './router-blending.js';
import {
  type AgentLoad,
  CONTACT_KINDS_ORDER,
  type RoutableAgent,
  type RoutableContact,
  type RouteMatch,
} from './router-types.js';

/** A campaign's waiting contacts, one ordered queue per kind. */
export type CampaignQueues = Record<ContactKind, ContactQueue>;

/** A read position in one (campaign, kind) queue while planning. */
interface Cursor {
  contacts: Iterator<RoutableContact, void>;
  /** The next contact of this queue to place; undefined once the queue is exhausted. */
  contact: RoutableContact | undefined;
  kind: ContactKind;
  /** The campaign's available agents, longest idle first. */
  agents: readonly RoutableAgent[];
  /** Agents before this index can no longer take this kind in this plan. */
  agentPos: number;
}

/**
 * Greedy plan: walks every waiting contact in global routing order (a k-way merge of the per-campaign,
 * per-kind queues) and gives each to the longest-idle eligible agent with capacity left, counting the
 * plan's own tentative assignments. Capacity only shrinks while planning, so once no agent can take the
 * head of a (campaign, kind) queue, none can take anything behind it: that queue is dropped. For the
 * same reason, an agent who cannot take a kind now cannot later in the plan, so each queue walks its
 * campaign's available agents (kept sorted longest idle first) with a pointer that only moves forward.
 * Cost: O(matches x log queues + queues x agents per campaign), whatever the queue lengths.
 */
export function planMatches(queues: ReadonlyMap<string, CampaignQueues>, index: AgentIndex): RouteMatch[] {
  const heap: Cursor[] = [];
  for (const [campaignId, byKind] of queues) {
    const agents = index.list(campaignId);
    if (!agents) continue;
    for (const kind of CONTACT_KINDS_ORDER) {
      if (byKind[kind].size === 0) continue;
      const contacts = byKind[kind].values();
      heap.push({ contacts, contact: nextOf(contacts), kind, agents, agentPos: 0 });
    }
  }
  for (let i = (heap.length >>> 1) - 1; i >= 0; i--) siftDown(heap, i);

  const matches: RouteMatch[] = [];
  const extra = new Map<string, AgentLoad>();
  for (let top = heap[0]; top !== undefined; top = heap[0]) {
    const contact = top.contact;
    let agent = top.agents[top.agentPos];
    while (agent && !canTakeWith(agent, top.kind, extra.get(agent.id))) agent = top.agents[++top.agentPos];
    if (!contact || !agent) {
      popTop(heap);
      continue;
    }
    matches.push({ contactId: contact.id, agentId: agent.id });
    const load = extra.get(agent.id) ?? { voice: 0, chat: 0, email: 0 };
    load[top.kind] += 1;
    extra.set(agent.id, load);
    top.contact = nextOf(top.contacts);
    if (top.contact === undefined) popTop(heap);
    else siftDown(heap, 0);
  }
  return matches;
}

function nextOf(contacts: Iterator<RoutableContact, void>): RoutableContact | undefined {
  const step = contacts.next();
  return step.done ? undefined : step.value;
}

function before(a: Cursor, b: Cursor): boolean {
  if (!a.contact || !b.contact) return a.contact !== undefined;
  return compareContacts(a.contact, b.contact) < 0;
}

function popTop(heap: Cursor[]): void {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return;
  heap[0] = last;
  siftDown(heap, 0);
}

function siftDown(heap: Cursor[], start: number): void {
  let i = start;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let best = i;
    const l = heap[left];
    const r = heap[right];
    const cur = heap[best];
    if (cur === undefined) return;
    let bestCursor = cur;
    if (l && before(l, bestCursor)) {
      best = left;
      bestCursor = l;
    }
    if (r && before(r, bestCursor)) {
      best = right;
      bestCursor = r;
    }
    if (best === i) return;
    heap[best] = cur;
    heap[i] = bestCursor;
    i = best;
  }
}
