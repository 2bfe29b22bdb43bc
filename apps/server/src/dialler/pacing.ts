/**
 * Predictive pacing (H1, H2): how many calls to place now, from what the dialler knows at this
 * instant. Pure: no I/O and no clock of its own (times are given), so the simulator
 * (`npm run sim:dialler`) and the live dialler run exactly this code.
 *
 * The model: each call in flight answers with some probability; each new call with the measured
 * answer rate; each agent who is talking or wrapping comes free within the horizon (the time a new
 * call takes to be answered) with some probability. The calls answered beyond the agents free are
 * abandoned. The module places the most calls whose expected abandons fit what the campaign may
 * spend: the abandons this decision's own answers pay for at the target rate, plus a share of the
 * budget left in its tightest window (24 hours and 30 days at once). Near a cap it falls back to
 * one line per free agent (no call without an agent for it), and it never dials when no budget is
 * left and no agent is free.
 */

/** One abandonment window's counts (a rolling 24 hours, a rolling 30 days). */
export interface WindowCounts {
  /** Live-answered calls in the window that reached an agent (`RollingCounts`). */
  answered: number;
  abandoned: number;
}

export interface PacingInput {
  /** Agents Available on the campaign, with nothing on their toolbar. */
  freeAgents: number;
  /** For each agent talking or wrapping: the chance they are free within the horizon (0..1). */
  soonFree: number[];
  /** For each call ringing now: the chance it is still answered (0..1). */
  inFlight: number[];
  /** The answer rate to expect of a new call (0..1), as measured. */
  answerRate: number;
  /** The abandonment windows and the cap (a fraction: 0.03). */
  windows: WindowCounts[];
  cap: number;
  /** Agents signed in on the campaign (caps the lines: never more than `maxLinesPerAgent` each). */
  agents: number;
  maxLinesPerAgent: number;
}

export interface PacingDecision {
  /** Calls to place now (an integer, never negative). */
  dial: number;
  /** Why, for the audit log: the mode and the figures it used. */
  mode: 'idle' | 'predictive' | 'progressive';
  expectedAnswers: number;
  expectedAbandons: number;
  /** The abandons this decision could afford. */
  allowance: number;
}

export interface PacingOptions {
  /** The abandonment rate aimed at, as a share of the cap (the rest is margin for chance). */
  targetShare: number;
  /** The share of the banked budget one decision may spend. */
  budgetSpend: number;
  /** How many more answers than agents a decision may expect (fills capacity, bounded). */
  overAnswer: number;
}

export const DEFAULT_PACING: PacingOptions = { targetShare: 0.85, budgetSpend: 0.005, overAnswer: 0.5 };

/**
 * Abandons the windows can still take at the target rate without any new answer: the tightest
 * window's (a window with no answers yet has none). Negative when a window is over its target.
 */
export function budgetLeft(windows: WindowCounts[], cap: number, options = DEFAULT_PACING): number {
  const target = cap * options.targetShare;
  let least = Number.POSITIVE_INFINITY;
  for (const w of windows) least = Math.min(least, target * w.answered - w.abandoned);
  return Number.isFinite(least) ? least : 0;
}

/**
 * Live-answered calls and abandons in a rolling window, as the dialler counts them: `answered` is
 * the calls that reached an agent, `abandoned` the others (so the budget, target x answered -
 * abandoned, errs low). Times in ms, added in order.
 */
export class RollingCounts {
  private times: number[] = [];
  private abandon: boolean[] = [];
  private head = 0;
  answered = 0;
  abandoned = 0;

  constructor(private readonly windowMs: number) {}

  add(time: number, abandoned: boolean): void {
    this.times.push(time);
    this.abandon.push(abandoned);
    if (abandoned) this.abandoned++;
    else this.answered++;
  }

  advance(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - this.windowMs) {
      if (this.abandon[this.head]) this.abandoned--;
      else this.answered--;
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.abandon = this.abandon.slice(this.head);
      this.head = 0;
    }
  }

  counts(): WindowCounts {
    return { answered: this.answered, abandoned: this.abandoned };
  }
}

/** The standard normal density and distribution function. */
function phi(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}
function bigPhi(z: number): number {
  // Abramowitz and Stegun 7.1.26, |error| < 1.5e-7.
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/**
 * E[max(0, D)] for D = answers - agents free, an integer-valued sum of independent Bernoullis:
 * the sum over k >= 1 of P(D >= k), each term P(N >= k - 1/2) of the normal approximation N,
 * is by the midpoint rule the integral of P(N >= x) from 0 up, that is E[max(0, N)] (exact when
 * there is no variance).
 */
export function expectedExcess(mean: number, variance: number): number {
  if (variance <= 1e-12) return Math.max(0, mean);
  const sigma = Math.sqrt(variance);
  const z = mean / sigma;
  return Math.max(0, mean * bigPhi(z) + sigma * phi(z));
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** How many calls to place now, and why. */
export function decide(input: PacingInput, options: PacingOptions = DEFAULT_PACING): PacingDecision {
  const free = Math.max(0, Math.floor(input.freeAgents));
  const inFlight = input.inFlight.map(clamp01);
  const soon = input.soonFree.map(clamp01);
  const p = clamp01(input.answerRate);
  const lineCap = Math.max(0, Math.floor(input.agents * input.maxLinesPerAgent) - inFlight.length);
  // The budget at the target rate steers (it may be negative: an overshoot lowers the allowance
  // a little, it does not stop predictive dialling); the room left at the cap itself bounds it.
  const budget = budgetLeft(input.windows, input.cap, options);
  const room = budgetLeft(input.windows, input.cap, { ...options, targetShare: 1 });
  const progressive = Math.min(lineCap, Math.max(0, free - inFlight.length));
  const none: PacingDecision = {
    dial: 0,
    mode: 'idle',
    expectedAnswers: 0,
    expectedAbandons: 0,
    allowance: 0,
  };
  if (lineCap === 0 || p === 0 || (free === 0 && soon.length === 0)) return none;

  // No room left at the cap in some window: one line per free agent, each call in flight counted
  // as answered, so no answered call can lack an agent.
  if (room <= 0) return { ...none, dial: progressive, mode: 'progressive' };

  let sMean = 0;
  let sVar = 0;
  for (const q of inFlight) {
    sMean += q;
    sVar += q * (1 - q);
  }
  let mMean = free;
  let mVar = 0;
  for (const r of soon) {
    mMean += r;
    mVar += r * (1 - r);
  }
  const target = input.cap * options.targetShare;
  const spend = options.budgetSpend * budget;
  let best: PacingDecision = {
    ...none,
    mode: 'predictive',
    expectedAnswers: sMean,
    expectedAbandons: expectedExcess(sMean - mMean, sVar + mVar),
    allowance: Math.min(room, spend + target * sMean),
  };
  for (let n = 1; n <= lineCap; n++) {
    const answers = sMean + n * p;
    if (answers > mMean + options.overAnswer) break;
    const abandons = expectedExcess(answers - mMean, sVar + n * p * (1 - p) + mVar);
    const allowance = Math.min(room, spend + target * answers);
    // Over the allowance: with a debt to pay back (spend < 0) a few more answers may pay for it,
    // so go on until a count has fitted; after one has, more calls only add abandons.
    if (abandons > allowance) {
      if (best.dial > 0) break;
      continue;
    }
    best = { dial: n, mode: 'predictive', expectedAnswers: answers, expectedAbandons: abandons, allowance };
  }
  // Never fewer calls than one line per free agent would place (those cannot be abandoned).
  return best.dial < progressive ? { ...none, dial: progressive, mode: 'progressive' } : best;
}

/**
 * The chance a call still ringing after `elapsedMs` is answered, for an answer rate `p` and a
 * mean time to answer `meanAnswerMs` (answers taken as exponentially spread): the answered ones
 * that have not yet answered, over all those still ringing.
 */
export function chanceStillAnswered(elapsedMs: number, p: number, meanAnswerMs: number): number {
  const later = clamp01(p) * Math.exp(-Math.max(0, elapsedMs) / Math.max(1, meanAnswerMs));
  const total = later + (1 - clamp01(p));
  return total > 0 ? later / total : 0;
}

/** A campaign's mean talk time and mean wrap-up time after a call, as measured (ms). */
export interface HandleMeans {
  talkMs: number;
  wrapMs: number;
}

/**
 * The chance a busy agent is free within `horizonMs`: one wrapping up when the wrap ends, one
 * talking when the talk and then the wrap have ended. Both taken as memoryless: talk times are
 * long-tailed, so time already spent on a call says little about the time left (an agent long on
 * a call is on a long call), and over all agents busy this gives the rate they really come free
 * at. The phase is what tells them apart: an agent wrapping up is several times likelier to be
 * free within a ring time than one still talking.
 */
export function chanceFreeWithin(wrapping: boolean, means: HandleMeans, horizonMs: number): number {
  const h = Math.max(0, horizonMs);
  const w = Math.max(1, means.wrapMs);
  if (wrapping) return 1 - Math.exp(-h / w);
  // Talk then wrap: the sum of two exponential times (hypoexponential; Erlang when equal).
  const t = Math.max(1, means.talkMs);
  if (Math.abs(t - w) < 1) return 1 - Math.exp(-h / t) * (1 + h / t);
  return 1 - (t * Math.exp(-h / t) - w * Math.exp(-h / w)) / (t - w);
}

/**
 * The answer rate as it moves through the day: a moving average over calls in the order they were
 * placed (recent calls count most), starting from a prior. Given each call's dial time, an outcome
 * is folded in only once every call placed before it has had its outcome (the longest ring seen so
 * far after its dial): answers come back within seconds and no-answers only at the no-answer time,
 * so taken as they arrive a burst of calls reads first as all answers, then as none. Calls placed
 * at the same instant are folded in together. `value` is the rate to plan with: the estimate plus
 * two standard errors, so an estimate resting on few calls errs towards fewer calls placed. The
 * prior counts as `priorCalls` calls: enough that the first calls of a shift are not placed as if
 * every one would answer, few enough that the calls soon outweigh it.
 */
export class AnswerRate {
  private rate: number;
  private folded = 0;
  private longestRingMs = 0;
  private pending: { dialledAt: number; answered: boolean }[] = [];

  constructor(
    prior = 0.3,
    private readonly alpha = 0.005,
    private readonly priorCalls = 10,
  ) {
    this.rate = clamp01(prior);
  }

  /** The point estimate. */
  get estimate(): number {
    return this.rate;
  }

  /** The rate to plan with: the estimate and two standard errors. */
  get value(): number {
    const n = Math.max(1, Math.min(this.folded + this.priorCalls, (2 - this.alpha) / this.alpha));
    const p = this.rate;
    return Math.min(1, p + 2 * Math.sqrt(Math.max(p * (1 - p), 0.01) / n));
  }

  record(answered: boolean, dialledAtMs?: number, nowMs?: number): void {
    if (dialledAtMs === undefined || nowMs === undefined) {
      this.fold(answered ? 1 : 0, 1);
      return;
    }
    this.longestRingMs = Math.max(this.longestRingMs, nowMs - dialledAtMs);
    this.pending.push({ dialledAt: dialledAtMs, answered });
    const settled = nowMs - this.longestRingMs;
    if (!this.pending.some((o) => o.dialledAt < settled)) return;
    const now = this.pending.filter((o) => o.dialledAt < settled).sort((a, b) => a.dialledAt - b.dialledAt);
    this.pending = this.pending.filter((o) => o.dialledAt >= settled);
    for (let i = 0; i < now.length; ) {
      let j = i;
      let yes = 0;
      while (j < now.length && now[j]?.dialledAt === now[i]?.dialledAt) if (now[j++]?.answered) yes++;
      this.fold(yes / (j - i), j - i);
      i = j;
    }
  }

  /** `k` outcomes at once with this share answered (the same as one by one, in any order). */
  private fold(share: number, k: number): void {
    const keep = (1 - this.alpha) ** k;
    this.rate = keep * this.rate + (1 - keep) * share;
    this.folded += k;
  }
}
