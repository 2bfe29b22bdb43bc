// npm run bench:dialler: predictive dialling (issue #17 item 7). Two parts; it prints figures and
// never fails on time.
//
// (a) Live: the platform as its own process (PGlite by default, DIALLER_DB=postgres for a fresh
// PostgreSQL database), one predictive campaign, DIALLER_AGENTS agents (100) signed in with a
// toolbar (RealtimeClient over WebSocket) and a persistent voice path: a desk phone (the project's
// SIP stack) that called the dial-in number with its agent ID and PIN, its RTP leg sending 20 ms
// of silence every 20 ms, as in bench:outbound. Leads imported through the lead CSV import. The
// workspace's trunk goes to a SIPp carrier (uas-bench-dialler-carrier.xml) that answers a share
// of the calls (DIALLER_ANSWER, 0.35) after a uniform 2-8 s ring and lets the others ring until
// the campaign's no-answer time (DIALLER_RING_S, 20) has the platform CANCEL them. An answered call
// the dialler connects reaches an agent; the agent talks a uniform DIALLER_TALK_S (15-45 s), Hangs
// Up through the API, wraps for a uniform DIALLER_WRAP_S (3-8 s) and wraps through the API with an
// outcome that completes the lead. All agents go Available at once and work DIALLER_MINUTES (3);
// the figures count the calls dialled in that time. The agents then work on while the last calls
// settle (DRAIN_MS), pause, and the bench waits for every call to end.
//
// Printed: calls in flight, agents free and the dial level over time (GET /api/dialler/campaigns
// as the administrator, every second, itself timed); calls dialled, answered, connected and
// abandoned per second; the abandonment rate per 30 s window and the campaign's 24-hour window;
// abandons with agents free at that moment (server side); agents' talk minutes per agent-hour;
// the dialler's decision latency: each pacing round of the live dialler timed in the server (the
// bench starts the server from this file with DIALLER_ROLE=server, which wraps
// DiallerService.pace and PredictiveCalls.place before importing main.ts: decide() and the calls'
// placing, lead selection and number claim included), the rounds per second, and decide() itself
// timed in this process on the inputs the audit log recorded; the server's CPU, RSS and event loop
// delay, the media workers', SIPp's and this bench's CPU; SIPp's failed calls.
//
// (b) Simulator: every scenario in apps/server/sim/scenarios/ through the simulator's own
// functions (those `npm run sim:dialler -- --compare` calls): pacing, progressive dialling, the
// best fixed ratio in hindsight from 1.0 to 4.0 (the CLI's range) and from 1.0 to 15.0, talk
// minutes per agent-hour and the worst window's abandonment rate.
//
// Environment: DIALLER_PART=live|sim (default both), DIALLER_AGENTS (100), DIALLER_MINUTES (3),
// DIALLER_ANSWER (0.35), DIALLER_RING_S (20), DIALLER_TALK_S (15-45), DIALLER_WRAP_S (3-8),
// DIALLER_LEADS (default: enough for 15 calls a second), DIALLER_LINES (maxLinesPerAgent, 3),
// DIALLER_DB=postgres, DIALLER_CARRIER_RTP=1 (the carrier echoes audio; default: silent),
// MEDIA_WORKERS, LOG_LEVEL (the server's; warn by default, its lines on stderr).
// A smoke run: DIALLER_AGENTS=5 DIALLER_MINUTES=0.5 DIALLER_PART=live.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ApiError, HttpClient, RealtimeClient, type SocketLike } from '@parley/client';
import { DEFAULT_LEAD_RULES, type DiallerCampaignStats, type Snapshot } from '@parley/contract';
import { WebSocket } from 'ws';
import { decide, type PacingInput } from '../src/dialler/pacing.js';
import { bestFixedRatio, parseScenario, type SimResult, simulate } from '../src/dialler/simulator.js';
import { parseRemoteAudio } from '../src/sip/sdp/offer-answer.js';
import { PhoneRtp, Phones } from './desk-phones.js';
import {
  cpuSeconds,
  LOCAL,
  mediaWorkers,
  type Platform,
  serverLog,
  startPlatform,
  stopPlatform,
} from './platform.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PART = process.env.DIALLER_PART ?? 'all';
const AGENTS = Number(process.env.DIALLER_AGENTS ?? 100);
const MINUTES = Number(process.env.DIALLER_MINUTES ?? 3);
const ANSWER = Number(process.env.DIALLER_ANSWER ?? 0.35);
const RING_S = Number(process.env.DIALLER_RING_S ?? 20);
const range = (text: string): [number, number] => {
  const [a, b] = text.split('-').map(Number);
  return [a ?? 0, b ?? a ?? 0];
};
const TALK_S = range(process.env.DIALLER_TALK_S ?? '15-45');
const WRAP_S = range(process.env.DIALLER_WRAP_S ?? '3-8');
const LINES = Number(process.env.DIALLER_LINES ?? 3);
const LEADS = Number(process.env.DIALLER_LEADS ?? Math.max(2000, Math.ceil(MINUTES * 60 * 15) + 2000));
const DB = process.env.DIALLER_DB === 'postgres' ? 'postgres' : 'pglite';
const CARRIER_RTP = process.env.DIALLER_CARRIER_RTP === '1';
const PASSWORD = 'bench-password-123';
const FIRST_AGENT_ID = 7301;
/** After the measured minutes, the agents work on this long so every call dialled has its outcome. */
const DRAIN_MS = (RING_S + 10) * 1000;
const WINDOW_S = 30;
const SCENARIOS = path.join(here, '../sim/scenarios');

/** Milliseconds on CLOCK_MONOTONIC: comparable between the bench and the server process. */
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const uniform = ([a, b]: [number, number]) => a + Math.random() * (b - a);

// --- the server, its pacing rounds timed ------------------------------------------------------

/** One pacing round of one campaign in the server: how long, and how many calls it placed. */
interface PaceRound {
  at: number;
  ms: number;
  placed: number;
}

/** At an abandon (the grace time over): the campaign's agents free and busy at that moment. */
interface AbandonSeen {
  at: number;
  free: number;
  busy: number;
}

interface ServerReport {
  paces: PaceRound[];
  abandons: AbandonSeen[];
  loop: { p50: number; p99: number; max: number };
}

type Method = (this: unknown, ...args: unknown[]) => Promise<unknown>;

/**
 * The platform as main.ts runs it, with DiallerService.pace (one campaign's decision and the
 * calls it places) and PredictiveCalls.place and .abandon wrapped: each round timed with the
 * calls it placed, and at each abandon the campaign's agents free and busy. The bench asks for
 * them over IPC ("report").
 */
async function serve(): Promise<void> {
  const { DiallerService } = await import('../src/dialler/dialler.service.js');
  const { PredictiveCalls } = await import('../src/voice/predictive-calls.js');
  const paces: PaceRound[] = [];
  const abandons: AbandonSeen[] = [];
  let placed = 0;
  const dialler = DiallerService.prototype as unknown as { pace: Method };
  const pace = dialler.pace;
  dialler.pace = async function (this: unknown, ...args: unknown[]) {
    const t0 = now();
    const before = placed;
    try {
      return await pace.apply(this, args);
    } finally {
      paces.push({ at: t0, ms: now() - t0, placed: placed - before });
    }
  };
  const calls = PredictiveCalls.prototype as unknown as {
    place: Method;
    abandon: Method;
  };
  const place = calls.place;
  calls.place = function (this: unknown, ...args: unknown[]) {
    placed++;
    return place.apply(this, args);
  };
  const abandon = calls.abandon;
  calls.abandon = function (this: unknown, ...args: unknown[]) {
    const self = this as {
      deps: { acd: { campaignAgents(id: string): { free: string[]; busy: unknown[] } } };
    };
    const d = args[1] as { campaignId: string };
    const { free, busy } = self.deps.acd.campaignAgents(d.campaignId);
    abandons.push({ at: now(), free: free.length, busy: busy.length });
    return abandon.apply(this, args);
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  process.on('message', (msg) => {
    if (msg === 'start') {
      paces.length = 0;
      abandons.length = 0;
      loop.reset();
      loop.enable();
      return;
    }
    if (msg !== 'report') return;
    const report: ServerReport = {
      paces,
      abandons,
      loop: {
        p50: loop.percentile(50) / 1e6,
        p99: loop.percentile(99) / 1e6,
        max: loop.max / 1e6,
      },
    };
    process.send?.(report);
  });
  await import('../src/main.js');
}

const log = serverLog();

/** The server from this file (it loads main.ts with the hooks above), with an IPC channel. */
function startServer(o: { dataDir: string; databaseUrl: string | undefined }): Promise<Platform> {
  return startPlatform({
    ...o,
    password: PASSWORD,
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    onLogLine: log.line,
    entry: fileURLToPath(import.meta.url),
    env: { DIALLER_ROLE: 'server' },
    ipc: true,
  });
}

function reportFrom(child: ChildProcess): Promise<ServerReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not report')), 10_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as ServerReport);
    });
    child.send('report');
  });
}

// --- the carrier: SIPp answering a share after a random ring ----------------------------------

interface Carrier {
  child: ChildProcess;
  port: number;
  dir: string;
  output: () => string;
}

function startCarrier(): Carrier {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-dialler-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  // The share answered is the scenario's "answers" test value: a copy carries DIALLER_ANSWER.
  const scenario = path.join(dir, 'uas-bench-dialler-carrier.xml');
  const xml = readFileSync(path.join(here, '../src/sip/uas/sipp/uas-bench-dialler-carrier.xml'), 'utf8');
  writeFileSync(
    scenario,
    xml.replace('compare="less_than" value="0.35"', `compare="less_than" value="${ANSWER}"`),
  );
  const args = [
    '-sf',
    scenario,
    '-t',
    'u1',
    '-i',
    LOCAL,
    '-p',
    String(port),
    '-mp',
    String(40000 + Math.floor(Math.random() * 10000)),
    '-nostdin',
    '-trace_stat',
    '-stf',
    path.join(dir, 'stat.csv'),
    '-fd',
    '1',
    '-trace_err',
    '-error_file',
    path.join(dir, 'errors.log'),
    ...(CARRIER_RTP ? ['-rtp_echo'] : []),
  ];
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + String(d)).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, port, dir, output: () => output };
}

/** SIPp's cumulative counters from its statistics file (written every second). */
function carrierStats(c: Carrier): Record<string, number> {
  let lines: string[];
  try {
    lines = readFileSync(path.join(c.dir, 'stat.csv'), 'utf8').trim().split('\n');
  } catch {
    return {};
  }
  const names = (lines[0] ?? '').split(';');
  const last = (lines.at(-1) ?? '').split(';');
  const out: Record<string, number> = {};
  names.forEach((n, i) => {
    const v = Number(last[i]);
    if (n && Number.isFinite(v)) out[n] = v;
  });
  return out;
}

function carrierErrors(c: Carrier): string[] {
  try {
    return readFileSync(path.join(c.dir, 'errors.log'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

// --- the run -----------------------------------------------------------------------------------

interface Agent {
  index: number;
  http: HttpClient;
  rt: RealtimeClient;
  rtp: PhoneRtp;
  /** Predictive calls seen on the toolbar (handled once each). */
  seen: Set<string>;
  /** Talk: from the call first shown on the toolbar to the Hang Up answered (ms, monotonic). */
  talks: { from: number; to: number }[];
  /** Once the run is over: pause after the current wrap instead of taking more calls. */
  stopping: boolean;
}

/** The bench's own count of what went wrong on the agents' side. */
const trouble = new Map<string, number>();
const note = (what: string) => trouble.set(what, (trouble.get(what) ?? 0) + 1);

function pct(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

function summary(values: number[], unit = 'ms', digits = 1): string {
  const s = [...values].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(digits);
  return `p50 ${f(pct(s, 0.5))}  p95 ${f(pct(s, 0.95))}  p99 ${f(pct(s, 0.99))}  max ${f(s.at(-1) ?? Number.NaN)} ${unit}  (n=${s.length})`;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const codeOf = (err: unknown) =>
  err instanceof ApiError ? `${err.status} ${err.code}` : (err as Error).message.slice(0, 80);

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** `/proc/<pid>/status` in kB (VmRSS, VmHWM). */
function procKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Runs `f` over `items`, at most `n` at a time. */
async function limited<T>(items: T[], n: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await f(items[next++] as T);
    }),
  );
}

async function live(): Promise<void> {
  const { createStore } = await import('../src/db/test-store.js');
  const store = await createStore(DB);
  const server = await startServer(store).catch(async (err) => {
    await store.drop();
    throw err;
  });
  const carrier = startCarrier();
  const phones = new Phones();
  const agents: Agent[] = [];
  let ticker: NodeJS.Timeout | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let stopped = false;
  try {
    await phones.start(server.sipPort);
    const admin = new HttpClient({ baseUrl: server.url, manageCookies: true });
    const session = await admin.login({ username: 'admin', password: PASSWORD });
    const ws = session.workspace.id;
    const profile = (await admin.agentProfiles(ws).list())[0];
    const reason = (await admin.pauseReasons(ws).list())[0];
    if (!profile || !reason) throw new Error('the demo workspace has no agent profile or pause reason');
    const team = await admin.teams(ws).create({ name: 'Bench Predictive' });
    const campaign = await admin.campaigns(ws).create({
      name: 'Bench Predictive',
      kind: 'outbound_predictive',
      teamIds: [team.id],
      ringSeconds: RING_S,
      leadRules: {
        ...DEFAULT_LEAD_RULES,
        defaultCountry: 'AU',
        callingHours: { from: '00:00', to: '00:00', days: [1, 2, 3, 4, 5, 6, 7] },
      },
      predictive: { abandonCap: 0.03, lockoutHours: 72, infoMessageId: null, maxLinesPerAgent: LINES },
    });
    const outcome = await admin.wrapCodes(ws, campaign.id).create({ name: 'Reached', completesLead: true });
    await admin.trunks(ws).create({ name: 'SIPp carrier', host: LOCAL, port: carrier.port });

    const list = await admin.leadLists(ws).create({ campaignId: campaign.id, name: 'Bench leads' });
    const csv = [
      'Name,Mobile',
      ...Array.from({ length: LEADS }, (_, i) => `Lead ${i},+612${80_000_000 + i}`),
    ];
    const importing = await admin
      .leadLists(ws)
      .importCsv(list.id, `${csv.join('\n')}\n`, { phone: ['Mobile'] });
    const imported = await admin.leadImports(ws).wait(importing.id, { intervalMs: 200 });
    if (imported.status !== 'completed') throw new Error(`the lead import ${imported.status}`);

    console.log(
      `bench:dialler (a) live: ${AGENTS} agents (desk phones called in, RTP every 20 ms), one predictive campaign ` +
        `(cap 3%, ${LINES} lines per agent, no-answer ${RING_S} s), ${LEADS} leads; the SIPp carrier answers ` +
        `${(ANSWER * 100).toFixed(0)}% after 2-8 s and lets the rest ring; talk ${TALK_S.join('-')} s, Hang Up ` +
        `and wrap ${WRAP_S.join('-')} s through the API; ${MINUTES} min; ${DB === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ` +
        `${process.env.MEDIA_WORKERS ?? 'default'} media workers; carrier ${CARRIER_RTP ? 'echoes audio' : 'sends no audio'}`,
    );
    console.log(`load average before: ${load()} (other sessions share this 2-core machine)`);

    // One 20 ms clock for every desk phone, catching up when it runs late.
    const tickStart = performance.now();
    let ticks = 0;
    ticker = setInterval(() => {
      const due = Math.round((performance.now() - tickStart) / 20);
      for (; ticks < due; ticks++) for (const a of agents) a.rtp.tick();
    }, 20);

    const setupStart = performance.now();
    for (let i = 0; i < AGENTS; i++)
      await admin.users(ws).create({
        username: `bench-pd-${i}`,
        displayName: `Bench Predictive ${i}`,
        role: 'agent',
        password: PASSWORD,
        agentId: FIRST_AGENT_ID + i,
        pin: String(600_000 + i),
        agentProfileId: profile.id,
        teamIds: [team.id],
      });
    const indexes = Array.from({ length: AGENTS }, (_, i) => i);
    await limited(indexes, 25, async (index) => {
      const http = new HttpClient({ baseUrl: server.url, manageCookies: true });
      await http.login({ username: `bench-pd-${index}`, password: PASSWORD });
      const wsUrl = `${server.url.replace('http', 'ws')}/api/realtime`;
      const rt = new RealtimeClient({
        connect: () =>
          new WebSocket(wsUrl, {
            headers: { cookie: http.sessionCookie ?? '', origin: server.url },
          }) as unknown as SocketLike,
        maxBackoffMs: 200,
      });
      const agent: Agent = {
        index,
        http,
        rt,
        rtp: new PhoneRtp(),
        seen: new Set(),
        talks: [],
        stopping: false,
      };
      rt.subscribe({ state: (s) => onState(agent, s, outcome.id, reason.id) });
      rt.start();
      await until(() => rt.state !== undefined, `agent ${index}'s toolbar`);
      const rtpPort = await agent.rtp.bind();
      const { response, dialog } = await phones.callIn(`desk-${index}`, rtpPort);
      if (!dialog) throw new Error(`agent ${index}'s call-in got ${response.status}`);
      const remote = parseRemoteAudio(new TextDecoder().decode(response.body));
      agent.rtp.remote = {
        address: remote.address,
        port: remote.port,
        dtmfPayloadType: remote.dtmfPayloadType ?? 101,
      };
      agents.push(agent);
      await sleep(800);
      for (const d of `${FIRST_AGENT_ID + index}#`) agent.rtp.dtmf.push(d);
      await sleep(1500);
      for (const d of `${600_000 + index}#`) agent.rtp.dtmf.push(d);
      await until(() => rt.state?.agent.voice === 'connected', `agent ${index}'s voice path`, 60_000);
      await http.setStatus({ kind: 'paused', reasonId: reason.id });
      await until(() => rt.state?.agent.status.kind === 'paused', `agent ${index} paused`);
    });
    agents.sort((a, b) => a.index - b.index);
    console.log(
      `setup: ${AGENTS} agents paused with a persistent voice path in ${((performance.now() - setupStart) / 1000).toFixed(1)} s; ` +
        `${imported.imported ?? LEADS} leads imported`,
    );

    // The run: everyone Available at once.
    const pid = server.child.pid ?? 0;
    const workers = mediaWorkers(pid);
    const carrierPid = carrier.child.pid ?? 0;
    server.child.send('start');
    const rss0 = procKb(pid, 'VmRSS');
    const cpu0 = { server: cpuSeconds(pid), workers: workers.reduce((s, p) => s + cpuSeconds(p), 0) };
    const cpuCarrier0 = cpuSeconds(carrierPid);
    const self0 = process.cpuUsage();
    const t0 = now();
    const wall0 = Date.now();
    await Promise.all(agents.map((a) => a.http.setStatus({ kind: 'available' })));

    const samples: { t: number; ms: number; s: DiallerCampaignStats }[] = [];
    let rssPeak = rss0;
    let sampling = false;
    sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, procKb(pid, 'VmRSS'));
      if (sampling) return; // a GET still out: skip this second
      sampling = true;
      const at = now();
      admin
        .diallerCampaigns()
        .then((list) => {
          const s = list.find((c) => c.campaignId === campaign.id);
          if (s) samples.push({ t: (at - t0) / 1000, ms: now() - at, s });
        })
        .catch((err) => note(`GET /api/dialler/campaigns refused: ${codeOf(err)}`))
        .finally(() => {
          sampling = false;
        });
    }, 1000);

    const runMs = MINUTES * 60_000;
    await sleep(runMs);
    const tEnd = now();
    const wallEnd = Date.now();
    const cpuRun = {
      server: cpuSeconds(pid) - cpu0.server,
      workers: workers.reduce((s, p) => s + cpuSeconds(p), 0) - cpu0.workers,
      carrier: cpuSeconds(carrierPid) - cpuCarrier0,
    };
    const self = process.cpuUsage(self0);
    const loadEnd = load();
    const report = await reportFrom(server.child);
    // The calls dialled in the run settle with the agents still working; then everyone pauses.
    await sleep(DRAIN_MS);
    clearInterval(sampler);
    sampler = undefined;
    for (const a of agents) a.stopping = true;
    await Promise.all(
      agents
        .filter((a) => (a.rt.state?.agent.interactions.length ?? 0) === 0)
        .map((a) => a.http.setStatus({ kind: 'paused', reasonId: reason.id }).catch(() => undefined)),
    );
    await until(
      () => agents.every((a) => (a.rt.state?.agent.interactions.length ?? 0) === 0),
      'every agent’s toolbar to empty',
      TALK_S[1] * 1000 + WRAP_S[1] * 1000 + 60_000,
    ).catch((err) => note((err as Error).message));
    await until(
      () => (carrierStats(carrier).CurrentCall ?? 0) === 0,
      'the carrier’s calls to end',
      (RING_S + 30) * 1000,
    ).catch((err) => note((err as Error).message));
    const voiceLost = agents.filter((a) => a.rt.state?.agent.voice !== 'connected').length;
    const carrierEnd = carrierStats(carrier);
    const carrierErrs = carrierErrors(carrier);
    const talks = agents.flatMap((a) => a.talks);
    for (const a of agents) a.rt.stop();
    await stopPlatform(server);
    stopped = true;

    // What the dialler recorded, read from the database once the server has stopped.
    const { openDatabase } = await import('../src/db/database.js');
    const opened = await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl });
    const calls = await opened.db
      .selectFrom('dialler_calls')
      .select([
        'dialled_at',
        'answered_at',
        'connected_at',
        'ended_at',
        'outcome',
        'waited_ms',
        'message_played',
      ])
      .where('campaign_id', '=', campaign.id)
      .orderBy('dialled_at')
      .execute();
    const audits = await opened.db
      .selectFrom('dialler_audit')
      .select(['at', 'kind', 'detail'])
      .where('campaign_id', '=', campaign.id)
      .where('kind', '=', 'decision')
      .orderBy('id')
      .execute();
    await opened.close();

    const runS = (tEnd - t0) / 1000;
    const inRun = calls.filter((c) => c.dialled_at.getTime() >= wall0 && c.dialled_at.getTime() < wallEnd);
    const count = (o: string) => inRun.filter((c) => c.outcome === o).length;
    const answered = inRun.filter((c) => c.answered_at !== null);
    const abandoned = count('abandoned');
    const connected = count('connected');
    console.log(`\nrun: ${runS.toFixed(0)} s, load average at its end ${loadEnd}`);
    console.log(
      `calls dialled in the run ${inRun.length} (${(inRun.length / runS).toFixed(2)}/s), answered ${answered.length} ` +
        `(${(answered.length / runS).toFixed(2)}/s, ${((answered.length / Math.max(1, inRun.length)) * 100).toFixed(1)}%), ` +
        `connected ${connected} (${(connected / runS).toFixed(2)} set-ups/s), abandoned ${abandoned} ` +
        `(${((abandoned / Math.max(1, answered.length)) * 100).toFixed(2)}% of answered), no answer ${count('no answer')}, ` +
        `busy ${count('busy')}, failed ${count('failed')}, refused ${count('refused')}, still ringing ${count('ringing')}`,
    );
    const waits = inRun.filter((c) => c.outcome === 'connected').map((c) => c.waited_ms ?? 0);
    console.log(`answer → connected to an agent: ${summary(waits)}`);
    const notPlayed = inRun.filter((c) => c.outcome === 'abandoned' && !c.message_played).length;
    console.log(`abandoned calls without the information message: ${notPlayed}`);

    // Over time: 30 s windows by dial time (calls) and answer time (abandonment), with the samples.
    console.log(
      `\n window    dialled/s  answered  connected  abandoned  abandon%   in flight avg/max   free avg   dial level   talking avg`,
    );
    for (let w = 0; w * WINDOW_S < runS; w++) {
      const from = wall0 + w * WINDOW_S * 1000;
      const to = Math.min(wallEnd, from + WINDOW_S * 1000);
      const d = inRun.filter((c) => c.dialled_at.getTime() >= from && c.dialled_at.getTime() < to).length;
      const ans = calls.filter(
        (c) => c.answered_at && c.answered_at.getTime() >= from && c.answered_at.getTime() < to,
      );
      const ab = ans.filter((c) => c.outcome === 'abandoned').length;
      const cn = ans.filter((c) => c.outcome === 'connected').length;
      const ss = samples.filter((s) => s.t >= w * WINDOW_S && s.t < (w + 1) * WINDOW_S);
      const avg = (f: (s: DiallerCampaignStats) => number) =>
        ss.length ? ss.reduce((n, s) => n + f(s.s), 0) / ss.length : Number.NaN;
      const max = ss.reduce((n, s) => Math.max(n, s.s.inFlight), 0);
      console.log(
        `${String(w * WINDOW_S).padStart(4)}-${String(Math.round((to - wall0) / 1000)).padEnd(4)} ` +
          `${(d / ((to - from) / 1000)).toFixed(2).padStart(9)}  ${String(ans.length).padStart(8)}  ${String(cn).padStart(9)}  ` +
          `${String(ab).padStart(9)}  ${((ab / Math.max(1, ans.length)) * 100).toFixed(2).padStart(7)}%  ` +
          `${avg((s) => s.inFlight)
            .toFixed(1)
            .padStart(10)}/${String(max).padEnd(8)} ${avg((s) => s.freeAgents)
            .toFixed(1)
            .padStart(8)}  ` +
          `${avg((s) => s.dialLevel)
            .toFixed(2)
            .padStart(11)}  ${avg((s) => s.agents - s.freeAgents)
            .toFixed(1)
            .padStart(12)}`,
      );
    }
    const last = samples.at(-1)?.s;
    if (last)
      console.log(
        `the campaign's windows at the end: ${last.windows.map((w) => `${w.name} ${w.abandoned}/${w.answered} = ${(w.rate * 100).toFixed(2)}%`).join(', ')}; ` +
          `answer rate measured ${(last.answerRate * 100).toFixed(1)}%, mode ${last.mode}`,
      );
    console.log(`GET /api/dialler/campaigns: ${summary(samples.map((s) => s.ms))}`);

    // Talk minutes per agent-hour, clipped to the run, and from the second minute on.
    const talkIn = (from: number, to: number) =>
      talks.reduce((n, t) => n + Math.max(0, Math.min(to, t.to) - Math.max(from, t.from)), 0);
    const perAgentHour = (from: number, to: number) =>
      talkIn(from, to) / 60_000 / (AGENTS * ((to - from) / 3_600_000));
    console.log(
      `agents' talk: ${perAgentHour(t0, tEnd).toFixed(1)} min per agent-hour over the run` +
        (runS > 90 ? `, ${perAgentHour(t0 + 60_000, tEnd).toFixed(1)} from its second minute on` : '') +
        ` (talk is ${TALK_S.join('-')} s a call, wrap ${WRAP_S.join('-')} s; the simulator's scenarios talk ~150 s)`,
    );

    // Abandons: with agents free at the moment of the abandon (a dialler or router fault).
    const withFree = report.abandons.filter((a) => a.free > 0);
    console.log(
      `abandons seen in the server during the run ${report.abandons.length}; with an agent free at that moment ${withFree.length}` +
        (withFree.length ? ` (free: ${withFree.map((a) => a.free).join(', ')})` : ''),
    );

    // The dialler's decisions: the live rounds, and decide() alone on the audited inputs.
    const rounds = report.paces;
    const placing = rounds.filter((r) => r.placed > 0);
    console.log(
      `\npacing rounds in the server: ${rounds.length} (${(rounds.length / runS).toFixed(1)}/s: every second and after each outcome), ` +
        `${placing.length} placed calls (${placing.reduce((n, r) => n + r.placed, 0)} calls)`,
    );
    console.log(
      `  a round that placed no call   ${summary(rounds.filter((r) => r.placed === 0).map((r) => r.ms))}`,
    );
    console.log(`  a round that placed calls     ${summary(placing.map((r) => r.ms))}`);
    console.log(
      `  per call placed in it         ${summary(placing.map((r) => r.ms / r.placed))}   (lead selection, number claim, dialler_calls row, INVITE handed on)`,
    );
    const decisionTimes = audits.map((a) => a.at.getTime()).filter((t) => t >= wall0 && t < wallEnd);
    const gaps = decisionTimes.slice(1).map((t, i) => t - (decisionTimes[i] as number));
    console.log(
      `  audited decisions in the run ${decisionTimes.length} (${(decisionTimes.length / runS).toFixed(2)}/s); between them ${summary(gaps)}`,
    );
    timeDecide(audits.map((a) => a.detail as unknown as AuditedDecision));
    printWorstWindow(calls, audits, wall0, wallEnd);
    console.log(
      `server: event loop delay p50 ${report.loop.p50.toFixed(1)} ms, p99 ${report.loop.p99.toFixed(1)} ms, max ${report.loop.max.toFixed(1)} ms; ` +
        `RSS ${(rss0 / 1024).toFixed(0)} MB at the start, ${(rssPeak / 1024).toFixed(0)} MB at most`,
    );
    console.log(
      `CPU over the run (of one core): server ${((cpuRun.server / runS) * 100).toFixed(0)}%, media workers (${workers.length}) ` +
        `${((cpuRun.workers / runS) * 100).toFixed(0)}%, SIPp ${((cpuRun.carrier / runS) * 100).toFixed(0)}%, ` +
        `this bench ${(((self.user + self.system) / 1e6 / runS) * 100).toFixed(0)}%`,
    );
    console.log(
      `carrier: calls ${carrierEnd.TotalCallCreated ?? '?'}, ended well ${carrierEnd.SuccessfulCall ?? carrierEnd['SuccessfulCall(C)'] ?? '?'}, ` +
        `failed ${carrierEnd['FailedCall(C)'] ?? '?'}, still up ${carrierEnd.CurrentCall ?? '?'}, retransmissions ${carrierEnd['Retransmissions(C)'] ?? '?'}`,
    );
    for (const line of carrierErrs.slice(0, 5)) console.log(`  carrier said: ${line.slice(0, 300)}`);
    console.log(
      `after the run: agents whose voice path was lost ${voiceLost}; server log lines warn ${log.counts.warn}, error ${log.counts.error}`,
    );
    for (const [what, n] of trouble) console.log(`  bench: ${n} × ${what}`);
    console.log(`load average after: ${load()}`);
  } finally {
    if (ticker) clearInterval(ticker);
    if (sampler) clearInterval(sampler);
    for (const a of agents) a.rt.stop();
    await Promise.all(agents.map((a) => a.rtp.close()));
    await phones.transport.close();
    carrier.child.kill('SIGTERM');
    if (!stopped) await stopPlatform(server);
    rmSync(carrier.dir, { recursive: true, force: true });
    await store.drop();
  }
}

/** A predictive call on the toolbar: talk, Hang Up, wrap, and (once the run is over) pause. */
function onState(agent: Agent, s: Snapshot, wrapCodeId: string, reasonId: string): void {
  for (const i of s.agent.interactions) {
    if (i.kind !== 'voice' || agent.seen.has(i.id)) continue;
    if (i.callType !== 'predictive') {
      note(`a ${i.callType ?? 'voice'} call on the toolbar`);
      agent.seen.add(i.id);
      continue;
    }
    if (i.state === 'offered') continue; // rung, not taken: with a persistent path it is not shown so
    agent.seen.add(i.id);
    void handle(agent, i.id, wrapCodeId, reasonId);
  }
}

async function handle(agent: Agent, id: string, wrapCodeId: string, reasonId: string): Promise<void> {
  const from = now();
  await sleep(uniform(TALK_S) * 1000);
  const ended = await agent.http
    .endInteraction(id)
    .then(() => true)
    .catch((err) => {
      note(`Hang Up refused: ${codeOf(err)}`);
      return false;
    });
  agent.talks.push({ from, to: now() });
  if (!ended && !agent.rt.state?.agent.interactions.some((i) => i.id === id)) return;
  await sleep(uniform(WRAP_S) * 1000);
  if (agent.stopping)
    await agent.http
      .setStatus({ kind: 'paused', reasonId })
      .catch((err) => note(`pause refused: ${codeOf(err)}`));
  await agent.http.wrapInteraction(id, { wrapCodeId }).catch((err) => note(`wrap refused: ${codeOf(err)}`));
}

/** A decision's detail in dialler_audit (what DiallerService.pace writes). */
interface AuditedDecision {
  input: {
    freeAgents: number;
    soonFree: number;
    soonFreeExpected: number;
    inFlight: number;
    inFlightExpected: number;
    answerRate: number;
    windows: Record<string, { answered: number; abandoned: number }>;
    cap: number;
    agents: number;
    maxLinesPerAgent: number;
  };
}

/**
 * The 30 s window with the highest abandonment rate, when it is over the 3% cap: the decisions
 * the audit log kept from 15 s before it to its end, so what the dialler saw and did shows.
 */
function printWorstWindow(
  calls: { answered_at: Date | null; outcome: string }[],
  audits: { at: Date; detail: unknown }[],
  wall0: number,
  wallEnd: number,
): void {
  let worst: { from: number; rate: number; abandoned: number; answered: number } | undefined;
  for (let from = wall0; from < wallEnd; from += WINDOW_S * 1000) {
    const ans = calls.filter(
      (c) =>
        c.answered_at && c.answered_at.getTime() >= from && c.answered_at.getTime() < from + WINDOW_S * 1000,
    );
    const abandoned = ans.filter((c) => c.outcome === 'abandoned').length;
    const rate = abandoned / Math.max(1, ans.length);
    if (!worst || rate > worst.rate) worst = { from, rate, abandoned, answered: ans.length };
  }
  if (!worst || worst.rate <= 0.03) return;
  const { from } = worst;
  console.log(
    `  over the cap: ${worst.abandoned}/${worst.answered} abandoned in ${((from - wall0) / 1000).toFixed(0)}-${((from - wall0) / 1000 + WINDOW_S).toFixed(0)} s; ` +
      'its decisions (t s: free, soon free n/expected, in flight n/expected, answer rate, windows 24 h ans/ab → dial, placed, mode, E[answers], E[abandons], allowance):',
  );
  const shown = audits.filter(
    (a) => a.at.getTime() >= from - 15_000 && a.at.getTime() < from + WINDOW_S * 1000,
  );
  for (const a of shown.slice(0, 40)) {
    const d = a.detail as AuditedDecision & {
      decision: {
        dial: number;
        mode: string;
        expectedAnswers: number;
        expectedAbandons: number;
        allowance: number;
      };
      placed: number;
    };
    const i = d.input;
    const day = i.windows['24 hours'];
    console.log(
      `    ${((a.at.getTime() - wall0) / 1000).toFixed(1).padStart(6)}: free ${i.freeAgents}, soon ${i.soonFree}/${i.soonFreeExpected.toFixed(1)}, ` +
        `in flight ${i.inFlight}/${i.inFlightExpected.toFixed(1)}, p ${i.answerRate.toFixed(3)}, 24 h ${day?.answered}/${day?.abandoned} → ` +
        `dial ${d.decision.dial}, placed ${d.placed}, ${d.decision.mode}, E[ans] ${d.decision.expectedAnswers.toFixed(1)}, ` +
        `E[ab] ${d.decision.expectedAbandons.toFixed(2)}, allowance ${d.decision.allowance.toFixed(2)}`,
    );
  }
  if (shown.length > 40) console.log(`    ... ${shown.length - 40} more`);
}

/**
 * decide() alone, in this process, on the inputs the audit log kept (each agent soon free and each
 * call in flight given the mean chance the log recorded), and on a heavy case: 100 agents busy,
 * 300 calls in flight.
 */
function timeDecide(audited: AuditedDecision[]): void {
  const inputs: PacingInput[] = audited.map(({ input: i }) => ({
    freeAgents: i.freeAgents,
    soonFree: Array.from({ length: i.soonFree }, () => i.soonFreeExpected / Math.max(1, i.soonFree)),
    inFlight: Array.from({ length: i.inFlight }, () => i.inFlightExpected / Math.max(1, i.inFlight)),
    answerRate: i.answerRate,
    windows: Object.values(i.windows),
    cap: i.cap,
    agents: i.agents,
    maxLinesPerAgent: i.maxLinesPerAgent,
  }));
  const heavy: PacingInput = {
    freeAgents: 0,
    soonFree: Array.from({ length: 100 }, () => 0.08),
    inFlight: Array.from({ length: 290 }, () => 0.2),
    answerRate: 0.3,
    windows: [
      { answered: 5000, abandoned: 100 },
      { answered: 50_000, abandoned: 1000 },
    ],
    cap: 0.03,
    agents: 100,
    maxLinesPerAgent: 3,
  };
  const time = (input: PacingInput, reps: number) => {
    for (let k = 0; k < 20; k++) decide(input);
    const t = performance.now();
    for (let k = 0; k < reps; k++) decide(input);
    return ((performance.now() - t) / reps) * 1000;
  };
  const us = inputs.map((input) => time(input, 200));
  console.log(`  decide() alone on the ${inputs.length} audited inputs: ${summary(us, 'µs', 2)}`);
  console.log(
    `  decide() alone, 100 agents busy and 290 calls in flight: ${time(heavy, 5000).toFixed(2)} µs`,
  );
}

// --- (b) the simulator ---------------------------------------------------------------------------

function simulator(): void {
  const files = readdirSync(SCENARIOS)
    .filter((f) => f.endsWith('.json'))
    .sort();
  console.log(
    '\nbench:dialler (b) simulator: every scenario in apps/server/sim/scenarios/, the functions `npm run sim:dialler -- --compare` runs',
  );
  console.log(
    'talk min/agent-hour (worst 24 h/30 d window abandon rate); best fixed ratio in hindsight: most talk with the worst window at or under the cap',
  );
  console.log(
    `${'scenario'.padEnd(16)} ${'pacing'.padEnd(16)} ${'progressive'.padEnd(16)} ${'best ratio 1.0-15.0'.padEnd(24)} pacing ahead by  seconds`,
  );
  const cell = (r: SimResult) =>
    `${r.talkMinutesPerAgentHour.toFixed(1)} (${(r.worstWindowAbandonRate * 100).toFixed(2)}%)`;
  for (const f of files) {
    const { scenario } = parseScenario(JSON.parse(readFileSync(path.join(SCENARIOS, f), 'utf8')));
    const t = performance.now();
    const pacing = simulate(scenario, { kind: 'pacing' });
    const progressive = simulate(scenario, { kind: 'progressive' });
    const best = bestFixedRatio(scenario);
    const ahead = best
      ? (pacing.talkMinutesPerAgentHour - best.result.talkMinutesPerAgentHour).toFixed(2)
      : 'n/a';
    console.log(
      `${f.replace(/\.json$/, '').padEnd(16)} ${cell(pacing).padEnd(16)} ${cell(progressive).padEnd(16)} ` +
        `${(best ? `${best.ratio.toFixed(1)}: ${cell(best.result)}` : 'none under the cap').padEnd(24)} ` +
        `${ahead.padEnd(16)} ${((performance.now() - t) / 1000).toFixed(1)}`,
    );
  }
}

async function bench(): Promise<void> {
  if (PART !== 'sim') await live();
  if (PART !== 'live') simulator();
}

// Last, once every class and constant above exists.
if (process.env.DIALLER_ROLE === 'server') await serve();
else await bench();
