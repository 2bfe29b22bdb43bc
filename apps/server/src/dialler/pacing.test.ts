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

test('it never expects to spend more than it may: the abandons its own answers pay for, and a share of the budget', () => {
  fc.assert(
    fc.property(input, (i) => {
      const d = decide(i);
      if (d.mode !== 'predictive' || d.dial === 0) return;
      const budget = budgetLeft(i.windows, i.cap);
      const allowed =
        DEFAULT_PACING.budgetSpend * budget + i.cap * DEFAULT_PACING.targetShare * d.expectedAnswers;
      assert.ok(d.expectedAbandons <= allowed + 1e-9, JSON.stringify({ d, budget }));
      assert.ok(budget > 0);
    }),
  );
});

test('with no budget left in a window it falls back to one line per free agent: no call can lack an agent', () => {
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

test('the helpers: ringing calls grow less likely to answer, busy agents more likely to come free, the rate follows a drift', () => {
  assert.ok(chanceStillAnswered(0, 0.3, 8000) > chanceStillAnswered(15_000, 0.3, 8000));
  assert.equal(chanceStillAnswered(0, 0.3, 8000), 0.3);
  assert.ok(chanceFreeWithin(170_000, 180_000, 10_000) > chanceFreeWithin(10_000, 180_000, 10_000));
  const rate = new AnswerRate(0.3);
  for (let i = 0; i < 300; i++) rate.record(i % 10 < 6);
  assert.ok(Math.abs(rate.value - 0.6) < 0.05, `${rate.value}`);
});
