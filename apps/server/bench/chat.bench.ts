// npm run bench:chat: web chat at scale (issue #18 item 7 "Measure"). It prints figures and
// exits 0 when a target is missed; it exits 1 on errors (a message not delivered within 15 s of
// its step's end, a socket or chat that failed to open, a refused frame, the server crashing).
// What the server does under load that is no error of the bench (an offer's ring time running out
// and its agent Auto Paused, HTTP connections not taken) is printed as such.
//
// The platform runs as its own process (its RSS read from /proc; PGlite by default, a fresh
// PostgreSQL database with BENCH_DB=postgres) with the per-address limits of the widget's socket
// lifted (CHAT_SOCKETS_PER_SOURCE, CHAT_STARTS_PER_MINUTE: all the load comes from 127.0.0.1).
// Seeded through the admin API: a chat campaign, its team, BENCH_AGENTS agents (200) on an agent
// profile of 5 chats at most, a channel with a one-field survey and the bench's origin allowed.
// The agents sign in (HttpClient), open their toolbar's realtime channel (RealtimeClient over
// WebSocket) and go Available; each accepts every chat offered to it (acceptInteraction).
//
// Phase 1, concurrency: BENCH_CUSTOMERS customer sockets (5,000) open on /api/public/chat and say
// hello (BENCH_OPEN_RATE a second, 500); then each starts a chat (BENCH_START_RATE a second, 200).
// The agents take 5 each (1,000 in conversation); the rest wait queued with their sockets open.
// The server's RSS after a full GC (the server runs with --expose-gc, asked over IPC): before
// the sockets, with them open, and with the chats started and accepted; per socket and per chat.
//
// Phase 2, delivery: for BENCH_SECONDS (60) per step, the customers in conversation send at a
// steady total rate of BENCH_RATES messages a second per chat (0.1,0.5: 100 and 500 messages a
// second with 1,000 chats), spread evenly; each send's time is kept by its clientId and the
// agent's realtime client notes when the `chat.message` event arrives (the same process, the same
// clock). Every BENCH_REPLY_EVERY-th (4) message delivered, the agent answers over HTTP
// (sendChatMessage) and the customer's socket notes the answer's arrival. Printed per step:
// customer → agent latency p50/p95/p99/max, the customer's ack, agent → customer, counts sent,
// delivered, lost and repeated, the server's event loop delay, CPU of the server and of this
// bench (which shares the machine's cores with the server: say so with the figures), and the
// server's CPU time per message, which depends less on what else the machine runs.
//
// Also: BENCH_PROF=<dir> (the server's V8 CPU profile) and LOG_LEVEL (the server's, warn).
//
// Smoke run: BENCH_CUSTOMERS=200 BENCH_AGENTS=20 BENCH_SECONDS=10 npm run bench:chat
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ApiError, HttpClient, RealtimeClient, type SocketLike } from '@parley/client';
import { CHAT_SOCKET_PATH, type ChatServerFrame, type Snapshot } from '@parley/contract';
import { WebSocket } from 'ws';
import {
  cpuSeconds,
  openSockets,
  type Platform,
  serverLog,
  startPlatform,
  stopPlatform,
} from './platform.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 5000);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const RATES = (process.env.BENCH_RATES ?? '0.1,0.5').split(',').map(Number);
const OPEN_RATE = Number(process.env.BENCH_OPEN_RATE ?? 500);
const START_RATE = Number(process.env.BENCH_START_RATE ?? 200);
const REPLY_EVERY = Number(process.env.BENCH_REPLY_EVERY ?? 4);
const DB = process.env.BENCH_DB === 'postgres' ? 'postgres' : 'pglite';
/**
 * An experiment, not the product: the waiting chats each toolbar is pushed (the Chat Panel's
 * list, every 100 ms while the queue changes) cut to this many in the server, and worked out once
 * per push for agents of the same campaigns rather than once per agent. 0: as built.
 */
/** A folder for the server's V8 CPU profile (written when it stops). */
const PROF = process.env.BENCH_PROF;
const MAX_CHATS = 5;
const PASSWORD = 'bench-password-123';
const SHOP = 'http://shop.bench.example';
const TARGET_P95_MS = 100;
const TARGET_CUSTOMERS = 5000;
const TARGET_AGENTS = 200;

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- the server, with its event loop watched and a GC on request ----------------------------------

interface ServerMemory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}
interface ServerReport {
  kind: 'report';
  loop: { p50: number; p99: number; max: number };
  mem: ServerMemory;
}

async function serve(): Promise<void> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on('message', (msg) => {
    if (msg === 'start') {
      loop.reset();
      return;
    }
    if (msg === 'gc') (globalThis as { gc?: () => void }).gc?.();
    if (msg !== 'report' && msg !== 'gc') return;
    const m = process.memoryUsage();
    const report: ServerReport = {
      kind: 'report',
      loop: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      mem: { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers },
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
    env: { CHAT_ROLE: 'server', CHAT_SOCKETS_PER_SOURCE: '100000', CHAT_STARTS_PER_MINUTE: '100000' },
    nodeArgs: ['--expose-gc'],
    prof: PROF,
    ipc: true,
  });
}

function ask(child: ChildProcess, msg: 'report' | 'gc'): Promise<ServerReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not report')), 60_000);
    const on = (m: unknown) => {
      if ((m as ServerReport).kind !== 'report') return;
      clearTimeout(timer);
      child.off('message', on);
      resolve(m as ServerReport);
    };
    child.on('message', on);
    child.send(msg);
  });
}

/** Two full GCs a second apart, so the RSS read next has given back what the heap freed. */
async function settle(child: ChildProcess): Promise<ServerReport> {
  await ask(child, 'gc');
  await sleep(1000);
  return ask(child, 'gc');
}

/** `/proc/<pid>/status` in kB. */
function procKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m?.[1] ?? 0);
  } catch {
    return 0;
  }
}

// --- figures ------------------------------------------------------------------------------------

const trouble = new Map<string, number>();
const note = (what: string) => trouble.set(what, (trouble.get(what) ?? 0) + 1);
/** undici's connect timeout (10 s): the server's event loop did not take the connection. */
const connectTimeout = (err: unknown) =>
  ((err as Error).cause as { code?: string } | undefined)?.code === 'UND_ERR_CONNECT_TIMEOUT';
/** What the server did under load that a run should show, but that is no error of the bench. */
const findings = new Map<string, number>();
const found = (what: string) => findings.set(what, (findings.get(what) ?? 0) + 1);
const codeOf = (err: unknown) => {
  if (err instanceof ApiError) return `${err.status} ${err.code}`;
  const cause = (err as Error).cause as { code?: string; message?: string } | undefined;
  return `${(err as Error).message.slice(0, 80)}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})`.slice(0, 120) : ''}`;
};

function pct(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
function summarise(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 0.5), p95: pct(s, 0.95), p99: pct(s, 0.99), max: s.at(-1) ?? Number.NaN };
}
const fmt = (s: Summary) =>
  `p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  p99 ${s.p99.toFixed(1)}  max ${s.max.toFixed(1)} ms  (n=${s.n})`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** Set when the server process exits before the bench stops it (a crash: out of memory, say). */
let serverGone: string | undefined;

async function until(check: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (serverGone) throw new Error(`${serverGone}, waiting for ${what}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Runs `f` over `items` at `perSecond`, at most `inFlight` at a time. */
async function paced<T>(
  items: T[],
  perSecond: number,
  inFlight: number,
  f: (item: T) => Promise<void>,
): Promise<void> {
  const t0 = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        const due = t0 + (i / perSecond) * 1000;
        if (due > now()) await sleep(due - now());
        await f(items[i] as T);
      }
    }),
  );
}

// --- customers and agents -----------------------------------------------------------------------

interface Customer {
  index: number;
  ws: WebSocket;
  chatId: string | undefined;
  state: 'none' | 'queued' | 'active' | 'ended';
  /** Resolves the wait for the next frame of this type. */
  waiting: { type: ChatServerFrame['type']; resolve: () => void } | undefined;
}

interface Agent {
  index: number;
  http: HttpClient;
  rt: RealtimeClient;
  seen: Set<string>;
}

/** The messages of the current step: send times by clientId, and what arrived. */
const sentAt = new Map<string, number>();
const delivered = new Map<string, number>();
const acked = new Map<string, number>();
const replySentAt = new Map<string, number>();
const replyArrived = new Map<string, number>();
let repeats = 0;
let replyOnEvery = 0;
const replyHttp: number[] = [];
let replying = false;
/** chatId → the agent and interaction that have it (from the agent's chat.message events). */
const owner = new Map<string, { agent: Agent; interactionId: string }>();

function openCustomer(url: string, index: number): Promise<Customer> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}${CHAT_SOCKET_PATH}`, {
    headers: { origin: SHOP },
    perMessageDeflate: false,
  });
  const c: Customer = { index, ws, chatId: undefined, state: 'none', waiting: undefined };
  ws.on('message', (data) => {
    const t = now();
    const frame = JSON.parse(String(data)) as ChatServerFrame;
    if (frame.type === 'chat') {
      c.chatId = frame.chatId;
      c.state = frame.state;
    } else if (frame.type === 'state') c.state = frame.state;
    else if (frame.type === 'message') {
      const m = frame.message;
      if (m.from === 'customer' && m.clientId && sentAt.has(m.clientId) && !acked.has(m.clientId))
        acked.set(m.clientId, t);
      if (m.from === 'agent' && m.clientId && replySentAt.has(m.clientId)) {
        if (replyArrived.has(m.clientId)) repeats++;
        else replyArrived.set(m.clientId, t);
      }
    } else if (frame.type === 'error') note(`customer socket got error ${frame.code}`);
    if (c.waiting?.type === frame.type) {
      const w = c.waiting;
      c.waiting = undefined;
      w.resolve();
    }
  });
  ws.on('close', (code) => {
    if (!closing) note(`customer socket closed by the server (${code})`);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(c));
    ws.once('error', reject);
  });
}
let closing = false;

/** Sends a frame and waits for the server's frame of `type`. */
function exchange(c: Customer, frame: object, type: ChatServerFrame['type'], ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} frame in ${ms} ms`)), ms);
    c.waiting = {
      type,
      resolve: () => {
        clearTimeout(timer);
        resolve();
      },
    };
    c.ws.send(JSON.stringify(frame));
  });
}

function onAgentState(agent: Agent, s: Snapshot, cause: 'snapshot' | { name: string; data: unknown }): void {
  if (cause !== 'snapshot' && cause.name === 'chat.message') {
    const t = now();
    const d = cause.data as {
      interactionId: string;
      chatId: string;
      message: { from: string; clientId: string | null };
    };
    owner.set(d.chatId, { agent, interactionId: d.interactionId });
    const id = d.message.clientId;
    if (d.message.from === 'customer' && id && sentAt.has(id)) {
      if (delivered.has(id)) repeats++;
      else {
        delivered.set(id, t);
        if (replying && delivered.size % REPLY_EVERY === 0) reply(agent, d.interactionId, id);
      }
    }
  }
  for (const i of s.agent.interactions) {
    // An offer withdrawn (ring time over) may come back to the same agent: a new offer, a new expiry.
    const offer = `${i.id}@${i.offerExpiresAt ?? ''}`;
    if (i.kind !== 'chat' || i.state !== 'offered' || agent.seen.has(offer)) continue;
    agent.seen.add(offer);
    // Where the ring time goes: left when the toolbar shows the offer, and the accept's round trip.
    const ringMs = Date.parse(i.offerExpiresAt ?? '') - Date.now();
    if (Number.isFinite(ringMs)) offers.ringLeftMs.push(ringMs);
    const t = now();
    agent.http
      .acceptInteraction(i.id)
      .then(() => offers.acceptMs.push(now() - t))
      .catch((err) => {
        // The offer withdrawn first (its ring time over): the agent is paused, as the ACD does.
        if (err instanceof ApiError && err.status === 404)
          found('accept too late: the offer was withdrawn (404)');
        else if (connectTimeout(err))
          found('accept: no TCP connection within 10 s (the server not accepting)');
        else note(`accept refused: ${codeOf(err)}`);
      });
  }
}
const offers = { ringLeftMs: [] as number[], acceptMs: [] as number[] };

function reply(agent: Agent, interactionId: string, to: string): void {
  const clientId = `r-${to}`;
  const t = now();
  replySentAt.set(clientId, t);
  replyOnEvery++;
  agent.http
    .sendChatMessage(interactionId, clientId, `answer to ${to}`)
    .then(() => replyHttp.push(now() - t))
    .catch((err) => {
      if (connectTimeout(err)) found('agent send: no TCP connection within 10 s (the server not accepting)');
      else note(`agent send refused: ${codeOf(err)}`);
    });
}

/** The agents' statuses as their toolbars show them: "available 180, Auto-pause 20". */
function statuses(agents: Agent[]): string {
  const n = new Map<string, number>();
  for (const a of agents) {
    const st = a.rt.state?.agent.status;
    const name = !st ? 'no toolbar' : st.kind === 'paused' ? st.reasonName : st.kind;
    n.set(name, (n.get(name) ?? 0) + 1);
  }
  return [...n].map(([k, v]) => `${k} ${v}`).join(', ');
}

// --- the run ------------------------------------------------------------------------------------

interface StepResult {
  perChat: number;
  rate: number;
  sent: number;
  delivered: number;
  lost: number;
  repeats: number;
  c2a: Summary;
  ack: Summary;
  a2c: Summary;
  replies: number;
  repliesArrived: number;
  replyHttp: Summary;
  loop: ServerReport['loop'];
  cpuServer: number;
  cpuBench: number;
  load: string;
  rssKb: number;
}

async function bench(): Promise<void> {
  const { createStore } = await import('../src/db/test-store.js');
  const store = await createStore(DB);
  const server = await startServer(store).catch(async (err) => {
    await store.drop();
    throw err;
  });
  const pid = server.child.pid ?? 0;
  server.child.once('exit', (code, signal) => {
    if (!closing) serverGone = `the server exited (${signal ?? code}) during the run`;
  });
  const customers: Customer[] = [];
  const agents: Agent[] = [];
  const loadBefore = load();
  try {
    const admin = new HttpClient({ baseUrl: server.url, manageCookies: true });
    const session = await admin.login({ username: 'admin', password: PASSWORD });
    const ws = session.workspace.id;
    const profile = await admin
      .agentProfiles(ws)
      .create({ name: 'Bench chat agent', maxConcurrentChats: MAX_CHATS });
    const team = await admin.teams(ws).create({ name: 'Bench Chat' });
    const campaign = await admin
      .campaigns(ws)
      .create({ name: 'Bench Chat', kind: 'chat', teamIds: [team.id] });
    const channel = await admin.chatChannels(ws).create({
      name: 'Bench shop',
      campaignId: campaign.id,
      survey: [{ key: 'name', label: 'Your name', type: 'text', required: true }],
      allowedOrigins: [SHOP],
    });
    console.log(
      `bench:chat: ${CUSTOMERS} customer sockets, ${AGENTS} agents (${MAX_CHATS} chats each), one server process ` +
        `(${DB === 'postgres' ? 'PostgreSQL' : 'PGlite'}); rates ${RATES.join(', ')} msg/s per chat in conversation, ` +
        `${SECONDS} s each; ${new Date().toISOString()}`,
    );
    console.log(
      `machine: ${cpus().length} cores shared by the server and this load generator; load average before ${loadBefore}`,
    );

    const setup0 = now();
    const indexes = Array.from({ length: AGENTS }, (_, i) => i);
    await paced(indexes, 1000, 8, async (i) => {
      await admin.users(ws).create({
        username: `bench-chat-${i}`,
        displayName: `Bench Chat ${i}`,
        role: 'agent',
        password: PASSWORD,
        agentProfileId: profile.id,
        teamIds: [team.id],
      });
    });
    const rtUrl = `${server.url.replace('http', 'ws')}/api/realtime`;
    await paced(indexes, 1000, 8, async (index) => {
      const http = new HttpClient({ baseUrl: server.url, manageCookies: true });
      await http.login({ username: `bench-chat-${index}`, password: PASSWORD });
      const rt = new RealtimeClient({
        connect: () =>
          new WebSocket(rtUrl, {
            headers: { cookie: http.sessionCookie ?? '', origin: server.url },
            perMessageDeflate: false,
          }) as unknown as SocketLike,
        maxBackoffMs: 200,
      });
      const agent: Agent = { index, http, rt, seen: new Set() };
      rt.subscribe({ state: (s, cause) => onAgentState(agent, s, cause) });
      rt.start();
      agents.push(agent);
      await until(() => rt.state !== undefined, `agent ${index}'s toolbar`, 60_000);
      await http.setStatus({ kind: 'available' });
    });
    console.log(
      `setup: ${AGENTS} agents signed in, toolbars open, Available in ${((now() - setup0) / 1000).toFixed(1)} s`,
    );

    // Phase 1: the sockets, then the chats.
    const mem0 = await settle(server.child);
    const rss0 = procKb(pid, 'VmRSS');
    const sockets0 = openSockets(pid);
    const open0 = now();
    const all = Array.from({ length: CUSTOMERS }, (_, i) => i);
    const helloMs: number[] = [];
    await paced(all, OPEN_RATE, 200, async (i) => {
      const t = now();
      try {
        const c = await openCustomer(server.url, i);
        await exchange(c, { type: 'hello', channelId: channel.id }, 'channel');
        helloMs.push(now() - t);
        customers.push(c);
      } catch (err) {
        note(`customer socket failed: ${(err as Error).message.slice(0, 80)}`);
      }
    });
    const openS = (now() - open0) / 1000;
    const mem1 = await settle(server.child);
    const rss1 = procKb(pid, 'VmRSS');
    const sockets1 = openSockets(pid);
    console.log(
      `phase 1: ${customers.length} sockets open and said hello in ${openS.toFixed(1)} s (asked ${OPEN_RATE}/s); ` +
        `open + hello → channel ${fmt(summarise(helloMs))}; the server's sockets ${sockets0} → ${sockets1}`,
    );

    const start0 = now();
    const startMs: number[] = [];
    // Progress while the chats start and are taken (every 10 s).
    const progress = setInterval(() => {
      console.log(
        `  ${((now() - start0) / 1000).toFixed(0).padStart(4)} s: ${startMs.length} chats started, ` +
          `${customers.filter((c) => c.state === 'active').length} in conversation; server RSS ${mb(procKb(pid, 'VmRSS'))}, ` +
          `CPU ${cpuSeconds(pid).toFixed(0)} s so far; agents: ${statuses(agents)}; load average ${load()}`,
      );
    }, 10_000);
    const startCpu0 = cpuSeconds(pid);
    await paced([...customers], START_RATE, 400, async (c) => {
      const t = now();
      try {
        await exchange(c, { type: 'start', survey: { name: `Customer ${c.index}` } }, 'chat');
        startMs.push(now() - t);
      } catch (err) {
        note(`start failed: ${(err as Error).message.slice(0, 80)}`);
      }
    });
    const startS = (now() - start0) / 1000;
    const startCpu = cpuSeconds(pid) - startCpu0;
    const expectActive = Math.min(customers.length, AGENTS * MAX_CHATS);
    const activeCount = () => customers.filter((c) => c.state === 'active').length;
    // An offer not accepted within the ring time pauses its agent (Auto Pause): as an agent would,
    // they go Available again (three rounds at most), so the conversations the figures need are there.
    for (let round = 0; ; round++) {
      await until(() => activeCount() >= expectActive, `${expectActive} chats in conversation`, 60_000).catch(
        () => undefined,
      );
      if (serverGone) throw new Error(serverGone);
      const paused = agents.filter((a) => a.rt.state?.agent.status.kind === 'paused');
      if (activeCount() >= expectActive || paused.length === 0 || round === 3) break;
      console.log(
        `  ${activeCount()} in conversation, agents: ${statuses(agents)}: the paused ones go Available again`,
      );
      found(`agents paused by the ring time while chats started (${statuses(paused)}); set Available again`);
      await Promise.all(
        paused.map((a) =>
          a.http.setStatus({ kind: 'available' }).catch((err) => note(`Available refused: ${codeOf(err)}`)),
        ),
      );
    }
    if (activeCount() < expectActive) found(`only ${activeCount()} of ${expectActive} chats in conversation`);
    const acceptedS = (now() - start0) / 1000;
    clearInterval(progress);
    await sleep(1000); // the queue's pushes (every 100 ms at most) settle
    const mem2 = await settle(server.child);
    const rss2 = procKb(pid, 'VmRSS');
    const started = customers.filter((c) => c.chatId).length;
    const active = customers.filter((c) => c.state === 'active');
    console.log(
      `phase 1: ${started} chats started in ${startS.toFixed(1)} s (asked ${START_RATE}/s), start → chat frame ${fmt(summarise(startMs))}; ` +
        `server CPU ${((startCpu / Math.max(1, startMs.length)) * 1000).toFixed(1)} ms per start (${(startCpu / startS).toFixed(2)} of a core); ` +
        `${active.length} in conversation after ${acceptedS.toFixed(1)} s, ${started - active.length} queued`,
    );
    console.log(
      `  offers: ring time left when the toolbar showed them ${fmt(summarise(offers.ringLeftMs))}; ` +
        `acceptInteraction round trip ${fmt(summarise(offers.acceptMs))}`,
    );
    const perSocketKb = (rss1 - rss0) / Math.max(1, customers.length);
    const perChatKb = (rss2 - rss1) / Math.max(1, started);
    const perOpenChatKb = (rss2 - rss0) / Math.max(1, started);
    // The heap is the steadier figure with few chats: RSS moves by megabytes as the allocator pleases.
    const heapPerOpenChatKb = (mem2.mem.heapUsed - mem0.mem.heapUsed) / 1024 / Math.max(1, started);
    const heapPerSocketKb = (mem1.mem.heapUsed - mem0.mem.heapUsed) / 1024 / Math.max(1, customers.length);
    console.log(
      `memory (server, after a full GC): RSS ${mb(rss0)} before the sockets, ${mb(rss1)} with ${customers.length} sockets, ` +
        `${mb(rss2)} with ${started} chats (${active.length} in conversation); heap ${(mem0.mem.heapUsed / 2 ** 20).toFixed(0)} → ` +
        `${(mem1.mem.heapUsed / 2 ** 20).toFixed(0)} → ${(mem2.mem.heapUsed / 2 ** 20).toFixed(0)} MB`,
    );
    console.log(
      `  per socket ${perSocketKb.toFixed(1)} kB RSS (${((mem1.mem.heapUsed - mem0.mem.heapUsed) / 1024 / Math.max(1, customers.length)).toFixed(1)} kB heap); ` +
        `per chat on top ${perChatKb.toFixed(1)} kB RSS (${((mem2.mem.heapUsed - mem1.mem.heapUsed) / 1024 / Math.max(1, started)).toFixed(1)} kB heap); ` +
        `per open chat with its socket ${perOpenChatKb.toFixed(1)} kB RSS`,
    );

    // Phase 2: steady messages from the customers in conversation.
    const steps: StepResult[] = [];
    let msgSeq = 0;
    if (active.length === 0) note('no chat in conversation: no delivery to measure');
    for (const perChat of active.length ? RATES : []) {
      sentAt.clear();
      delivered.clear();
      acked.clear();
      replySentAt.clear();
      replyArrived.clear();
      replyHttp.length = 0;
      repeats = 0;
      replyOnEvery = 0;
      const rate = perChat * active.length;
      server.child.send('start');
      const cpu0 = cpuSeconds(pid);
      const self0 = process.cpuUsage();
      replying = true;
      const t0 = now();
      let sent = 0;
      let k = 0;
      while (now() - t0 < SECONDS * 1000) {
        const due = Math.floor(((now() - t0) / 1000) * rate);
        for (; sent < due; sent++) {
          const c = active[k++ % active.length] as Customer;
          const clientId = `m${++msgSeq}`;
          sentAt.set(clientId, now());
          c.ws.send(JSON.stringify({ type: 'message', clientId, text: `bench message ${clientId}` }));
        }
        await sleep(5);
      }
      const runS = (now() - t0) / 1000;
      // Handled by the server within the step: the customers' messages acked, the agents' arrived.
      const handled = acked.size + replyArrived.size;
      const cpuServer = cpuSeconds(pid) - cpu0;
      const self = process.cpuUsage(self0);
      const loadEnd = load();
      // A server whose event loop is held up for minutes answers late: the step's figures stand.
      const report = await ask(server.child, 'report').catch((): ServerReport => {
        found('the server did not answer the bench over IPC within 60 s (its event loop held up)');
        const nan = { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
        return { kind: 'report', loop: nan, mem: { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 } };
      });
      replying = false;
      await until(
        () => delivered.size >= sentAt.size && replyArrived.size >= replyOnEvery,
        'the last messages',
        15_000,
      ).catch(() => undefined);
      const lat = (arrived: Map<string, number>, from: Map<string, number>) =>
        summarise([...arrived].map(([id, t]) => t - (from.get(id) ?? t)));
      const step: StepResult = {
        perChat,
        rate: sent / runS,
        sent,
        delivered: delivered.size,
        lost: sent - delivered.size,
        repeats,
        c2a: lat(delivered, sentAt),
        ack: lat(acked, sentAt),
        a2c: lat(replyArrived, replySentAt),
        replies: replyOnEvery,
        repliesArrived: replyArrived.size,
        replyHttp: summarise(replyHttp),
        loop: report.loop,
        cpuServer: cpuServer / runS,
        cpuBench: (self.user + self.system) / 1e6 / runS,
        load: loadEnd,
        rssKb: procKb(pid, 'VmRSS'),
      };
      steps.push(step);
      console.log(
        `\nphase 2 step: ${perChat} msg/s per chat × ${active.length} chats = ${step.rate.toFixed(0)} msg/s for ${runS.toFixed(0)} s; load average at its end ${loadEnd}`,
      );
      console.log(
        `  customer → agent (socket send → toolbar chat.message): ${fmt(step.c2a)}; sent ${sent}, delivered ${step.delivered}, not delivered within 15 s of the step's end ${step.lost}, repeated ${step.repeats}`,
      );
      console.log(`  customer's ack (its own message frame back):         ${fmt(step.ack)}`);
      console.log(
        `  agent → customer (HTTP send → socket frame):          ${fmt(step.a2c)}; ${step.replies} sent, ${step.repliesArrived} arrived`,
      );
      console.log(`  agent's sendChatMessage HTTP round trip:              ${fmt(step.replyHttp)}`);
      console.log(
        `  server: event loop delay p50 ${report.loop.p50.toFixed(1)} ms, p99 ${report.loop.p99.toFixed(1)} ms, max ${report.loop.max.toFixed(1)} ms; ` +
          `CPU ${(step.cpuServer * 100).toFixed(0)}% of a core (this bench ${(step.cpuBench * 100).toFixed(0)}%); RSS ${mb(step.rssKb)}`,
      );
      // CPU time per message does not depend on how much of the cores other work took.
      const perMessageMs = ((step.cpuServer * runS) / Math.max(1, handled)) * 1000;
      console.log(
        `  server CPU per message handled in the step (${handled}, customers' and agents'): ${perMessageMs.toFixed(1)} ms, ` +
          `so one free core carries about ${(1000 / perMessageMs).toFixed(0)} msg/s`,
      );
    }

    // The table.
    const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const rows: [string, string, string, string][] = [
      [
        'customer sockets open at once',
        String(customers.length),
        `${TARGET_CUSTOMERS}`,
        yes(customers.length >= TARGET_CUSTOMERS),
      ],
      [
        'agents signed in with a toolbar',
        String(agents.length),
        `${TARGET_AGENTS}`,
        yes(agents.length >= TARGET_AGENTS),
      ],
      ['chats started / in conversation', `${started} / ${active.length}`, '', ''],
      [
        'memory per open chat (with its socket)',
        `${perOpenChatKb.toFixed(1)} kB RSS, ${heapPerOpenChatKb.toFixed(1)} kB heap`,
        '(measure)',
        '',
      ],
      [
        'memory per idle socket (hello only)',
        `${perSocketKb.toFixed(1)} kB RSS, ${heapPerSocketKb.toFixed(1)} kB heap`,
        '(measure)',
        '',
      ],
    ];
    for (const s of steps) {
      rows.push([
        `c → a p95 at ${s.rate.toFixed(0)} msg/s`,
        `${s.c2a.p95.toFixed(1)} ms`,
        `< ${TARGET_P95_MS} ms`,
        yes(s.c2a.p95 < TARGET_P95_MS),
      ]);
      rows.push([`  not delivered / sent`, `${s.lost} / ${s.sent}`, '0', yes(s.lost === 0)]);
      rows.push([`a → c p95 at ${s.rate.toFixed(0)} msg/s`, `${s.a2c.p95.toFixed(1)} ms`, '', '']);
    }
    console.log(`\n${'figure'.padEnd(42)} ${'measured'.padEnd(32)} ${'target'.padEnd(12)} result`);
    for (const [a, b, c, d] of rows) console.log(`${a.padEnd(42)} ${b.padEnd(32)} ${c.padEnd(12)} ${d}`);
    console.log(
      `(one server process; ${cpus().length} cores shared with this load generator; load average now ${load()}; ` +
        `server log lines warn ${log.counts.warn}, error ${log.counts.error})`,
    );
    for (const [what, n] of findings) console.log(`  server under load: ${n} × ${what}`);
    for (const [what, n] of trouble) console.log(`  bench error: ${n} × ${what}`);
    const lost = steps.reduce((n, s) => n + s.lost + s.repeats + (s.replies - s.repliesArrived), 0);
    if (lost > 0 || trouble.size > 0 || customers.length < CUSTOMERS || log.counts.error > 0)
      process.exitCode = 1;
  } finally {
    closing = true;
    for (const a of agents) a.rt.stop();
    for (const c of customers) c.ws.terminate();
    if (!serverGone) await stopPlatform(server);
    await store.drop();
  }
}

// Last, once every constant above exists.
if (process.env.CHAT_ROLE === 'server') await serve();
else await bench();
