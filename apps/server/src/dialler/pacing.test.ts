import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  AnswerRate,
  budgetLeft,
  chanceFreeWithin,
  chanceStillAnswered,
  DEFAULT_PACING,
  decide,
  expectedExcess,
  type PacingInput,
} from './pacing.js';

const chance = fc.double({ min: 0, max: 1, noNaN: true });
const input = fc.record({
  freeAgents: fc.integer({ min: 0, max: 60 }),
  soonFree: fc.array(chance, { maxLength: 60 }),
  inFlight: fc.array(chance, { maxLength: 120 }),
  answerRate: chance,
  windows: fc.array(
    fc.integer({ min: 0, max: 50_000 }).chain((answered) =>
      fc.record({
        answered: fc.constant(answered),
        abandoned: fc.integer({ min: 0, max: Math.ceil(answered * 0.05) }),
      }),
    ),
    { minLength: 1, maxLength: 2 },
  ),
  cap: fc.double({ min: 0, max: 0.05, noNaN: true }),
  agents: fc.integer({ min: 0, max: 120 }),
  maxLinesPerAgent: fc.integer({ min: 1, max: 5 }),
}) as fc.Arbitrary<PacingInput>;

test('the dial count is a whole number from zero to the line cap, whatever comes in', () => {
  fc.assert(
    fc.property(input, (i) => {
      const d = decide(i);
      const cap = Math.max(0, i.agents * i.maxLinesPerAgent - i.inFlight.length);
      assert.ok(Number.isInteger(d.dial) && d.dial >= 0 && d.dial <= cap, JSON.stringify(d));
    }),
  );
});

test('it never expects to spend more than it may: the abandons its own answers pay for and a share of the budget, never past the cap', () => {
  fc.assert(
    fc.property(input, (i) => {
      const d = decide(i);
      if (d.mode !== 'predictive' || d.dial === 0) return;
      const budget = budgetLeft(i.windows, i.cap);
      const room = budgetLeft(i.windows, i.cap, { ...DEFAULT_PACING, targetShare: 1 });
      const allowed = Math.min(
        room,
        DEFAULT_PACING.budgetSpend * budget + i.cap * DEFAULT_PACING.targetShare * d.expectedAnswers,
      );
      assert.ok(d.expectedAbandons <= allowed + 1e-9, JSON.stringify({ d, budget, room }));
      assert.ok(room > 0, 'predictive only with room left at the cap');
    }),
  );
});

test('with no room left at the cap in a window it falls back to one line per free agent: no call can lack an agent', () => {
  fc.assert(
    fc.property(input, (i) => {
      const spent = { ...i, windows: [...i.windows, { answered: 1000, abandoned: Math.ceil(i.cap * 1000) }] };
      const d = decide(spent);
      assert.notEqual(d.mode, 'predictive');
      assert.ok(d.dial <= Math.max(0, spent.freeAgents - spent.inFlight.length), JSON.stringify(d));
    }),
  );
});

test('nobody free and nobody coming free: nothing is dialled, however much budget is banked', () => {
  fc.assert(
    fc.property(input, (i) => {
      assert.equal(decide({ ...i, freeAgents: 0, soonFree: [] }).dial, 0);
    }),
  );
});

test('more free agents never means fewer calls', () => {
  fc.assert(
    fc.property(input, fc.integer({ min: 1, max: 20 }), (i, more) => {
      const base = { ...i, agents: Math.max(i.agents, i.freeAgents + more + i.soonFree.length) };
      assert.ok(decide({ ...base, freeAgents: i.freeAgents + more }).dial >= decide(base).dial);
    }),
  );
});

test('with budget, ten free agents and a one-in-four answer rate it dials ahead of the agents, not wildly', () => {
  const d = decide({
    freeAgents: 10,
    soonFree: [],
    inFlight: [],
    answerRate: 0.25,
    windows: [{ answered: 2000, abandoned: 20 }],
    cap: 0.03,
    agents: 20,
    maxLinesPerAgent: 5,
  });
  assert.equal(d.mode, 'predictive');
  assert.ok(d.dial > 10 && d.dial <= 42, `dialled ${d.dial}`);
  // Agents about to finish count: with ten coming free soon it dials more.
  const withSoon = decide({
    freeAgents: 10,
    soonFree: Array(10).fill(0.8),
    inFlight: [],
    answerRate: 0.25,
    windows: [{ answered: 2000, abandoned: 20 }],
    cap: 0.03,
    agents: 20,
    maxLinesPerAgent: 5,
  });
  assert.ok(withSoon.dial > d.dial);
});

test('the normal approximation of the expected excess matches the exact sum on a small case', () => {
  // D = Binomial(20, 0.5) - 8: E[max(0, D)] exactly.
  let exact = 0;
  const choose = (n: number, k: number) => {
    let c = 1;
    for (let j = 1; j <= k; j++) c = (c * (n - j + 1)) / j;
    return c;
  };
  for (let k = 9; k <= 20; k++) exact += (k - 8) * choose(20, k) * 0.5 ** 20;
  assert.ok(Math.abs(expectedExcess(10 - 8, 5) - exact) < 0.03, `${expectedExcess(2, 5)} vs ${exact}`);
  assert.equal(expectedExcess(3, 0), 3);
  assert.equal(expectedExcess(-3, 0), 0);
});

test('the helpers: ringing calls grow less likely to answer, busy agents come free by their phase and mean times, the rate follows a drift', () => {
  assert.ok(chanceStillAnswered(0, 0.3, 8000) > chanceStillAnswered(15_000, 0.3, 8000));
  assert.equal(chanceStillAnswered(0, 0.3, 8000), 0.3);
  const means = { talkMs: 160_000, wrapMs: 20_000 };
  // Wrapping up: free when the wrap ends, an exponential time of the mean wrap.
  assert.ok(Math.abs(chanceFreeWithin(true, means, 10_000) - (1 - Math.exp(-10 / 20))) < 1e-12);
  // Talking: the talk and then the wrap must end. P(T + W <= h) by numerical integration.
  let integral = 0;
  const steps = 100_000;
  for (let i = 0; i < steps; i++) {
    const t = ((i + 0.5) / steps) * 10_000;
    integral +=
      (Math.exp(-t / 160_000) / 160_000) * (1 - Math.exp(-(10_000 - t) / 20_000)) * (10_000 / steps);
  }
  assert.ok(Math.abs(chanceFreeWithin(false, means, 10_000) - integral) < 1e-9);
  // An agent wrapping up is many times likelier to be free within a ring time than one talking.
  assert.ok(chanceFreeWithin(true, means, 10_000) > 10 * chanceFreeWithin(false, means, 10_000));
  // Equal means (Erlang), and no time at all.
  const erlang = 1 - Math.exp(-0.5) * 1.5;
  assert.ok(Math.abs(chanceFreeWithin(false, { talkMs: 20_000, wrapMs: 20_000 }, 10_000) - erlang) < 1e-12);
  assert.equal(chanceFreeWithin(false, means, 0), 0);
  // Before any outcome the prior counts as a few calls: not planned as if every call would answer.
  const fresh = new AnswerRate(0.3);
  assert.ok(fresh.value > 0.3 && fresh.value < 0.65, `${fresh.value}`);
  const rate = new AnswerRate(0.3);
  for (let i = 0; i < 2000; i++) rate.record(i % 10 < 6);
  assert.ok(Math.abs(rate.estimate - 0.6) < 0.05, `${rate.estimate}`);
  assert.ok(rate.value > rate.estimate, 'plans with a margin over the estimate');
});

test('outcomes count in the order calls were placed, not as they arrive: a burst reads as its true rate', () => {
  const rate = new AnswerRate(0.5, 0.2);
  // Ten calls at once: three answer within 5 s, which alone would read as a high rate...
  for (let i = 0; i < 3; i++) rate.record(true, 0, 5_000);
  assert.equal(rate.estimate, 0.5, 'nothing folded while calls placed with them may still ring');
  // ...and seven give up at 25 s. Once a later call settles past them, the burst is folded at
  // once, as the 30% it was.
  for (let i = 0; i < 7; i++) rate.record(false, 0, 25_000);
  assert.equal(rate.estimate, 0.5);
  rate.record(false, 30_000, 30_500);
  const keep = 0.8 ** 10;
  assert.ok(Math.abs(rate.estimate - (keep * 0.5 + (1 - keep) * 0.3)) < 1e-9, `${rate.estimate}`);
});
