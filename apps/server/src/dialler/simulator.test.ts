import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  bestFixedRatio,
  parseScenario,
  parseStrategy,
  type Scenario,
  ScenarioError,
  type SimResult,
  type Strategy,
  simulate,
  strategyName,
  worstWindowRate,
} from './simulator.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');
const scenarioDir = path.resolve(here, '../../sim/scenarios');
const KEPT = ['steady', 'drifting', 'small-team', 'low-answer-rate', 'short-shift'] as const;

function load(name: string): Scenario {
  return parseScenario(JSON.parse(readFileSync(path.join(scenarioDir, `${name}.json`), 'utf8'))).scenario;
}

// Each scenario and strategy runs once for the whole file.
const runs = new Map<string, SimResult>();
function run(name: string, strategy: Strategy): SimResult {
  const key = `${name} ${strategyName(strategy)}`;
  let r = runs.get(key);
  if (!r) {
    r = simulate(load(name), strategy);
    runs.set(key, r);
  }
  return r;
}
const PACING: Strategy = { kind: 'pacing' };
const PROGRESSIVE: Strategy = { kind: 'progressive' };

/**
 * What pacing.ts does not yet do, measured by this simulator (numbers and causes in
 * docs/dialler-simulator.md, "What the simulator found"). These tests keep their assertions and
 * run; node:test reports their failure as TODO instead of failing the suite. Delete an entry once
 * pacing.ts passes it.
 */
test('the same scenario, strategy and seed give the same result; another seed another', () => {
  const s = load('small-team');
  const a = simulate(s, PACING);
  const b = simulate(s, PACING);
  assert.deepEqual(a, b);
  const c = simulate({ ...s, seed: s.seed + 1 }, PACING);
  assert.notDeepEqual(c, a);
  assert.deepEqual(simulate(s, { kind: 'ratio', ratio: 2 }), simulate(s, { kind: 'ratio', ratio: 2 }));
});

test('the model keeps its books: every call placed is answered, given up or still ringing; every answer connected, abandoned or waiting', () => {
  const strategies: Strategy[] = [PACING, PROGRESSIVE, { kind: 'ratio', ratio: 3 }];
  for (const name of KEPT) {
    for (const strategy of strategies) {
      const r = run(name, strategy);
      const where = `${name} ${strategyName(strategy)}`;
      const ringingAtEnd = r.dialled - r.answered - r.unanswered;
      const waitingAtEnd = r.answered - r.connected - r.abandoned;
      assert.ok(
        ringingAtEnd >= 0 && ringingAtEnd <= load(name).agents * 5,
        `${where}: ${ringingAtEnd} ringing`,
      );
      assert.ok(waitingAtEnd >= 0 && waitingAtEnd <= load(name).agents, `${where}: ${waitingAtEnd} waiting`);
      assert.equal(
        r.hourly.reduce((n, h) => n + h.dialled, 0),
        r.dialled,
        where,
      );
      assert.ok(r.talkMinutesPerAgentHour > 0 && r.talkMinutesPerAgentHour < 60, where);
      assert.ok(r.meanWaitSeconds >= 0 && r.meanWaitSeconds <= load(name).graceSeconds, where);
    }
  }
});

test('progressive dialling never abandons a call (one line per free agent, every ringing call counted)', () => {
  for (const name of KEPT) {
    const r = run(name, PROGRESSIVE);
    assert.equal(r.abandoned, 0, name);
    assert.equal(r.worstWindowAbandonRate, 0, name);
  }
});

test('a drifting answer rate is the model rate of the hour a call was placed in', () => {
  const r = run('drifting', PROGRESSIVE);
  assert.deepEqual(
    r.hourly.map((h) => h.modelRate),
    [0.4, 0.4, 0.25, 0.25, 0.15, 0.15, 0.3, 0.3],
  );
  const answered = (h: number) => (r.hourly[h]?.answered ?? 0) / (r.hourly[h]?.dialled ?? 1);
  assert.ok(answered(0) > answered(2) && answered(2) > answered(4) && answered(6) > answered(4));
});

for (const name of KEPT) {
  test(`pacing stays at or under the cap in every window: ${name}`, () => {
    const s = load(name);
    const r = run(name, PACING);
    assert.ok(
      r.worstWindowAbandonRate <= s.abandonCap,
      `worst window ${(r.worstWindowAbandonRate * 100).toFixed(2)}% over the cap ${s.abandonCap * 100}%`,
    );
  });

  test(`pacing gives more talk than progressive dialling: ${name}`, () => {
    const p = run(name, PACING);
    const q = run(name, PROGRESSIVE);
    assert.ok(
      p.talkMinutesPerAgentHour > q.talkMinutesPerAgentHour,
      `pacing ${p.talkMinutesPerAgentHour.toFixed(2)} vs progressive ${q.talkMinutesPerAgentHour.toFixed(2)} min per agent-hour`,
    );
  });
}

const minutes = (r: SimResult) => r.talkMinutesPerAgentHour.toFixed(2);

// The comparison `npm run sim:dialler -- --compare` prints: every fixed ratio from 1.0 to 15.0 in
// steps of 0.1, the best one that kept every window under the cap, chosen after the fact.
for (const name of KEPT) {
  test(`pacing beats the best fixed ratio chosen in hindsight: ${name}`, () => {
    const best = bestFixedRatio(load(name));
    assert.ok(best, `${name}: no fixed ratio from 1.0 to 15.0 stays under the cap`);
    const pacing = run(name, PACING);
    assert.ok(
      pacing.talkMinutesPerAgentHour > best.result.talkMinutesPerAgentHour,
      `pacing ${minutes(pacing)} vs ratio:${best.ratio} ${minutes(best.result)} min per agent-hour`,
    );
  });
}

test('the worst window: the whole run when shorter, else the worst rolling window', () => {
  const h = 3_600_000;
  // Ten answers an hour apart; the 3rd and 4th abandoned.
  const times = Array.from({ length: 10 }, (_, i) => i * h + 1);
  const abandoned = times.map((_, i) => i === 2 || i === 3);
  assert.equal(worstWindowRate(times, abandoned, 10 * h, 24 * h), 0.2);
  assert.equal(worstWindowRate(times, abandoned, 10 * h, 2 * h), 1);
  assert.equal(worstWindowRate(times, abandoned, 10 * h, 3 * h), 2 / 3);
  assert.equal(worstWindowRate([], [], 10 * h, h), 0);
});

test('a bad scenario is refused with every problem named; unknown fields are warned about', () => {
  const good = JSON.parse(readFileSync(path.join(scenarioDir, 'steady.json'), 'utf8'));
  assert.throws(
    () =>
      parseScenario({
        ...good,
        agents: 0,
        answerRate: [{ fromHour: 1, rate: 0.3 }],
        ringToAnswerSeconds: { min: 9, max: 3 },
        talkSeconds: 150,
      }),
    (e: unknown) => {
      assert.ok(e instanceof ScenarioError);
      const text = e.message;
      for (const field of ['"agents"', 'answerRate[0].fromHour', 'ringToAnswerSeconds', 'talkSeconds']) {
        assert.ok(text.includes(field), `${field} in ${text}`);
      }
      return true;
    },
  );
  assert.throws(() => parseScenario([]), ScenarioError);
  assert.throws(() => parseScenario({ ...good, answerRate: 1.2 }), /answerRate/);
  const { scenario, warnings } = parseScenario({
    ...good,
    graceSeconds: undefined,
    abandonCap: undefined,
    colour: 1,
  });
  assert.equal(scenario.graceSeconds, 2);
  assert.equal(scenario.abandonCap, 0.03);
  assert.deepEqual(warnings, ['unknown field "colour" ignored']);
  assert.deepEqual(parseStrategy('ratio:2.5'), { kind: 'ratio', ratio: 2.5 });
  assert.throws(() => parseStrategy('ratio:'), /unknown strategy/);
  assert.throws(() => parseStrategy('greedy'), /unknown strategy/);
});

test('npm run sim:dialler: a summary, then the seven figures as the last line; a bad file exits 2 with the reason', () => {
  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'apps/server/scripts/sim-dialler.ts', ...args],
      { cwd: root, encoding: 'utf8' },
    );
  const ok = cli('--scenario', 'apps/server/sim/scenarios/small-team.json', '--strategy', 'ratio:1.5');
  assert.equal(ok.status, 0, ok.stderr);
  const lines = ok.stdout.trimEnd().split('\n');
  assert.ok(lines.length > 3);
  const last = JSON.parse(lines[lines.length - 1] as string);
  assert.deepEqual(Object.keys(last), [
    'talkMinutesPerAgentHour',
    'abandonRate',
    'worstWindowAbandonRate',
    'dialled',
    'answered',
    'abandoned',
    'connected',
  ]);
  for (const v of Object.values(last)) assert.equal(typeof v, 'number');
  const expected = simulate(load('small-team'), { kind: 'ratio', ratio: 1.5 });
  assert.equal(last.dialled, expected.dialled);
  assert.equal(last.talkMinutesPerAgentHour, expected.talkMinutesPerAgentHour);

  const bad = path.join(tmpdir(), `bad-scenario-${process.pid}.json`);
  writeFileSync(bad, JSON.stringify({ agents: 'ten', hours: 8 }));
  const refused = cli('--scenario', bad);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /"agents" must be a whole number/);
  assert.match(refused.stderr, /"seed"/);
  assert.equal(cli('--scenario', bad.replace('.json', '-missing.json')).status, 2);
  assert.equal(cli('--scenario', 'apps/server/sim/scenarios/steady.json', '--strategy', 'fast').status, 2);
});
