// Routing benchmark: 2,000 agents and 20,000 waiting contacts over 50 campaigns. Prints latency
// percentiles per routing decision; it never fails on time. Run from the root: npm run bench:routing
import type { ContactKind } from '@parley/contract';
import { type RoutableAgent, type RoutableContact, Router } from '../src/routing/router.js';

const AGENTS = 2_000;
const CONTACTS = 20_000;
const CAMPAIGNS = 50;
const WARMUP = 2_000;
const OPS = 50_000;

/** mulberry32: a small seeded PRNG, so every run routes the same scenario. */
let seed = 0x5eed;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;

interface Campaign {
  id: string;
  kind: ContactKind;
}
// 20 voice, 15 chat and 15 email campaigns.
const campaigns: Campaign[] = Array.from({ length: CAMPAIGNS }, (_, i) => ({
  id: `campaign-${String(i).padStart(2, '0')}`,
  kind: i < 20 ? 'voice' : i < 35 ? 'chat' : 'email',
}));

let now = 1_800_000_000_000;
let seq = 0;
function newContact(pool: readonly Campaign[]): RoutableContact {
  const campaign = pick(pool);
  now += 1 + int(20);
  seq += 1;
  const priority = random() < 0.9 ? 0 : 1 + int(3);
  return {
    id: `contact-${seq}`,
    campaignId: campaign.id,
    kind: campaign.kind,
    priority,
    enqueuedAt: now,
    seq,
  };
}

const FREE = { voice: 0, chat: 0, email: 0 };
/** Serves `size` campaigns of the pool; 85% available; mostly busy (on a call, or chats and an email). */
function newAgent(i: number, pool: readonly Campaign[], size: number): RoutableAgent {
  const served = new Set<string>();
  while (served.size < Math.min(size, pool.length)) served.add(pick(pool).id);
  const roll = random();
  const load =
    roll < 0.45 ? { voice: 1, chat: 0, email: 0 } : roll < 0.9 ? { voice: 0, chat: 5, email: 1 } : FREE;
  return {
    id: `agent-${String(i).padStart(4, '0')}`,
    campaignIds: served,
    available: random() < 0.85,
    voiceReady: random() < 0.95,
    load,
    maxChats: 5,
    maxEmails: 1,
    idleSince: now - int(3_600_000),
  };
}

/** A router holding the agents and `CONTACTS` waiting contacts of the pool. */
function world(pool: readonly Campaign[], campaignsPerAgent: () => number) {
  const router = new Router();
  const agents = new Map<string, RoutableAgent>();
  for (let i = 0; i < AGENTS; i++) {
    const agent = newAgent(i, pool, campaignsPerAgent());
    agents.set(agent.id, agent);
    router.upsertAgent(agent);
  }
  for (let i = 0; i < CONTACTS; i++) router.enqueue(newContact(pool));
  const agentIds = [...agents.keys()];
  /** The caller's side of a decision: the agent now holds one more interaction. */
  const hold = (agentId: string, kind: ContactKind) => {
    const agent = agents.get(agentId);
    if (!agent) return;
    const held = { ...agent, load: { ...agent.load, [kind]: agent.load[kind] + 1 } };
    agents.set(agentId, held);
    router.upsertAgent(held);
  };
  /** An agent finishes everything and becomes Available. */
  const free = (agentId: string) => {
    const agent = agents.get(agentId);
    if (!agent) return;
    now += 1;
    const freed = { ...agent, available: true, load: FREE, idleSince: now };
    agents.set(agentId, freed);
    router.upsertAgent(freed);
  };
  return { router, agents, agentIds, hold, free };
}

interface Row {
  label: string;
  ops: number;
  p50: number;
  p99: number;
  max: number;
  decisionsPerSecond: number;
  matched: number;
}

/**
 * Runs `untimed` then `timed` `ops` times after `warmup` rounds; `timed` returns how many matches it made.
 * Decisions per second: timed operations per second, or matches per second for plan().
 */
function measure(
  label: string,
  ops: number,
  untimed: () => void,
  timed: () => number,
  perMatch = false,
): Row {
  const micros = new Float64Array(ops);
  let matched = 0;
  for (let i = 0; i < Math.min(WARMUP, ops); i++) {
    untimed();
    timed();
  }
  for (let i = 0; i < ops; i++) {
    untimed();
    const start = process.hrtime.bigint();
    matched += timed();
    micros[i] = Number(process.hrtime.bigint() - start) / 1_000;
  }
  const total = micros.reduce((s, t) => s + t, 0);
  micros.sort();
  const at = (p: number) => micros[Math.max(0, Math.ceil(p * ops) - 1)] ?? Number.NaN;
  const decisionsPerSecond = ((perMatch ? matched : ops) / total) * 1e6;
  return { label, ops, p50: at(0.5), p99: at(0.99), max: at(1), decisionsPerSecond, matched };
}

const rows: Row[] = [];
const threeToEight = () => 3 + int(6);

{
  // (a) An agent becomes free: upsert it Available, ask for its best contact, take that contact out
  // of the queue and upsert the agent holding it.
  const { router, agentIds, hold, free } = world(campaigns, threeToEight);
  rows.push(
    measure(
      '(a) agent free: upsert + nextForAgent + remove + upsert',
      OPS,
      () => router.enqueue(newContact(campaigns)), // an arrival keeps about 20,000 waiting
      () => {
        const agentId = pick(agentIds);
        free(agentId);
        const next = router.nextForAgent(agentId);
        if (!next) return 0;
        router.remove(next.id);
        hold(agentId, next.kind);
        return 1;
      },
    ),
  );
}

/** (b) and (d): a contact arrives; enqueue it, find the best agent, and if there is one, hand it over. */
function arrivals(
  label: string,
  pool: readonly Campaign[],
  campaignsPerAgent: () => number,
  freeing: number,
) {
  const { router, agentIds, hold, free } = world(pool, campaignsPerAgent);
  let unmatched: string | undefined;
  return measure(
    label,
    OPS,
    () => {
      if (unmatched) router.remove(unmatched); // keeps 20,000 waiting
      unmatched = undefined;
      if (random() < freeing) free(pick(agentIds)); // now and then someone finishes
    },
    () => {
      const contact = newContact(pool);
      router.enqueue(contact);
      const agentId = router.bestAgentFor(contact.id);
      if (agentId === undefined) {
        unmatched = contact.id;
        return 0;
      }
      router.remove(contact.id);
      hold(agentId, contact.kind);
      return 1;
    },
  );
}
rows.push(
  arrivals('(b) contact arrives: enqueue + bestAgentFor (+ remove + upsert)', campaigns, threeToEight, 0.2),
);

let lastPlan = 0;
{
  // (c) plan() over the whole state with about 10% of agents free; between plans (untimed) one agent
  // flips between free and paused so that every plan sees a different state.
  const { router, agents, agentIds, free } = world(campaigns, threeToEight);
  for (const id of agentIds.slice(0, AGENTS / 10)) free(id);
  rows.push(
    measure(
      '(c) plan(): every match at once, ~10% of agents free',
      500,
      () => {
        const agent = agents.get(pick(agentIds));
        if (agent) router.upsertAgent({ ...agent, available: !agent.available, load: FREE });
      },
      () => {
        lastPlan = router.plan().length;
        return lastPlan;
      },
      true,
    ),
  );
}

// (d) Worst case for queue depth and agent scans: all 20,000 contacts in one chat queue that all
// 2,000 agents serve, and agents rarely free, so most arrivals scan all 2,000 and find nobody.
const deep = [pick(campaigns.slice(20, 35))];
rows.push(arrivals('(d) as (b), one 20,000-deep queue served by all 2,000 agents', deep, () => 1, 0.02));

const num = (n: number, width = 9) => (n >= 100 ? Math.round(n).toString() : n.toFixed(1)).padStart(width);
console.log(
  `\nRouting: ${AGENTS} agents, ${CONTACTS} waiting contacts, ${CAMPAIGNS} campaigns, Node ${process.version}`,
);
console.log(
  `${'scenario'.padEnd(66)}${'ops'.padStart(7)}${'p50 µs'.padStart(9)}${'p99 µs'.padStart(9)}` +
    `${'max µs'.padStart(9)}${'decisions/s'.padStart(13)}${'matched'.padStart(9)}`,
);
for (const r of rows) {
  console.log(
    `${r.label.padEnd(66)}${String(r.ops).padStart(7)}${num(r.p50)}${num(r.p99)}${num(r.max)}` +
      `${num(r.decisionsPerSecond, 13)}${String(r.matched).padStart(9)}`,
  );
}
console.log(`(c) decisions/s counts matches; the last plan() made ${lastPlan} matches.`);
const worst = rows.filter((r) => !r.label.startsWith('(c)')).reduce((w, r) => Math.max(w, r.p99), 0);
console.log(`Target p99 < 5,000 µs per decision: worst single-decision p99 ${num(worst, 0)} µs.`);
