import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContactKind } from '@parley/contract';
import fc from 'fast-check';
import { type RoutableAgent, type RoutableContact, type RouteMatch, Router } from './router.js';

// A reference model written straight from the rules, deliberately naive, to check the Router against.
type Load = { voice: number; chat: number; email: number };
const KINDS: ContactKind[] = ['voice', 'chat', 'email'];
const CAMPAIGNS = ['c1', 'c2', 'c3'];
const zero = (): Load => ({ voice: 0, chat: 0, email: 0 });

function refCanTake(a: RoutableAgent, kind: ContactKind, extra: Load = zero()): boolean {
  const v = a.load.voice + extra.voice;
  const c = a.load.chat + extra.chat;
  const e = a.load.email + extra.email;
  if (!a.available) return false;
  if (kind === 'voice') return a.voiceReady && v + c + e === 0;
  if (kind === 'chat') return v === 0 && c < a.maxChats;
  return v === 0 && e < a.maxEmails;
}
const routedBefore = (x: RoutableContact, y: RoutableContact): boolean =>
  x.priority !== y.priority
    ? x.priority > y.priority
    : x.enqueuedAt !== y.enqueuedAt
      ? x.enqueuedAt < y.enqueuedAt
      : x.seq !== y.seq
        ? x.seq < y.seq
        : x.id < y.id;
const idleBefore = (x: RoutableAgent, y: RoutableAgent): boolean =>
  x.idleSince !== y.idleSince ? x.idleSince < y.idleSince : x.id < y.id;
const inOrder = (cs: RoutableContact[]) => [...cs].sort((x, y) => (routedBefore(x, y) ? -1 : 1));
const serves = (a: RoutableAgent, c: RoutableContact) => a.campaignIds.has(c.campaignId);

function refPlan(agents: RoutableAgent[], contacts: RoutableContact[]): RouteMatch[] {
  const extra = new Map(agents.map((a) => [a.id, zero()]));
  const out: RouteMatch[] = [];
  for (const c of inOrder(contacts)) {
    const fits = agents.filter((a) => serves(a, c) && refCanTake(a, c.kind, extra.get(a.id)));
    const best = fits.reduce<RoutableAgent | undefined>(
      (b, a) => (!b || idleBefore(a, b) ? a : b),
      undefined,
    );
    if (!best) continue;
    out.push({ contactId: c.id, agentId: best.id });
    const load = extra.get(best.id) ?? zero();
    load[c.kind] += 1;
  }
  return out;
}

const agentArb = fc.record({
  campaignIds: fc.subarray(CAMPAIGNS).map((cs) => new Set(cs)),
  available: fc.nat(3).map((n) => n > 0),
  voiceReady: fc.boolean(),
  load: fc.record({ voice: fc.integer({ min: 0, max: 1 }), chat: fc.nat(3), email: fc.nat(2) }),
  maxChats: fc.nat(5),
  maxEmails: fc.nat(2),
  idleSince: fc.nat(20),
});
const contactArb = fc.record({
  campaignId: fc.constantFrom(...CAMPAIGNS),
  kind: fc.constantFrom(...KINDS),
  priority: fc.nat(2),
  enqueuedAt: fc.nat(10),
  insertKey: fc.nat(),
  requeued: fc.boolean(),
});
const scenarioArb = fc.record({
  agents: fc.array(agentArb, { maxLength: 8 }),
  contacts: fc.array(contactArb, { maxLength: 25 }),
  /** Earlier versions of agents (some then signed out), upserted before their final version. */
  history: fc.array(fc.record({ agent: fc.nat(7), version: agentArb, removed: fc.boolean() }), {
    maxLength: 10,
  }),
  /** Agents that come and go, and must never be chosen. */
  ghosts: fc.array(agentArb, { maxLength: 2 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Builds the router through a shuffled arrival order, with some contacts taken out and put back. */
function build(s: Scenario) {
  const agents: RoutableAgent[] = s.agents.map((a, i) => ({ id: `a${i}`, ...a, load: { ...a.load } }));
  // seq follows arrival (as the database assigns it); ids are unrelated to it.
  const arrival = s.contacts.map((c, i) => ({ c, i })).sort((x, y) => x.c.insertKey - y.c.insertKey);
  const contacts: RoutableContact[] = arrival.map(({ c: { insertKey: _k, requeued: _r, ...c }, i }, seq) => ({
    id: `k${i}`,
    seq,
    ...c,
  }));
  const router = new Router();
  for (const h of s.history) {
    const id = `a${h.agent % Math.max(1, agents.length)}`;
    router.upsertAgent({ id, ...h.version });
    if (h.removed) router.removeAgent(id);
  }
  const ghosts = s.ghosts.map((g, i) => ({ id: `ghost${i}`, ...g }));
  for (const g of ghosts) router.upsertAgent(g);
  for (const a of agents) router.upsertAgent(a);
  if (agents.length === 0) router.removeAgent('a0');
  for (const g of ghosts) router.removeAgent(g.id);
  for (const c of contacts) router.enqueue(c);
  contacts.forEach((c, seq) => {
    if (!arrival[seq]?.c.requeued) return;
    assert.equal(router.remove(c.id), true);
    router.enqueue(c);
  });
  return { router, agents, contacts };
}

function checkPlan(plan: RouteMatch[], agents: RoutableAgent[], contacts: RoutableContact[]): void {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const agentById = new Map(agents.map((a) => [a.id, a]));
  const planned = new Set<string>();
  const extra = new Map(agents.map((a) => [a.id, zero()]));
  const assigned: { c: RoutableContact; a: RoutableAgent }[] = [];
  for (const m of plan) {
    const c = byId.get(m.contactId);
    const a = agentById.get(m.agentId);
    assert.ok(c && a, 'plan names a waiting contact and a known agent');
    assert.ok(!planned.has(c.id), 'never a contact twice in a plan');
    planned.add(c.id);
    assert.ok(a.available, 'never to a paused agent');
    assert.ok(serves(a, c), 'never to an agent who does not serve the campaign');
    assert.ok(refCanTake(a, c.kind, extra.get(a.id)), 'never beyond capacity, never voice with anything');
    const load = extra.get(a.id) ?? zero();
    load[c.kind] += 1;
    assigned.push({ c, a });
  }
  const finalCanTake = (a: RoutableAgent, k: ContactKind) => refCanTake(a, k, extra.get(a.id));
  const unplanned = contacts.filter((c) => !planned.has(c.id));
  for (const e of unplanned) {
    // Maximal: once the plan is applied, nobody could still take a contact it left waiting.
    assert.ok(!agents.some((a) => serves(a, e) && finalCanTake(a, e.kind)), `plan left ${e.id} routable`);
  }
  for (const { c, a } of assigned) {
    // FIFO: capacity only shrinks while planning, so if `a` could take c's kind when c's turn came,
    // it could when any earlier contact of that kind and one of its campaigns came: none stays waiting.
    const skipped = unplanned.find((e) => e.kind === c.kind && serves(a, e) && routedBefore(e, c));
    assert.equal(skipped, undefined, `${c.id} planned to ${a.id} ahead of ${skipped?.id}`);
    // Longest idle: an agent idle longer who serves the campaign had no room left for this kind.
    const passedOver = agents.find(
      (b) => b !== a && idleBefore(b, a) && serves(b, c) && finalCanTake(b, c.kind),
    );
    assert.equal(passedOver, undefined, `${c.id} went to ${a.id} while ${passedOver?.id} was idle longer`);
  }
}

describe('Router properties', () => {
  test('plan: safe, FIFO, longest idle, maximal, equal to the reference, pure', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { router, agents, contacts } = build(s);
        const plan = router.plan();
        checkPlan(plan, agents, contacts);
        assert.deepEqual(plan, refPlan(agents, contacts));
        assert.deepEqual(router.plan(), plan, 'plan does not mutate');
        for (const c of contacts) assert.ok(router.has(c.id));
        // The plan's first decision is what bestAgentFor says for the first routable contact.
        const first = inOrder(contacts).find((c) => router.bestAgentFor(c.id) !== undefined);
        assert.deepEqual(plan[0], first && { contactId: first.id, agentId: router.bestAgentFor(first.id) });
      }),
      { numRuns: 500 },
    );
  });

  test('nextForAgent and bestAgentFor agree with the reference', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { router, agents, contacts } = build(s);
        for (const a of agents) {
          const expected = inOrder(contacts).find((c) => serves(a, c) && refCanTake(a, c.kind));
          assert.equal(router.nextForAgent(a.id)?.id, expected?.id);
          if (!a.available) assert.equal(router.nextForAgent(a.id), undefined);
        }
        for (const c of contacts) {
          const fits = agents.filter((a) => serves(a, c) && refCanTake(a, c.kind));
          const best = fits.reduce<RoutableAgent | undefined>(
            (b, a) => (!b || idleBefore(a, b) ? a : b),
            undefined,
          );
          assert.equal(router.bestAgentFor(c.id), best?.id);
        }
        for (const campaignId of CAMPAIGNS) {
          const mine = contacts.filter((c) => c.campaignId === campaignId);
          const oldest = mine.length ? Math.min(...mine.map((c) => c.enqueuedAt)) : null;
          assert.deepEqual(router.queueStats(campaignId), { waiting: mine.length, oldestEnqueuedAt: oldest });
        }
      }),
      { numRuns: 500 },
    );
  });

  test('no starvation: with an eligible agent for every campaign and kind, every contact is routed', () => {
    const generalist = fc.record({
      load: fc.record({ voice: fc.integer({ min: 0, max: 1 }), chat: fc.nat(3), email: fc.nat(2) }),
      maxChats: fc.integer({ min: 1, max: 5 }),
      maxEmails: fc.integer({ min: 1, max: 2 }),
      idleSince: fc.nat(20),
    });
    const arb = fc.record({
      scenario: scenarioArb,
      generalists: fc.tuple(...CAMPAIGNS.map(() => generalist)),
      finishes: fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }),
    });
    fc.assert(
      fc.property(arb, ({ scenario, generalists, finishes }) => {
        const { router, agents, contacts } = build(scenario);
        generalists.forEach((g, i) => {
          const a = { id: `g${i}`, ...g, load: { ...g.load }, available: true, voiceReady: true };
          agents.push({ ...a, campaignIds: new Set([CAMPAIGNS[i] ?? '']) });
        });
        for (const a of agents) router.upsertAgent(a);
        const waiting = new Map(contacts.map((c) => [c.id, c]));
        let clock = 100;
        let tick = 0;
        for (let round = 0; waiting.size > 0; round++) {
          assert.ok(round < 1000, `still ${waiting.size} waiting after 1000 rounds`);
          const plan = router.plan();
          checkPlan(plan, agents, [...waiting.values()]);
          for (const m of plan) {
            const c = waiting.get(m.contactId);
            const a = agents.find((x) => x.id === m.agentId);
            assert.ok(c && a && router.remove(c.id));
            waiting.delete(c.id);
            a.load[c.kind] += 1;
            router.upsertAgent(a);
          }
          // Some agents finish one interaction; if nothing moved this round, everybody does.
          const busy = agents.filter((a) => a.load.voice + a.load.chat + a.load.email > 0);
          let finishing = busy.filter(() => finishes[tick++ % finishes.length]);
          if (plan.length === 0 && finishing.length === 0) finishing = busy;
          for (const a of finishing) {
            const kind = KINDS.find((k) => a.load[k] > 0) ?? 'voice';
            a.load[kind] -= 1;
            if (a.load.voice + a.load.chat + a.load.email === 0) a.idleSince = ++clock;
            router.upsertAgent(a);
          }
        }
        for (const c of contacts) assert.equal(router.has(c.id), false);
      }),
      { numRuns: 300 },
    );
  });
});
