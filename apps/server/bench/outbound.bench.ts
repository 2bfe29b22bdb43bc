// npm run bench:outbound: Manual Calls (issue #15 item 7). Agents with a persistent voice path
// (a desk phone that called in), paused, each placing calls in a loop through the workspace's
// trunk to a SIPp carrier that answers every call: POST /api/calls, "answered" on the toolbar,
// talk OUTBOUND_TALK_MS, Hang Up (our BYE), wrap with an outcome, next call. Steps up the number
// of agents dialling; per step it prints the set-ups per second, the failures by kind (the
// bench's and SIPp's), and the time from sending POST /api/calls to the INVITE leaving the server
// (p50/p95/p99, target p95 < 50 ms), with POST to 201 and POST to "answered" on the agent's
// toolbar for context; then how late the server read the carrier's 180, the server's event loop
// delay, the CPU of each process, and how long after the step the last calls' interaction
// records were complete. "Sustained with no failure" is the best step with no failure at all.
// After the run: calls the carrier still holds, media legs left, agents not back in their pause.
//
// The INVITE is timestamped at the server's SIP transport: the bench starts the server from this
// file (OUTBOUND_ROLE=server), which wraps SipTransport.prototype.send before importing main.ts,
// and notes each INVITE's first send with process.hrtime (CLOCK_MONOTONIC, the same clock in
// every process on the machine). The bench stamps the POST with the same clock just before the
// request, so the figure includes the HTTP request, the route, the queue insert, the media leg,
// and any wait for the server's main thread.
//
// Environment: OUTBOUND_AGENTS (agents signed in, default 50), OUTBOUND_STEPS (agents dialling
// per step, default 10,20,30,40,50), OUTBOUND_SECONDS (per step, default 15), OUTBOUND_TALK_MS
// (answered to Hang Up, default 1000), OUTBOUND_RING_MS (the carrier's 180 to 200, default 100),
// OUTBOUND_CARRIER_RTP=0 (the carrier sends no audio back; default: it echoes what it gets),
// OUTBOUND_DB=postgres, MEDIA_WORKERS, OUTBOUND_PROF=<dir> (a V8 CPU profile of the server,
// written when it stops). A smoke run: OUTBOUND_AGENTS=3 OUTBOUND_STEPS=3 OUTBOUND_SECONDS=3.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ApiError, HttpClient, RealtimeClient, type SocketLike } from '@parley/client';
import type { Snapshot } from '@parley/contract';
import { WebSocket } from 'ws';
import type { SipMessage } from '../src/sip/message/sip-message.js';
import { parseRemoteAudio } from '../src/sip/sdp/offer-answer.js';
import { type Peer, SipTransport } from '../src/sip/transport/sip-transport.js';
import { PhoneRtp, Phones } from './desk-phones.js';
import {
  cpuSeconds,
  LOCAL,
  mediaWorkers,
  openSockets,
  type Platform,
  startPlatform,
  stopPlatform,
} from './platform.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const AGENTS = Number(process.env.OUTBOUND_AGENTS ?? 50);
const STEPS = (process.env.OUTBOUND_STEPS ?? '10,20,30,40,50')
  .split(',')
  .map(Number)
  .filter((n) => n > 0 && n <= AGENTS);
const SECONDS = Number(process.env.OUTBOUND_SECONDS ?? 15);
const TALK_MS = Number(process.env.OUTBOUND_TALK_MS ?? 1000);
const RING_MS = Number(process.env.OUTBOUND_RING_MS ?? 100);
const CARRIER_RTP = process.env.OUTBOUND_CARRIER_RTP !== '0';
const DB = process.env.OUTBOUND_DB === 'postgres' ? 'postgres' : 'pglite';
const PROF = process.env.OUTBOUND_PROF;
/** POST to "answered" on the toolbar, or the call counts as failed. */
const ANSWER_TIMEOUT_MS = 10_000;
const PASSWORD = 'bench-password-123';
const CALLER_ID = '+61290007777'; // the campaign's, checked by the carrier scenario
const FIRST_AGENT_ID = 7101;

/** Milliseconds on CLOCK_MONOTONIC: comparable between the bench and the server process. */
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An INVITE as it left the server: Call-ID, Request-URI, first send (ms), sends (1, or more with
 * retransmissions), and when the server's SIP stack first read a response to it (the 180).
 */
type InviteSent = { callId: string; uri: string; at: number; sends: number; responseAt?: number };

/** What the server reports between steps: its INVITEs, and its event loop's delay meanwhile (ms). */
interface ServerReport {
  invites: InviteSent[];
  loop: { p99: number; max: number };
}

// --- the server, with its INVITEs timestamped at the SIP transport ---------------------------

/**
 * The platform as main.ts runs it, with SipTransport.send wrapped: each INVITE request the
 * server sends is noted (first send, and how many sends with retransmissions). The bench asks
 * for them over IPC ("invites"), between steps.
 */
async function serve(): Promise<void> {
  const sent = new Map<string, InviteSent>();
  const send = SipTransport.prototype.send;
  SipTransport.prototype.send = function (this: SipTransport, m: SipMessage, to: Peer): void {
    send.call(this, m, to);
    if (m.kind !== 'request' || m.method !== 'INVITE') return;
    const callId = m.headers.get('Call-ID') ?? '';
    const seen = sent.get(callId);
    if (seen) seen.sends++;
    else sent.set(callId, { callId, uri: m.uri, at: now(), sends: 1 });
  };
  // A response to one of those INVITEs, as the transport hands it to the stack (before any
  // listener runs): how late the server read the carrier's 180.
  const emit = SipTransport.prototype.emit as (
    this: SipTransport,
    event: string,
    ...args: unknown[]
  ) => boolean;
  (SipTransport.prototype as { emit: typeof emit }).emit = function (this: SipTransport, event, ...args) {
    const m = args[0] as SipMessage | undefined;
    if (event === 'message' && m?.kind === 'response') {
      const seen = sent.get(m.headers.get('Call-ID') ?? '');
      if (seen && seen.responseAt === undefined && /INVITE/i.test(m.headers.get('CSeq') ?? ''))
        seen.responseAt = now();
    }
    return emit.call(this, event, ...args);
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on('message', (msg) => {
    if (msg !== 'invites') return;
    const report: ServerReport = {
      invites: [...sent.values()],
      loop: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    };
    process.send?.(report);
    sent.clear();
    loop.reset();
  });
  await import('../src/main.js');
}

/** The server from this file (it loads main.ts with the hooks above), with an IPC channel. */
function startServer(o: { dataDir: string; databaseUrl: string | undefined }): Promise<Platform> {
  return startPlatform({
    ...o,
    password: PASSWORD,
    logLevel: process.env.LOG_LEVEL ?? 'error',
    logLines: true,
    entry: fileURLToPath(import.meta.url),
    env: { OUTBOUND_ROLE: 'server' },
    prof: PROF,
    ipc: true,
  });
}

function reportFrom(child: ChildProcess): Promise<ServerReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not report its INVITEs')), 10_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as ServerReport);
    });
    child.send('invites');
  });
}

// --- the carrier: SIPp answering every INVITE ------------------------------------------------

interface Carrier {
  child: ChildProcess;
  port: number;
  dir: string;
  output: () => string;
  errorsRead: number;
}

function startCarrier(): Carrier {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-carrier-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const args = [
    '-sf',
    path.join(here, '../src/sip/uas/sipp/uas-carrier-answer.xml'),
    '-t',
    'u1',
    '-i',
    LOCAL,
    '-p',
    String(port),
    '-mp',
    String(40000 + Math.floor(Math.random() * 10000)),
    '-d',
    String(RING_MS),
    '-aa',
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
  return { child, port, dir, output: () => output, errorsRead: 0 };
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

/** SIPp's error log (-trace_err) since the last look: what it found unexpected, and where. */
function carrierErrors(c: Carrier): string[] {
  let text: string;
  try {
    text = readFileSync(path.join(c.dir, 'errors.log'), 'utf8');
  } catch {
    return [];
  }
  const fresh = text.slice(c.errorsRead);
  c.errorsRead = text.length;
  return fresh
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** What an answered Manual Call's record must show once the agent has wrapped it. */
const EXPECTED_TIMELINE = [
  'interaction.placed',
  'call.answered',
  'call.recordingStarted',
  'interaction.wrapped',
];

const CARRIER_FAILURES: [string, string][] = [
  ['FailedRegexpDoesntMatch(C)', 'INVITE not to +61… or without the campaign’s caller ID'],
  ['FailedRegexpHdrNotFound(C)', 'INVITE without a From header'],
  ['FailedTimeoutOnRecv(C)', 'no ACK or no BYE in time (a call left up)'],
  ['FailedMaxUDPRetrans(C)', 'our 200 OK never ACKed'],
  ['FailedUnexpectedMessage(C)', 'an unexpected message'],
  ['FailedCallRejected(C)', 'rejected'],
  ['FailedCmdNotSent(C)', 'a message SIPp could not send'],
  ['FailedCannotSendMessage(C)', 'a message SIPp could not send'],
];

// --- the run -----------------------------------------------------------------------------------

/** What an agent's toolbar showed of one interaction, and when (first push). */
interface Shown {
  answeredAt?: number;
  failed?: string;
  wrappingAt?: number;
}

interface Agent {
  index: number;
  http: HttpClient;
  rt: RealtimeClient;
  rtp: PhoneRtp;
  shown: Map<string, Shown>;
  /** Woken on every toolbar push. */
  waiters: Set<() => void>;
  /** A call it could not get off its toolbar: the agent dials no more. */
  stuck?: string;
}

interface Call {
  step: number;
  agent: number;
  number: string;
  postAt: number;
  createdAt?: number;
  id?: string;
  answeredAt?: number;
  invite?: InviteSent;
  failure?: string;
}

function pct(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(1).padStart(6);
  return `p50 ${f(pct(s, 0.5))}  p95 ${f(pct(s, 0.95))}  p99 ${f(pct(s, 0.99))}  max ${f(s.at(-1) ?? Number.NaN)} ms  (n=${s.length})`;
}

/** The main thread's time on a CPU and runnable but waiting for one, in seconds (/proc schedstat). */
function schedSeconds(pid: number): { run: number; wait: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { run: (run ?? 0) / 1e9, wait: (wait ?? 0) / 1e9 };
  } catch {
    return { run: 0, wait: 0 };
  }
}

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Resolves true once `check` holds (checked now and on each push to the toolbar), false after `ms`. */
function waitFor(agent: Agent, check: () => boolean, ms: number): Promise<boolean> {
  if (check()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const waiter = () => {
      if (!check()) return;
      clearTimeout(timer);
      agent.waiters.delete(waiter);
      resolve(true);
    };
    const timer = setTimeout(() => {
      agent.waiters.delete(waiter);
      resolve(false);
    }, ms);
    agent.waiters.add(waiter);
  });
}

const codeOf = (err: unknown) =>
  err instanceof ApiError ? `${err.status} ${err.code}` : (err as Error).message.slice(0, 80);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function bench(): Promise<void> {
  const { createStore } = await import('../src/db/test-store.js');
  const store = await createStore(DB);
  const server = await startServer(store).catch(async (err) => {
    await store.drop();
    throw err;
  });
  const carrier = startCarrier();
  const phones = new Phones();
  const agents: Agent[] = [];
  const calls: Call[] = [];
  let ticker: NodeJS.Timeout | undefined;
  try {
    await phones.start(server.sipPort);
    const admin = new HttpClient({ baseUrl: server.url, manageCookies: true });
    const session = await admin.login({ username: 'admin', password: PASSWORD });
    const ws = session.workspace.id;
    const profile = (await admin.agentProfiles(ws).list())[0];
    const reason = (await admin.pauseReasons(ws).list())[0];
    if (!profile || !reason) throw new Error('the demo workspace has no agent profile or pause reason');
    const team = await admin.teams(ws).create({ name: 'Bench Outbound' });
    const campaign = await admin.campaigns(ws).create({
      name: 'Bench Outbound',
      kind: 'outbound_preview',
      teamIds: [team.id],
      callerId: CALLER_ID,
    });
    const outcome = await admin.wrapCodes(ws, campaign.id).create({ name: 'Reached' });
    await admin.trunks(ws).create({ name: 'SIPp carrier', host: LOCAL, port: carrier.port });

    console.log(
      `bench:outbound: ${AGENTS} agents (desk phones called in, paused), steps of ${STEPS.join(', ')} agents dialling ` +
        `for ${SECONDS} s each; each call rings ${RING_MS} ms at the SIPp carrier, is answered, talks ${TALK_MS} ms, ` +
        `is hung up by the agent (our BYE) and wrapped; the carrier ${CARRIER_RTP ? 'echoes the audio' : 'sends no audio'}; ` +
        `${DB === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ${process.env.MEDIA_WORKERS ?? 'default'} media workers`,
    );
    console.log(
      'INVITE time: stamped at the server’s SIP transport (SipTransport.send wrapped in the server process)',
    );
    console.log(`load average before: ${load()} (other work on the machine skews every figure)`);

    // One 20 ms clock for every desk phone, catching up when it runs late.
    const tickStart = performance.now();
    let ticks = 0;
    ticker = setInterval(() => {
      const due = Math.round((performance.now() - tickStart) / 20);
      for (; ticks < due; ticks++) for (const a of agents) a.rtp.tick();
    }, 20);

    // Agents: users, then each signs in, opens a toolbar, calls in with its desk phone, pauses.
    const setupStart = performance.now();
    for (let i = 0; i < AGENTS; i++)
      await admin.users(ws).create({
        username: `bench-out-${i}`,
        displayName: `Bench Outbound ${i}`,
        role: 'agent',
        password: PASSWORD,
        agentId: FIRST_AGENT_ID + i,
        pin: String(500_000 + i),
        agentProfileId: profile.id,
        teamIds: [team.id],
      });
    await Promise.all(
      Array.from({ length: AGENTS }, async (_, index) => {
        const http = new HttpClient({ baseUrl: server.url, manageCookies: true });
        await http.login({ username: `bench-out-${index}`, password: PASSWORD });
        const wsUrl = `${server.url.replace('http', 'ws')}/api/realtime`;
        const rt = new RealtimeClient({
          connect: () =>
            new WebSocket(wsUrl, {
              headers: { cookie: http.sessionCookie ?? '', origin: server.url },
            }) as unknown as SocketLike,
          maxBackoffMs: 200,
        });
        const agent: Agent = { index, http, rt, rtp: new PhoneRtp(), shown: new Map(), waiters: new Set() };
        rt.subscribe({ state: (s) => onState(agent, s) });
        rt.start();
        await until(() => rt.state?.agent.status.kind === 'paused', `agent ${index}'s toolbar`);
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
        for (const d of `${500_000 + index}#`) agent.rtp.dtmf.push(d);
        await until(() => rt.state?.agent.voice === 'connected', `agent ${index}'s voice path`, 60_000);
        await http.setStatus({ kind: 'paused', reasonId: reason.id });
        await until(() => rt.state?.agent.status.kind === 'paused', `agent ${index} paused`);
        const may = await http.dialCampaigns();
        if (!may.some((c) => c.id === campaign.id))
          throw new Error(`agent ${index} may not dial the campaign`);
      }),
    );
    agents.sort((a, b) => a.index - b.index);
    console.log(
      `setup: ${AGENTS} agents paused with a persistent voice path in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
    );

    const pid = server.child.pid ?? 0;
    const workers = mediaWorkers(pid);
    const carrierPid = carrier.child.pid ?? 0;
    const legsIdle = workers.reduce((n, w) => n + openSockets(w), 0);
    let numberSeq = 0;
    let step = 0;
    const results: { agents: number; rate: number; failures: number }[] = [];

    /** What an answered call's record lacks of placed, answered, recording started, wrapped. */
    const recordGaps = async (c: Call): Promise<string[]> => {
      const kinds = new Set((await admin.interaction(ws, c.id ?? '')).timeline.map((t) => t.kind));
      const gaps = EXPECTED_TIMELINE.filter((k) => !kinds.has(k));
      if (kinds.has('call.recordingFailed')) gaps.push('(recording failed)');
      return gaps;
    };

    /** One Manual Call, start to wrap. */
    const cycle = async (a: Agent, stepIndex: number): Promise<void> => {
      const call: Call = {
        step: stepIndex,
        agent: a.index,
        number: `+6129${String(numberSeq++).padStart(7, '0')}`,
        postAt: 0,
      };
      calls.push(call);
      const fail = (why: string) => {
        call.failure ??= why;
      };
      call.postAt = now();
      try {
        const placed = await a.http.placeCall({
          type: 'number',
          number: call.number,
          campaignId: campaign.id,
        });
        call.createdAt = now();
        call.id = placed.interactionId;
      } catch (err) {
        fail(`POST /api/calls refused: ${codeOf(err)}`);
        await sleep(200);
        return;
      }
      const id = call.id;
      const shown = () => a.shown.get(id) ?? {};
      await waitFor(
        a,
        () => Boolean(shown().answeredAt || shown().failed || shown().wrappingAt),
        ANSWER_TIMEOUT_MS,
      );
      const s = shown();
      if (s.answeredAt) call.answeredAt = s.answeredAt;
      else if (s.failed) fail(`dial failed: ${s.failed}`);
      else if (s.wrappingAt) fail('ended before "answered" showed');
      else fail(`not answered on the toolbar within ${ANSWER_TIMEOUT_MS / 1000} s`);
      if (call.answeredAt) await sleep(TALK_MS);
      if (shown().wrappingAt) {
        if (call.answeredAt) fail('the call ended before the agent hung up');
      } else {
        await a.http.endInteraction(id).catch((err) => fail(`Hang Up refused: ${codeOf(err)}`));
      }
      await a.http
        .wrapInteraction(id, { wrapCodeId: outcome.id })
        .catch((err) => fail(`wrap refused: ${codeOf(err)}`));
      const gone = () => !a.rt.state?.agent.interactions.some((i) => i.id === id);
      if (!(await waitFor(a, gone, 5000))) {
        fail('still on the toolbar 5 s after the wrap');
        a.stuck = `${id}: ${JSON.stringify(a.rt.state?.agent.interactions.find((i) => i.id === id))}`;
      }
    };

    for (const dialling of STEPS) {
      step++;
      const active = agents.slice(0, dialling).filter((a) => !a.stuck);
      await reportFrom(server.child); // from here on, the server's event loop delay is this step's
      const carrier0 = carrierStats(carrier);
      const cpu0 = cpuSeconds(pid);
      const w0 = workers.reduce((s, p) => s + cpuSeconds(p), 0);
      const c0 = cpuSeconds(carrierPid);
      const self0 = process.cpuUsage();
      const threads = [pid, ...workers, carrierPid, process.pid];
      const sched0 = threads.map(schedSeconds);
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const start = now();
      const end = start + SECONDS * 1000;
      await Promise.all(
        active.map(async (a, k) => {
          await sleep((k * 1000) / active.length); // spread the first calls over a second
          while (now() < end && !a.stuck) await cycle(a, step);
        }),
      );
      const windowS = (now() - start) / 1000;
      loop.disable();
      const cpu = (cpuSeconds(pid) - cpu0) / windowS;
      const wcpu = (workers.reduce((s, p) => s + cpuSeconds(p), 0) - w0) / windowS;
      const ccpu = (cpuSeconds(carrierPid) - c0) / windowS;
      const self = process.cpuUsage(self0);
      const sched = threads.map((t, i) => {
        const after = schedSeconds(t);
        const before = sched0[i] ?? after;
        return { run: (after.run - before.run) / windowS, wait: (after.wait - before.wait) / windowS };
      });
      const share = (list: typeof sched) =>
        `${(list.reduce((n, x) => n + x.run, 0) * 100).toFixed(0)}% / ${(list.reduce((n, x) => n + x.wait, 0) * 100).toFixed(0)}%`;

      // The server's INVITEs for this step, matched by the number dialled.
      const report = await reportFrom(server.child);
      const byNumber = new Map<string, InviteSent>();
      for (const inv of report.invites) {
        const n = /^sip:([^@]+)@/.exec(inv.uri)?.[1];
        if (n && !byNumber.has(n)) byNumber.set(n, inv);
      }
      const mine = calls.filter((c) => c.step === step);
      for (const c of mine) {
        c.invite = byNumber.get(c.number);
        if (c.id && !c.invite) c.failure ??= 'no INVITE left the server';
      }
      // The interaction records of the step's last answered calls: how long after the step their
      // timelines are complete (the timeline is written behind the calls). Waiting for it also
      // keeps one step's backlog out of the next.
      const last = mine.filter((c) => c.answeredAt !== undefined && c.id).slice(-5);
      const recordsFrom = now();
      let recordsLag: number | undefined;
      let gaps: string[] = [];
      for (;;) {
        gaps = (await Promise.all(last.map(recordGaps))).flat();
        if (gaps.length === 0) {
          recordsLag = now() - recordsFrom;
          break;
        }
        if (now() - recordsFrom > 120_000) break;
        await sleep(250);
      }
      // SIPp's counters: a second for its statistics file to catch up, and for its last BYEs.
      await sleep(1500);
      const carrier1 = carrierStats(carrier);
      const delta = (k: string) => (carrier1[k] ?? 0) - (carrier0[k] ?? 0);
      const carrierFailed = delta('FailedCall(C)');

      const answered = mine.filter((c) => c.answeredAt !== undefined);
      const failed = mine.filter((c) => c.failure);
      const byKind = new Map<string, number>();
      for (const c of failed) byKind.set(c.failure ?? '', (byKind.get(c.failure ?? '') ?? 0) + 1);
      const rate = answered.length / windowS;
      const failures = failed.length + carrierFailed;
      results.push({ agents: active.length, rate, failures });
      const resent = mine.filter((c) => (c.invite?.sends ?? 0) > 1).length;

      console.log(
        `\n${active.length} agents dialling, ${windowS.toFixed(1)} s: calls placed ${mine.length}, answered ${answered.length} ` +
          `(${rate.toFixed(1)} set-ups/s), failed ${failed.length}; carrier: answered ${delta('SuccessfulCall(C)')}, ` +
          `failed ${carrierFailed}, retransmissions ${delta('Retransmissions(C)')}, ` +
          `out-of-call messages ${delta('OutOfCallMsgs(C)')}, messages for ended calls ${delta('DeadCallMsgs(C)')}, calls up now ${carrier1.CurrentCall ?? '?'}`,
      );
      for (const [kind, n] of byKind) console.log(`  failed: ${n} × ${kind}`);
      for (const [k, words] of CARRIER_FAILURES)
        if (delta(k)) console.log(`  carrier failed: ${delta(k)} × ${words}`);
      const errors = carrierErrors(carrier);
      for (const line of errors.slice(0, 6)) console.log(`  carrier said: ${line.slice(0, 300)}`);
      if (resent)
        console.log(`  INVITEs the server sent again (no response read within T1 = 500 ms): ${resent}`);
      console.log(
        `  POST → INVITE leaving      ${summary(mine.flatMap((c) => (c.invite ? [c.invite.at - c.postAt] : [])))}   (target p95 < 50 ms)`,
      );
      console.log(
        `  POST → 201 Created         ${summary(mine.flatMap((c) => (c.createdAt ? [c.createdAt - c.postAt] : [])))}`,
      );
      console.log(
        `  POST → "answered" shown   ${summary(answered.map((c) => (c.answeredAt ?? 0) - c.postAt))}`,
      );
      console.log(
        `  INVITE → its 180 read     ${summary(mine.flatMap((c) => (c.invite?.responseAt ? [c.invite.responseAt - c.invite.at] : [])))}` +
          '   (SIPp sends it as soon as it reads the INVITE)',
      );
      console.log(
        `  server event loop delay during the step: p99 ${report.loop.p99.toFixed(1)} ms, max ${report.loop.max.toFixed(1)} ms`,
      );
      console.log(
        recordsLag === undefined
          ? `  records of the last ${last.length} calls still incomplete 120 s after the step: ${[...new Set(gaps)].join(', ')}`
          : recordsLag < 300
            ? `  records of the last ${last.length} calls complete when the step ended`
            : `  records of the last ${last.length} calls complete only ${(recordsLag / 1000).toFixed(1)} s after the step ended (the timeline is written behind the calls)`,
      );
      console.log(
        `  CPU: server ${(cpu * 100).toFixed(0)}%, media workers (${workers.length}) ${(wcpu * 100).toFixed(0)}%, ` +
          `SIPp ${(ccpu * 100).toFixed(0)}%, this bench ${(((self.user + self.system) / 1e6 / windowS) * 100).toFixed(0)}% ` +
          `(its event loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms)`,
      );
      console.log(
        `  main threads on a CPU / runnable but waiting for one: server ${share(sched.slice(0, 1))}, ` +
          `media workers ${share(sched.slice(1, 1 + workers.length))}, SIPp ${share(sched.slice(-2, -1))}, ` +
          `this bench ${share(sched.slice(-1))}; load average ${load()}`,
      );
      const stuck = agents.filter((a) => a.stuck);
      for (const a of stuck.slice(0, 3)) console.log(`  agent ${a.index} stuck: ${a.stuck}`);
    }

    // Afterwards: nothing left up anywhere.
    await until(
      () => (carrierStats(carrier).CurrentCall ?? 0) === 0,
      'the carrier’s calls to end',
      35_000,
    ).catch(() => undefined);
    const carrierEnd = carrierStats(carrier);
    const legsLeft = workers.reduce((n, w) => n + openSockets(w), 0) - legsIdle;
    const notClear = agents.filter(
      (a) => a.rt.state?.agent.status.kind !== 'paused' || a.rt.state.agent.interactions.length > 0,
    );
    const voiceLost = agents.filter((a) => a.rt.state?.agent.voice !== 'connected');
    console.log(
      `\nafter the run: calls the carrier still holds ${carrierEnd.CurrentCall ?? '?'}, ` +
        `media legs left in the workers ${legsLeft} (0 unless legs leak), ` +
        `agents not back in their pause with an empty toolbar ${notClear.length}, voice not connected ${voiceLost.length}`,
    );
    // The records of a sample of answered calls (ten a step): placed, answered, recorded, wrapped.
    const sample = STEPS.flatMap((_, i) => {
      const ok = calls.filter((c) => c.step === i + 1 && c.answeredAt !== undefined && c.id);
      return ok.filter((_, k) => k % Math.max(1, Math.floor(ok.length / 10)) === 0).slice(0, 10);
    });
    const missing = new Map<string, number>();
    for (const c of sample) for (const k of await recordGaps(c)) missing.set(k, (missing.get(k) ?? 0) + 1);
    console.log(
      `records of ${sample.length} answered calls checked (placed, answered, recording started, wrapped): ` +
        (missing.size ? [...missing].map(([k, n]) => `${n} without ${k}`).join(', ') : 'all complete'),
    );
    const clean = results.filter((r) => r.failures === 0);
    const best = clean.sort((a, b) => b.rate - a.rate)[0];
    console.log(
      best
        ? `sustained with no failure: ${best.rate.toFixed(1)} set-ups/s (${best.agents} agents dialling)`
        : 'no step ran without a failure',
    );
    console.log(`load average after: ${load()}`);
    if (!calls.some((c) => c.invite))
      throw new Error(`no INVITE seen: the bench is broken\n${carrier.output()}`);
  } finally {
    if (ticker) clearInterval(ticker);
    for (const a of agents) a.rt.stop();
    await Promise.all(agents.map((a) => a.rtp.close()));
    await phones.transport.close();
    carrier.child.kill('SIGTERM');
    await stopPlatform(server);
    rmSync(carrier.dir, { recursive: true, force: true });
    await store.drop();
  }
}

/** Notes, per interaction, when the toolbar first showed it answered, failed, or in wrap-up. */
function onState(agent: Agent, s: Snapshot): void {
  const t = now();
  for (const i of s.agent.interactions) {
    if (i.kind !== 'voice') continue;
    let shown = agent.shown.get(i.id);
    if (!shown) {
      shown = {};
      agent.shown.set(i.id, shown);
    }
    if (i.dial?.state === 'answered') shown.answeredAt ??= t;
    if (i.dial?.state === 'failed') shown.failed ??= i.dial.reason ?? 'failed';
    if (i.state === 'wrapping') shown.wrappingAt ??= t;
  }
  for (const w of [...agent.waiters]) w();
}

// Last, once every class and constant above exists.
if (process.env.OUTBOUND_ROLE === 'server') await serve();
else await bench();
