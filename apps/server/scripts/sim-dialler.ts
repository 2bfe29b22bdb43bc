// npm run sim:dialler -- --scenario FILE.json [--strategy pacing|progressive|ratio:X] [--compare]
// The predictive dialler's simulator (issue #17 item 4): runs the pacing module in virtual time
// against the scenario's call model (docs/dialler-simulator.md). Prints a short summary, then as
// its last line one JSON object: talkMinutesPerAgentHour, abandonRate, worstWindowAbandonRate,
// dialled, answered, abandoned, connected. --compare also runs progressive dialling and every
// fixed ratio from 1.0 to 15.0 (step 0.1) and shows the best one under the cap; the last line is
// still the chosen strategy's. A bad scenario or argument: the reason on stderr, exit code 2.
import { readFileSync } from 'node:fs';
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
  summaryJson,
} from '../src/dialler/simulator.js';

const usage =
  'usage: npm run sim:dialler -- --scenario FILE.json [--strategy pacing|progressive|ratio:2.5] [--compare]';

function fail(message: string): never {
  process.stderr.write(`sim:dialler: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { file: string; strategy: Strategy; compare: boolean } {
  let file: string | undefined;
  let strategy: Strategy = { kind: 'pacing' };
  let compare = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') fail(`${flag} needs a value\n${usage}`);
      return v;
    };
    if (flag === '--scenario') file = value();
    else if (flag === '--strategy') {
      try {
        strategy = parseStrategy(value());
      } catch (e) {
        fail((e as Error).message);
      }
    } else if (flag === '--compare') compare = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    } else fail(`unknown argument "${arg}"\n${usage}`);
  }
  if (!file) fail(`--scenario FILE.json is required\n${usage}`);
  return { file, strategy, compare };
}

function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read the scenario ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(`${file} is not JSON: ${(e as Error).message}`);
  }
  try {
    const { scenario, warnings } = parseScenario(raw);
    for (const w of warnings) process.stderr.write(`sim:dialler: warning: ${file}: ${w}\n`);
    return scenario;
  } catch (e) {
    if (e instanceof ScenarioError) fail(`${file}: ${e.message}`);
    throw e;
  }
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const line = (name: string, r: SimResult) =>
  `${name.padEnd(12)} ${r.talkMinutesPerAgentHour.toFixed(2).padStart(6)} talk min/agent-hour  ` +
  `abandons ${pct(r.abandonRate).padStart(6)}  worst window ${pct(r.worstWindowAbandonRate).padStart(6)}  ` +
  `worst hour ${pct(r.worstHourAbandonRate).padStart(6)}`;

const { file, strategy, compare } = parseArgs(process.argv.slice(2));
const scenario = loadScenario(file);
const started = performance.now();
const result = simulate(scenario, strategy);
const ms = performance.now() - started;

const rate =
  typeof scenario.answerRate === 'number'
    ? pct(scenario.answerRate)
    : scenario.answerRate.map((s) => `${pct(s.rate)} from hour ${s.fromHour}`).join(', ');
console.log(
  `${file}: ${scenario.agents} agents, ${scenario.hours} h, answer rate ${rate}, cap ${pct(scenario.abandonCap)}`,
);
console.log(`strategy ${strategyName(strategy)} (${(ms / 1000).toFixed(2)} s):`);
console.log(
  `  talk ${result.talkMinutesPerAgentHour.toFixed(2)} min per agent-hour; abandon rate ${pct(result.abandonRate)}, ` +
    `worst 24 h/30 d window ${pct(result.worstWindowAbandonRate)}, worst hour ${pct(result.worstHourAbandonRate)}`,
);
console.log(
  `  dialled ${result.dialled}, answered ${result.answered}, connected ${result.connected}, abandoned ${result.abandoned}, ` +
    `given up ringing ${result.unanswered}; ${result.decisions} decisions` +
    (strategy.kind === 'pacing'
      ? ` (predictive ${result.modes.predictive}, progressive ${result.modes.progressive}, idle ${result.modes.idle})`
      : ''),
);
// By hour, or by day for a run longer than a day (the rate shown is the model's at the start).
const span = result.hourly.length > 24 ? 24 : 1;
console.log(`  ${span === 1 ? 'hour' : ' day'}  rate   dialled answered abandoned talk min/agent`);
for (let i = 0; i < result.hourly.length; i += span) {
  const rows = result.hourly.slice(i, i + span);
  const sum = (f: (h: (typeof rows)[number]) => number) => rows.reduce((n, h) => n + f(h), 0);
  console.log(
    `  ${String(i / span).padStart(4)}  ${pct(rows[0]?.modelRate ?? 0).padStart(6)} ${String(sum((h) => h.dialled)).padStart(7)} ` +
      `${String(sum((h) => h.answered)).padStart(8)} ${String(sum((h) => h.abandoned)).padStart(9)} ` +
      `${sum((h) => h.talkMinutesPerAgent)
        .toFixed(1)
        .padStart(14)}`,
  );
}
if (compare) {
  console.log('compared:');
  console.log(`  ${line(strategyName(strategy), result)}`);
  if (strategy.kind !== 'pacing') console.log(`  ${line('pacing', simulate(scenario, { kind: 'pacing' }))}`);
  if (strategy.kind !== 'progressive')
    console.log(`  ${line('progressive', simulate(scenario, { kind: 'progressive' }))}`);
  const best = bestFixedRatio(scenario);
  if (best)
    console.log(`  ${line(`ratio:${best.ratio}`, best.result)}  (best fixed ratio under the cap, 1.0-15.0)`);
  else console.log('  no fixed ratio from 1.0 to 15.0 stays under the cap');
}
console.log(summaryJson(result));
