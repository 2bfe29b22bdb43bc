/**
 * The predictive dialler's simulator (issue #17 item 4): the pacing module (`pacing.ts`), unchanged,
 * run in virtual time against a simulated call model, next to the fixed strategies it must beat.
 * Pure: a seeded generator, no clock, no I/O; the same scenario, strategy and seed give the same
 * result. `npm run sim:dialler` is its command line; `docs/dialler-simulator.md` describes the
 * scenario file, the model and the strategies.
 *
 * The model: `agents` agents, all free at the start. A placed call rings; with the answer rate of
 * the hour it was placed in, it answers after a uniform ring-to-answer time (unless that is past
 * the no-answer time, when the dialler gives up first), otherwise the dialler gives up at the
 * no-answer time. An answered call goes to a free agent at once, else waits up to `graceSeconds`
 * for one (the oldest waiting call first) and is abandoned if none comes. Talk is lognormal, wrap
 * uniform, and the agent is free again after wrap. The k-th call placed meets the same fate and
 * the k-th call connected the same talk and wrap under every strategy (common random numbers), so
 * strategies are compared on the same luck.
 *
 * The strategy is asked at every whole second of virtual time and after every event that changes
 * what it sees (an answer, a ringing call given up, an abandon, an agent coming free); it places
 * the calls it asks for at once.
 */

import type { HandleMeans, PacingDecision, PacingInput } from './pacing.js';
import * as pacing from './pacing.js';
import { RollingCounts } from './pacing.js';

export interface SecondsRange {
  min: number;
  max: number;
}

export interface AnswerRateStep {
  /** From this hour of the run (0 = its start) until the next step's. */
  fromHour: number;
  rate: number;
}

export interface Scenario {
  agents: number;
  hours: number;
  seed: number;
  /** A fixed answer rate, or one that changes at the given hours. */
  answerRate: number | AnswerRateStep[];
  ringToAnswerSeconds: SecondsRange;
  noAnswerSeconds: number;
  talkSeconds: { median: number; sigma: number };
  wrapSeconds: SecondsRange;
  graceSeconds: number;
  abandonCap: number;
  /** The line cap given to every strategy: never more calls ringing than this many per agent. */
  maxLinesPerAgent: number;
}

export type Strategy = { kind: 'pacing' } | { kind: 'progressive' } | { kind: 'ratio'; ratio: number };

export interface HourStats {
  hour: number;
  /** The answer rate the model used for calls placed in this hour. */
  modelRate: number;
  dialled: number;
  answered: number;
  abandoned: number;
  talkMinutesPerAgent: number;
}

export interface SimResult {
  talkMinutesPerAgentHour: number;
  abandonRate: number;
  /** The worst abandon rate of any rolling 24-hour or 30-day window (the whole run when shorter). */
  worstWindowAbandonRate: number;
  /** For information: the worst rolling hour (the whole run when shorter). */
  worstHourAbandonRate: number;
  dialled: number;
  answered: number;
  abandoned: number;
  connected: number;
  /** Ringing calls the dialler gave up on. */
  unanswered: number;
  decisions: number;
  /** For `pacing`: the decisions taken in each mode. */
  modes: Record<PacingDecision['mode'], number>;
  /** Answered calls' mean wait for an agent, in seconds (0 when connected at once). */
  meanWaitSeconds: number;
  hourly: HourStats[];
}

export interface SimOptions {
  /** The mean talk and wrap-up times the dialler assumes at first (ms; 270 s and 30 s). */
  priorHandle?: HandleMeans;
  /** The mean ring-to-answer time the dialler assumes at first (ms; half the no-answer time). */
  priorRingMs?: number;
  /** The answer rate the dialler assumes before any outcome (AnswerRate's prior). */
  priorAnswerRate?: number;
  /** How often the strategy is asked regardless of events (ms of virtual time; 1000). */
  tickMs?: number;
  /** Whether the strategy is also asked after every event that changes what it sees (true). */
  onEvents?: boolean;
  /** Sees every pacing decision: its virtual time (ms), its input and its output. */
  trace?: (now: number, input: PacingInput, decision: PacingDecision) => void;
  /**
   * The pacing module to run: `pacing.ts` itself unless a variant is given (to measure a proposed
   * change before it is made). A variant's rate estimate is also told each outcome's call's dial
   * time and the time now.
   */
  pacing?: PacingModule;
}

export interface PacingModule {
  decide: (input: PacingInput) => PacingDecision;
  chanceStillAnswered: (elapsedMs: number, p: number, meanAnswerMs: number) => number;
  chanceFreeWithin: (wrapping: boolean, means: HandleMeans, horizonMs: number) => number;
  AnswerRate: new (
    prior?: number,
  ) => { readonly value: number; record(answered: boolean, dialledAtMs?: number, nowMs?: number): void };
}

export const DEFAULTS = { graceSeconds: 2, abandonCap: 0.03, maxLinesPerAgent: 5 } as const;
const DEFAULT_PRIOR_HANDLE: HandleMeans = { talkMs: 270_000, wrapMs: 30_000 };
/** How many observations a prior mean is worth. */
const PRIOR_WEIGHT = 20;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const THIRTY_DAYS_MS = 30 * DAY_MS;

// ---------------------------------------------------------------------------------------------
// The scenario file

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid scenario:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ScenarioError';
  }
}

const KNOWN_FIELDS = new Set([
  'agents',
  'hours',
  'seed',
  'answerRate',
  'ringToAnswerSeconds',
  'noAnswerSeconds',
  'talkSeconds',
  'wrapSeconds',
  'graceSeconds',
  'abandonCap',
  'maxLinesPerAgent',
  'name',
  'description',
]);

/**
 * Reads a scenario (parsed JSON). Throws a ScenarioError listing every problem; fields it does not
 * know are returned as warnings (a hand-written file's typo shows), not refused.
 */
export function parseScenario(raw: unknown): { scenario: Scenario; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ScenarioError(['the scenario must be a JSON object']);
  }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!KNOWN_FIELDS.has(key)) warnings.push(`unknown field "${key}" ignored`);

  const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
  const num = (
    where: string,
    v: unknown,
    test: (n: number) => boolean,
    what: string,
    fallback?: number,
  ): number => {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !test(v)) {
      problems.push(`"${where}" must be ${what}, got ${show(v)}`);
      return Number.NaN;
    }
    return v;
  };
  const range = (where: string, v: unknown): SecondsRange => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      problems.push(`"${where}" must be {"min": seconds, "max": seconds}, got ${show(v)}`);
      return { min: Number.NaN, max: Number.NaN };
    }
    const r = v as Record<string, unknown>;
    const min = num(`${where}.min`, r.min, (n) => n >= 0, 'a number of seconds >= 0');
    const max = num(`${where}.max`, r.max, (n) => n >= 0, 'a number of seconds >= 0');
    if (min > max) problems.push(`"${where}": min (${min}) is more than max (${max})`);
    return { min, max };
  };

  const agents = num(
    'agents',
    o.agents,
    (n) => Number.isInteger(n) && n >= 1 && n <= 10_000,
    'a whole number from 1 to 10000',
  );
  const hours = num(
    'hours',
    o.hours,
    (n) => n > 0 && n <= 24 * 90,
    'a number of hours above 0 (at most 2160)',
  );
  const seed = num('seed', o.seed, Number.isSafeInteger, 'a whole number');

  let answerRate: Scenario['answerRate'] = Number.NaN;
  const rateTest = (n: number) => n >= 0 && n <= 1;
  if (Array.isArray(o.answerRate)) {
    const steps: AnswerRateStep[] = [];
    o.answerRate.forEach((step: unknown, i) => {
      if (typeof step !== 'object' || step === null || Array.isArray(step)) {
        problems.push(`"answerRate[${i}]" must be {"fromHour": h, "rate": r}, got ${show(step)}`);
        return;
      }
      const s = step as Record<string, unknown>;
      const fromHour = num(`answerRate[${i}].fromHour`, s.fromHour, (n) => n >= 0, 'a number of hours >= 0');
      const rate = num(`answerRate[${i}].rate`, s.rate, rateTest, 'a share from 0 to 1');
      const before = steps[steps.length - 1];
      if (before && !(fromHour > before.fromHour)) {
        problems.push(
          `"answerRate[${i}].fromHour" (${fromHour}) must come after the step before (${before.fromHour})`,
        );
      }
      steps.push({ fromHour, rate });
    });
    if (steps.length === 0)
      problems.push('"answerRate" as a list needs at least one {"fromHour": 0, "rate": r}');
    else if (steps[0]?.fromHour !== 0)
      problems.push('"answerRate[0].fromHour" must be 0 (the rate at the start)');
    answerRate = steps;
  } else {
    answerRate = num(
      'answerRate',
      o.answerRate,
      rateTest,
      'a share from 0 to 1, or a list of {"fromHour": h, "rate": r}',
    );
  }

  const ringToAnswerSeconds = range('ringToAnswerSeconds', o.ringToAnswerSeconds);
  const noAnswerSeconds = num(
    'noAnswerSeconds',
    o.noAnswerSeconds,
    (n) => n > 0,
    'a number of seconds above 0',
  );
  let talkSeconds = { median: Number.NaN, sigma: Number.NaN };
  if (typeof o.talkSeconds !== 'object' || o.talkSeconds === null || Array.isArray(o.talkSeconds)) {
    problems.push(`"talkSeconds" must be {"median": seconds, "sigma": s}, got ${show(o.talkSeconds)}`);
  } else {
    const t = o.talkSeconds as Record<string, unknown>;
    talkSeconds = {
      median: num('talkSeconds.median', t.median, (n) => n > 0, 'a number of seconds above 0'),
      sigma: num('talkSeconds.sigma', t.sigma, (n) => n >= 0 && n <= 5, 'a number from 0 to 5 (of the log)'),
    };
  }
  const wrapSeconds = range('wrapSeconds', o.wrapSeconds);
  const graceSeconds = num(
    'graceSeconds',
    o.graceSeconds,
    (n) => n >= 0,
    'a number of seconds >= 0',
    DEFAULTS.graceSeconds,
  );
  const abandonCap = num(
    'abandonCap',
    o.abandonCap,
    rateTest,
    'a share from 0 to 1 (0.03 is 3%)',
    DEFAULTS.abandonCap,
  );
  const maxLinesPerAgent = num(
    'maxLinesPerAgent',
    o.maxLinesPerAgent,
    (n) => Number.isInteger(n) && n >= 1 && n <= 100,
    'a whole number from 1 to 100',
    DEFAULTS.maxLinesPerAgent,
  );
  if (o.name !== undefined && typeof o.name !== 'string')
    problems.push(`"name" must be text, got ${show(o.name)}`);

  if (problems.length > 0) throw new ScenarioError(problems);
  if (ringToAnswerSeconds.max > noAnswerSeconds) {
    warnings.push(
      `ringToAnswerSeconds.max (${ringToAnswerSeconds.max}) is past noAnswerSeconds (${noAnswerSeconds}): calls that would answer later are given up, so fewer answer than answerRate says`,
    );
  }
  return {
    scenario: {
      agents,
      hours,
      seed,
      answerRate,
      ringToAnswerSeconds,
      noAnswerSeconds,
      talkSeconds,
      wrapSeconds,
      graceSeconds,
      abandonCap,
      maxLinesPerAgent,
    },
    warnings,
  };
}

/** `pacing`, `progressive` or `ratio:X` (X from 0.1 to 100). */
export function parseStrategy(text: string): Strategy {
  if (text === 'pacing') return { kind: 'pacing' };
  if (text === 'progressive') return { kind: 'progressive' };
  const m = /^ratio:(\d+(?:\.\d+)?)$/.exec(text);
  const ratio = m ? Number(m[1]) : Number.NaN;
  if (ratio >= 0.1 && ratio <= 100) return { kind: 'ratio', ratio };
  throw new Error(
    `unknown strategy "${text}": use pacing, progressive or ratio:X (X from 0.1 to 100, e.g. ratio:2.5)`,
  );
}

export function strategyName(s: Strategy): string {
  return s.kind === 'ratio' ? `ratio:${s.ratio}` : s.kind;
}

/** The model's answer rate for a call placed at `ms` into the run. */
export function modelAnswerRate(scenario: Scenario, ms: number): number {
  const r = scenario.answerRate;
  if (typeof r === 'number') return r;
  const hour = ms / HOUR_MS;
  let rate = r[0]?.rate ?? 0;
  for (const step of r) {
    if (step.fromHour > hour) break;
    rate = step.rate;
  }
  return rate;
}

// ---------------------------------------------------------------------------------------------
// Random numbers: sfc32 seeded through splitmix32, one stream per use.

export function random(seed: number, stream: number): () => number {
  let s = (Math.floor(seed / 2 ** 32) ^ Math.imul(stream, 0x9e3779b9)) >>> 0;
  let lo = seed >>> 0;
  const splitmix = () => {
    lo = (lo + 0x9e3779b9) | 0;
    s = (s + 0x6d2b79f5) | 0;
    let z = lo ^ Math.imul(s, 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

// ---------------------------------------------------------------------------------------------
// Events: a binary heap ordered by time, then by the order they were scheduled in.

const ANSWER = 0;
const GIVE_UP = 1;
const ABANDON = 2;
const WRAP_END = 3;

class EventQueue {
  private t: number[] = [];
  private seq: number[] = [];
  private kind: number[] = [];
  private id: number[] = [];
  private n = 0;
  private counter = 0;

  get size(): number {
    return this.n;
  }

  peekTime(): number {
    return this.n > 0 ? (this.t[0] as number) : Number.POSITIVE_INFINITY;
  }

  private less(i: number, j: number): boolean {
    const ti = this.t[i] as number;
    const tj = this.t[j] as number;
    return ti < tj || (ti === tj && (this.seq[i] as number) < (this.seq[j] as number));
  }

  private swap(i: number, j: number): void {
    const { t, seq, kind, id } = this;
    const t0 = t[i] as number;
    t[i] = t[j] as number;
    t[j] = t0;
    const s0 = seq[i] as number;
    seq[i] = seq[j] as number;
    seq[j] = s0;
    const k0 = kind[i] as number;
    kind[i] = kind[j] as number;
    kind[j] = k0;
    const i0 = id[i] as number;
    id[i] = id[j] as number;
    id[j] = i0;
  }

  push(time: number, kind: number, id: number): void {
    let i = this.n++;
    this.t[i] = time;
    this.seq[i] = this.counter++;
    this.kind[i] = kind;
    this.id[i] = id;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the first event; its kind and id are left in `out`. */
  pop(out: { time: number; kind: number; id: number }): void {
    out.time = this.t[0] as number;
    out.kind = this.kind[0] as number;
    out.id = this.id[0] as number;
    const last = --this.n;
    if (last > 0) {
      this.t[0] = this.t[last] as number;
      this.seq[0] = this.seq[last] as number;
      this.kind[0] = this.kind[last] as number;
      this.id[0] = this.id[last] as number;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < last && this.less(l, m)) m = l;
        if (r < last && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
  }
}

/**
 * The worst abandon rate over rolling windows of `windowMs` (the whole run when it is shorter), from
 * each answered call's answer time and whether it was abandoned (counted at its answer).
 */
export function worstWindowRate(
  answerTimes: number[],
  abandoned: Uint8Array | boolean[],
  runMs: number,
  windowMs: number,
): number {
  const n = answerTimes.length;
  if (n === 0) return 0;
  if (runMs <= windowMs) {
    let a = 0;
    for (let i = 0; i < n; i++) if (abandoned[i]) a++;
    return a / n;
  }
  let worst = 0;
  // Windows ending at each answer (from a full window's length on), then windows starting at each
  // answer (while a full window fits): between them every window's edges are covered.
  let lo = 0;
  let ab = 0;
  for (let hi = 0; hi < n; hi++) {
    const t = answerTimes[hi] as number;
    if (abandoned[hi]) ab++;
    while ((answerTimes[lo] as number) <= t - windowMs) {
      if (abandoned[lo]) ab--;
      lo++;
    }
    if (t >= windowMs) worst = Math.max(worst, ab / (hi - lo + 1));
  }
  let hi = 0;
  ab = 0;
  for (let lo2 = 0; lo2 < n; lo2++) {
    const t = answerTimes[lo2] as number;
    if (t + windowMs > runMs) break;
    while (hi < n && (answerTimes[hi] as number) < t + windowMs) {
      if (abandoned[hi]) ab++;
      hi++;
    }
    worst = Math.max(worst, ab / (hi - lo2));
    if (abandoned[lo2]) ab--;
  }
  return worst;
}

// ---------------------------------------------------------------------------------------------
// The simulation

const RINGING = 0;
const WAITING = 1;
const CONNECTED = 2;
const DONE = 3;

export function simulate(scenario: Scenario, strategy: Strategy, options: SimOptions = {}): SimResult {
  const s = scenario;
  const { decide, chanceFreeWithin, chanceStillAnswered, AnswerRate } = options.pacing ?? pacing;
  const endMs = s.hours * HOUR_MS;
  const noAnswerMs = s.noAnswerSeconds * 1000;
  const graceMs = s.graceSeconds * 1000;
  const fateRandom = random(s.seed, 1);
  const handleRandom = random(s.seed, 2);
  const lineLimit = s.agents * s.maxLinesPerAgent;
  const priorHandle = options.priorHandle ?? DEFAULT_PRIOR_HANDLE;
  const priorRingMs = options.priorRingMs ?? noAnswerMs / 2;
  const hours = Math.ceil(s.hours);
  const hourly: HourStats[] = Array.from({ length: hours }, (_, hour) => ({
    hour,
    modelRate: modelAnswerRate(s, hour * HOUR_MS),
    dialled: 0,
    answered: 0,
    abandoned: 0,
    talkMinutesPerAgent: 0,
  }));
  const hourOf = (ms: number) => Math.min(hours - 1, Math.floor(ms / HOUR_MS));

  // Calls, by id.
  const dialTime: number[] = [];
  const state: number[] = [];
  const answerTime: number[] = [];
  const answerIndex: number[] = []; // position in answerLog
  const ringPos: number[] = []; // position in `ringing`
  const ringing: number[] = [];
  const waiting: number[] = []; // answered, waiting for an agent, oldest first (from waitHead)
  let waitHead = 0;

  // Agents.
  const freeAgents: number[] = Array.from({ length: s.agents }, (_, i) => s.agents - 1 - i);
  const busySince = new Float64Array(s.agents);
  const talkEnd = new Float64Array(s.agents); // when the agent's call ends and the wrap begins
  const busyPos = new Int32Array(s.agents).fill(-1);
  const busy: number[] = [];

  // What the dialler measures.
  const rate = new AnswerRate(options.priorAnswerRate);
  let ringSum = 0;
  let ringCount = 0;
  let talkSum = 0;
  let wrapSum = 0;
  let handleCount = 0;
  const day = new RollingCounts(DAY_MS);
  const month = new RollingCounts(THIRTY_DAYS_MS);

  // Results.
  const answerLog: number[] = [];
  const abandonLog: boolean[] = [];
  let dialled = 0;
  let answered = 0;
  let abandoned = 0;
  let connected = 0;
  let unanswered = 0;
  let talkMs = 0;
  let waitMs = 0;
  let decisions = 0;
  const modes: SimResult['modes'] = { idle: 0, predictive: 0, progressive: 0 };

  const queue = new EventQueue();
  const ev = { time: 0, kind: 0, id: 0 };

  const addTalk = (from: number, to: number) => {
    const until = Math.min(to, endMs);
    if (until <= from) return;
    talkMs += until - from;
    for (let t = from; t < until; ) {
      const h = hourOf(t);
      const next = Math.min(until, (h + 1) * HOUR_MS);
      const stats = hourly[h];
      if (stats) stats.talkMinutesPerAgent += (next - t) / 60_000 / s.agents;
      t = next;
    }
  };

  const connect = (call: number, agent: number, now: number) => {
    state[call] = CONNECTED;
    connected++;
    waitMs += now - (answerTime[call] as number);
    busySince[agent] = now;
    busyPos[agent] = busy.length;
    busy.push(agent);
    const talk = s.talkSeconds.median * 1000 * Math.exp(s.talkSeconds.sigma * normal(handleRandom));
    const wrap = (s.wrapSeconds.min + (s.wrapSeconds.max - s.wrapSeconds.min) * handleRandom()) * 1000;
    addTalk(now, now + talk);
    talkEnd[agent] = now + talk;
    queue.push(now + talk + wrap, WRAP_END, agent);
  };

  const stopRinging = (call: number) => {
    const pos = ringPos[call] as number;
    const last = ringing.pop() as number;
    if (last !== call) {
      ringing[pos] = last;
      ringPos[last] = pos;
    }
  };

  const place = (now: number) => {
    const call = dialTime.length;
    dialTime.push(now);
    state.push(RINGING);
    answerTime.push(0);
    answerIndex.push(-1);
    ringPos.push(ringing.length);
    ringing.push(call);
    dialled++;
    const stats = hourly[hourOf(now)];
    if (stats) stats.dialled++;
    // Both draws always, so the k-th call's fate is the same under every strategy.
    const u = fateRandom();
    const ringMs =
      (s.ringToAnswerSeconds.min + (s.ringToAnswerSeconds.max - s.ringToAnswerSeconds.min) * fateRandom()) *
      1000;
    if (u < modelAnswerRate(s, now) && ringMs < noAnswerMs) queue.push(now + ringMs, ANSWER, call);
    else queue.push(now + noAnswerMs, GIVE_UP, call);
  };

  const soonFree: number[] = [];
  const inFlight: number[] = [];
  const ask = (now: number): number => {
    const lineCap = Math.max(0, lineLimit - ringing.length);
    const free = freeAgents.length;
    if (strategy.kind === 'progressive') return Math.min(lineCap, Math.max(0, free - ringing.length));
    if (strategy.kind === 'ratio') {
      return Math.min(lineCap, Math.max(0, Math.round(strategy.ratio * free) - ringing.length));
    }
    // The means measured so far, each starting from a prior worth PRIOR_WEIGHT observations (so
    // the first few calls, the first to finish being the short ones, do not swing them).
    const means: HandleMeans = {
      talkMs: (talkSum + PRIOR_WEIGHT * priorHandle.talkMs) / (handleCount + PRIOR_WEIGHT),
      wrapMs: (wrapSum + PRIOR_WEIGHT * priorHandle.wrapMs) / (handleCount + PRIOR_WEIGHT),
    };
    const meanRing = (ringSum + PRIOR_WEIGHT * priorRingMs) / (ringCount + PRIOR_WEIGHT);
    const p = rate.value;
    soonFree.length = busy.length;
    for (let i = 0; i < busy.length; i++) {
      soonFree[i] = chanceFreeWithin(now >= (talkEnd[busy[i] as number] as number), means, meanRing);
    }
    inFlight.length = ringing.length;
    for (let i = 0; i < ringing.length; i++) {
      inFlight[i] = chanceStillAnswered(now - (dialTime[ringing[i] as number] as number), p, meanRing);
    }
    day.advance(now);
    month.advance(now);
    const input: PacingInput = {
      freeAgents: free,
      soonFree,
      inFlight,
      answerRate: p,
      windows: [day.counts(), month.counts()],
      cap: s.abandonCap,
      agents: s.agents,
      maxLinesPerAgent: s.maxLinesPerAgent,
    };
    const d = decide(input);
    modes[d.mode]++;
    options.trace?.(now, input, d);
    return d.dial;
  };

  const decideAndPlace = (now: number) => {
    decisions++;
    const n = ask(now);
    for (let i = 0; i < n; i++) place(now);
  };

  const handle = (now: number, kind: number, id: number): boolean => {
    switch (kind) {
      case ANSWER: {
        const call = id;
        stopRinging(call);
        answered++;
        const stats = hourly[hourOf(now)];
        if (stats) stats.answered++;
        rate.record(true, dialTime[call], now);
        ringSum += now - (dialTime[call] as number);
        ringCount++;
        answerTime[call] = now;
        answerIndex[call] = answerLog.length;
        answerLog.push(now);
        abandonLog.push(false);
        day.add(now, false);
        month.add(now, false);
        const agent = freeAgents.pop();
        if (agent !== undefined) connect(call, agent, now);
        else {
          state[call] = WAITING;
          waiting.push(call);
          queue.push(now + graceMs, ABANDON, call);
        }
        return true;
      }
      case GIVE_UP:
        stopRinging(id);
        state[id] = DONE;
        unanswered++;
        rate.record(false, dialTime[id], now);
        return true;
      case ABANDON: {
        if (state[id] !== WAITING) return false;
        state[id] = DONE;
        abandoned++;
        const stats = hourly[hourOf(answerTime[id] as number)];
        if (stats) stats.abandoned++;
        abandonLog[answerIndex[id] as number] = true;
        day.add(now, true);
        month.add(now, true);
        return true;
      }
      case WRAP_END: {
        const agent = id;
        talkSum += (talkEnd[agent] as number) - (busySince[agent] as number);
        wrapSum += now - (talkEnd[agent] as number);
        handleCount++;
        const pos = busyPos[agent] as number;
        const last = busy.pop() as number;
        if (last !== agent) {
          busy[pos] = last;
          busyPos[last] = pos;
        }
        busyPos[agent] = -1;
        // The oldest call still waiting takes the agent at once.
        while (waitHead < waiting.length && state[waiting[waitHead] as number] !== WAITING) waitHead++;
        if (waitHead < waiting.length) {
          const call = waiting[waitHead++] as number;
          connect(call, agent, now);
        } else freeAgents.push(agent);
        if (waitHead > 4096 && waitHead * 2 > waiting.length) {
          waiting.splice(0, waitHead);
          waitHead = 0;
        }
        return true;
      }
      default:
        return false;
    }
  };

  const tickMs = options.tickMs ?? 1000;
  const onEvents = options.onEvents ?? true;
  let nextTick = 0;
  for (;;) {
    const te = queue.peekTime();
    if (nextTick <= te && nextTick < endMs) {
      decideAndPlace(nextTick);
      nextTick += tickMs;
      continue;
    }
    if (te >= endMs) break;
    let changed = false;
    while (queue.size > 0 && queue.peekTime() === te) {
      queue.pop(ev);
      if (handle(ev.time, ev.kind, ev.id)) changed = true;
    }
    if (changed && onEvents) decideAndPlace(te);
  }

  const runMs = endMs;
  const worstDay = worstWindowRate(answerLog, abandonLog, runMs, DAY_MS);
  const worstMonth = worstWindowRate(answerLog, abandonLog, runMs, THIRTY_DAYS_MS);
  return {
    talkMinutesPerAgentHour: talkMs / 60_000 / (s.agents * s.hours),
    abandonRate: answered > 0 ? abandoned / answered : 0,
    worstWindowAbandonRate: Math.max(worstDay, worstMonth),
    worstHourAbandonRate: worstWindowRate(answerLog, abandonLog, runMs, HOUR_MS),
    dialled,
    answered,
    abandoned,
    connected,
    unanswered,
    decisions,
    modes,
    meanWaitSeconds: connected > 0 ? waitMs / connected / 1000 : 0,
    hourly,
  };
}

/** A standard normal draw (Box-Muller; two uniforms a draw, so the stream stays in step). */
function normal(next: () => number): number {
  const u = 1 - next();
  const v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The machine-readable line: exactly the seven figures. */
export function summaryJson(r: SimResult): string {
  return JSON.stringify({
    talkMinutesPerAgentHour: r.talkMinutesPerAgentHour,
    abandonRate: r.abandonRate,
    worstWindowAbandonRate: r.worstWindowAbandonRate,
    dialled: r.dialled,
    answered: r.answered,
    abandoned: r.abandoned,
    connected: r.connected,
  });
}

/** Ratios from `from` to `to` in `step`s, without floating-point drift (1.0, 1.1, ... 4.0). */
export function ratioRange(from = 1, to = 15, step = 0.1): number[] {
  const out: number[] = [];
  const n = Math.round((to - from) / step);
  for (let i = 0; i <= n; i++) out.push(Math.round((from + i * step) * 1000) / 1000);
  return out;
}

/**
 * The fixed ratio chosen in hindsight: of the ratios tried, the one with the most talk whose worst
 * window stays at or under the cap (undefined when none does).
 */
export function bestFixedRatio(
  scenario: Scenario,
  ratios = ratioRange(),
): { ratio: number; result: SimResult; tried: { ratio: number; result: SimResult }[] } | undefined {
  const tried = ratios.map((ratio) => ({ ratio, result: simulate(scenario, { kind: 'ratio', ratio }) }));
  let best: { ratio: number; result: SimResult } | undefined;
  for (const t of tried) {
    if (t.result.worstWindowAbandonRate > scenario.abandonCap) continue;
    if (!best || t.result.talkMinutesPerAgentHour > best.result.talkMinutesPerAgentHour) best = t;
  }
  return best && { ...best, tried };
}
