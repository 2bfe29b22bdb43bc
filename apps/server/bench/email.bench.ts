// npm run bench:email: inbound email at volume (issue #19 item 8 "Measure"): messages stored per
// second, and the time from a message's delivery to its queue entry (p95), with 10,000 messages.
//
// Real mail servers (apps/server/test/mail-servers.ts: Debian's Postfix and Dovecot on loopback,
// run as root) and the platform as its own process (PGlite by default, a fresh PostgreSQL database
// with BENCH_DB=postgres), its SMTP listener on a free port. Seeded through the admin API: an
// email campaign, its team, and two mailboxes on the campaign: support@parley.test with inbound
// IMAP on Dovecot's user (security 'none', processed folder "Processed"), and forward@parley.test
// with inbound SMTP (the listener). No agent signs in: every message waits in the queue.
//
// Phase "imap" (the main figure): BENCH_MESSAGES (10,000) messages to support@ through Postfix's
// smtpd, over BENCH_CONNECTIONS (20) SMTP connections at once, at BENCH_RATE a second (0: as fast
// as Postfix takes them). Each has a unique Message-ID and its send time (X-Bench-Sent, epoch ms),
// ~2 kB of plain text, and every 20th (5%) a 50 kB attachment. Postfix hands them to Dovecot over
// LMTP; the platform's IMAP reader (IDLE) stores each, queues it and moves it to "Processed".
// The bench polls the folders' STATUS to see the end. Phase "smtp": the same messages to forward@
// straight to the platform's SMTP listener (250 only once stored and queued).
//
// Read at the end straight from the database, once the server has stopped (PGlite: the server
// owns its folder while it runs): each message's queue entries (queue_entries.email_message_id)
// and their enqueued_at. Time to the queue = enqueued_at − X-Bench-Sent (the same machine's clock,
// milliseconds). Printed per phase: p50/p95/p99/max, the send → Postfix's 250 share, messages
// queued per second over the run (first send → last queue entry) and in the steady middle (10th
// to 90th percentile of queue entries), messages in the processed folder, duplicates (queue
// entries per Message-ID), the server's CPU (per message), its RSS, the mail servers' CPU and the
// machine's. Exit code 1 when a message is not queued within 60 s of the last delivery (Postfix's
// or the listener's 250), is queued twice, or a send fails.
//
// Also: BENCH_PHASES (imap,smtp), BENCH_PROF=<dir> (the server's V8 CPU profile), BENCH_SQL=1 (each
// statement's count and wall time per message, from a hook in the server role), LOG_LEVEL
// (the server's, warn). Smoke run: BENCH_MESSAGES=300 npm run bench:email
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '@parley/client';
import type { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { CENTRE_DOMAIN, CUSTOMER_DOMAIN, type MailServers, startMailServers } from '../test/mail-servers.js';
import { cpuSeconds, LOCAL, type Platform, serverLog, startPlatform, stopPlatform } from './platform.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 0);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const PHASES = (process.env.BENCH_PHASES ?? 'imap,smtp')
  .split(',')
  .filter((p) => p === 'imap' || p === 'smtp');
const DB = process.env.BENCH_DB === 'postgres' ? 'postgres' : 'pglite';
const PROF = process.env.BENCH_PROF;
const PASSWORD = 'bench-password-123';
const SUPPORT = `support@${CENTRE_DOMAIN}`;
const FORWARD = `forward@${CENTRE_DOMAIN}`;
const PROCESSED = 'Processed';
const ATTACH_EVERY = 20;
const LATE_MS = 60_000;
/** A phase ends when nothing new is queued for this long (after its last send). */
const STALL_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- the server, with its event loop watched --------------------------------------------------

interface ServerReport {
  kind: 'report';
  loop: { p50: number; p99: number; max: number };
  heapUsed: number;
  /** BENCH_SQL=1: each statement's text, how often it ran and its total wall time in ms. */
  sql: Array<[string, number, number]>;
}

/**
 * BENCH_SQL=1, a measuring hook (the server's code is unchanged): PGlite's query/exec and
 * node-postgres' Client.query timed by statement text, from their call to their answer.
 */
async function timeStatements(stats: Map<string, [number, number]>): Promise<void> {
  const add = (sql: unknown, started: number) => {
    const text = String(typeof sql === 'object' && sql ? (sql as { text?: unknown }).text : sql)
      .replace(/\s+/g, ' ')
      .slice(0, 160);
    const s = stats.get(text) ?? [0, 0];
    s[0]++;
    s[1] += performance.now() - started;
    stats.set(text, s);
  };
  const wrap = (proto: Record<string, unknown>, name: string) => {
    const original = proto[name] as (...args: unknown[]) => unknown;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      const result = original.apply(this, args);
      if (result instanceof Promise) return result.finally(() => add(args[0], started));
      return result;
    };
  };
  const { PGlite } = await import('@electric-sql/pglite');
  wrap(PGlite.prototype as unknown as Record<string, unknown>, 'query');
  wrap(PGlite.prototype as unknown as Record<string, unknown>, 'exec');
  const pg = (await import('pg')).default;
  wrap(pg.Client.prototype as unknown as Record<string, unknown>, 'query');
}

async function serve(): Promise<void> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const sql = new Map<string, [number, number]>();
  if (process.env.BENCH_SQL === '1') await timeStatements(sql);
  process.on('message', (msg) => {
    if (msg === 'start') {
      loop.reset();
      sql.clear();
    }
    if (msg !== 'report') return;
    const report: ServerReport = {
      kind: 'report',
      loop: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      heapUsed: process.memoryUsage().heapUsed,
      sql: [...sql].map(([text, [n, total]]) => [text, n, total]),
    };
    process.send?.(report);
  });
  await import('../src/main.js');
}

function ask(child: ChildProcess): Promise<ServerReport | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 30_000);
    const on = (m: unknown) => {
      if ((m as ServerReport).kind !== 'report') return;
      clearTimeout(timer);
      child.off('message', on);
      resolve(m as ServerReport);
    };
    child.on('message', on);
    child.send('report');
  });
}

// --- /proc ---------------------------------------------------------------------------------------

function procKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The main thread's seconds on a CPU and waiting for one (runnable, another task running). */
function schedSeconds(pid: number): { run: number; wait: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { run: (run ?? 0) / 1e9, wait: (wait ?? 0) / 1e9 };
  } catch {
    return { run: 0, wait: 0 };
  }
}

/**
 * CPU seconds of the processes in these process groups (the mail servers), by group leader's
 * name and process name ("dovecot imap", "master smtpd"), each with its reaped children's.
 */
function groupCpu(pgids: Set<number>): Map<string, number> {
  const byName = new Map<string, number>();
  const leader = new Map<number, string>();
  const rows: Array<{ pgrp: number; comm: string; ticks: number }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.split(') ')[1]?.split(' ') ?? [];
      const pgrp = Number(f[2]);
      if (!pgids.has(pgrp)) continue;
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (Number(d) === pgrp) leader.set(pgrp, comm);
      rows.push({ pgrp, comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // gone meanwhile
    }
  }
  for (const r of rows) {
    const name = `${leader.get(r.pgrp) ?? '?'} ${r.comm}`;
    byName.set(name, (byName.get(name) ?? 0) + r.ticks / 100);
  }
  return byName;
}
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** The machine's busy and total CPU time (all cores), from /proc/stat, in ticks. */
function machineTicks(): { busy: number; total: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + (b || 0), 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

// --- figures -------------------------------------------------------------------------------------

interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
function pct(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
function summarise(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 0.5), p95: pct(s, 0.95), p99: pct(s, 0.99), max: s.at(-1) ?? Number.NaN };
}
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`);
const fmt = (s: Summary) =>
  `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  (n=${s.n})`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** Set when the server process exits before the bench stops it. */
let serverGone: string | undefined;
const trouble = new Map<string, number>();
const note = (what: string) => trouble.set(what, (trouble.get(what) ?? 0) + 1);

// --- messages ------------------------------------------------------------------------------------

const WORDS = (
  'thank you for your reply yesterday about the order I placed last week the parcel has not arrived ' +
  'and the tracking page still says it is waiting at the depot could you please check with the courier ' +
  'whether it was sent to the right address my flat number is sometimes left off the label I would also ' +
  'like to know if I can change the delivery day to Saturday as nobody is home during the week'
).split(' ');
/** 50 kB of a "PDF", base64 in 76-character lines (about 68 kB on the wire). */
const ATTACHMENT = (
  randomBytes(50 * 1024)
    .toString('base64')
    .match(/.{1,76}/g) ?? []
).join('\r\n');

function body(i: number): string {
  const lines: string[] = ['Hello,', ''];
  let line = '';
  let k = i * 7;
  let size = 0;
  while (size < 2000) {
    const w = WORDS[k++ % WORDS.length] ?? 'order';
    if (line.length + w.length + 1 > 72) {
      lines.push(line);
      size += line.length + 2;
      line = '';
    }
    line = line ? `${line} ${w}` : w;
  }
  lines.push(line, '', 'Kind regards,', `Customer ${i}`);
  return lines.join('\r\n');
}

interface Sent {
  /** Message-ID without its angle brackets. */
  id: string;
  sentAt: number;
  acceptedAt?: number;
}

function rawMessage(phase: string, run: string, i: number, to: string, sentAt: number) {
  const id = `bench-${phase}-${i}.${run}@${CUSTOMER_DOMAIN}`;
  const from = `customer-${i % 997}@${CUSTOMER_DOMAIN}`;
  const head = [
    `From: Customer ${i} <${from}>`,
    `To: Support <${to}>`,
    `Subject: Order ${100_000 + i}: where is my parcel?`,
    `Message-ID: <${id}>`,
    `Date: ${new Date(sentAt).toUTCString()}`,
    `X-Bench-Sent: ${sentAt}`,
    'MIME-Version: 1.0',
  ];
  const text = body(i);
  const raw =
    i % ATTACH_EVERY === ATTACH_EVERY - 1
      ? [
          ...head,
          'Content-Type: multipart/mixed; boundary="bench-part"',
          '',
          '--bench-part',
          'Content-Type: text/plain; charset=utf-8',
          '',
          text,
          '--bench-part',
          'Content-Type: application/pdf; name="invoice.pdf"',
          'Content-Disposition: attachment; filename="invoice.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          ATTACHMENT,
          '--bench-part--',
          '',
        ]
      : [...head, 'Content-Type: text/plain; charset=utf-8', '', text, ''];
  return { id, from, raw: raw.join('\r\n') };
}

/**
 * Sends MESSAGES messages over CONNECTIONS pooled SMTP connections, at RATE a second (0: each
 * connection sends its next as soon as the last is taken). Resolves with what was sent.
 */
async function sendAll(o: {
  phase: string;
  port: number;
  to: string;
  sent: Map<string, Sent>;
}): Promise<void> {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
    host: LOCAL,
    port: o.port,
    secure: false,
    ignoreTLS: true,
    name: `client.${CUSTOMER_DOMAIN}`,
  });
  const run = randomBytes(3).toString('hex');
  const t0 = performance.now();
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(CONNECTIONS, MESSAGES) }, async () => {
        while (next < MESSAGES) {
          const i = next++;
          if (RATE > 0) {
            const due = t0 + (i / RATE) * 1000;
            if (due > performance.now()) await sleep(due - performance.now());
          }
          const sentAt = Date.now();
          const m = rawMessage(o.phase, run, i, o.to, sentAt);
          const entry: Sent = { id: m.id, sentAt };
          try {
            const info = await transport.sendMail({ envelope: { from: m.from, to: [o.to] }, raw: m.raw });
            if (info.rejected.length > 0) throw new Error(`refused: ${info.response}`);
            entry.acceptedAt = Date.now();
            o.sent.set(m.id, entry);
          } catch (err) {
            note(`${o.phase}: send failed: ${(err as Error).message.slice(0, 100)}`);
          }
        }
      }),
    );
  } finally {
    transport.close();
  }
}

// --- the run -------------------------------------------------------------------------------------

interface PhaseRun {
  name: string;
  sent: Map<string, Sent>;
  firstSend: number;
  lastAccepted: number;
  end: number;
  cpuServer: number;
  /** The server's main thread: seconds runnable but waiting for a CPU. */
  waitServer: number;
  /** By process ("dovecot imap": the reader's IMAP session; "master smtpd": Postfix's). */
  cpuMail: Map<string, number>;
  cpuBench: number;
  machineBusy: number;
  rssKb: number;
  hwmKb: number;
  loop: ServerReport['loop'] | undefined;
  sql: ServerReport['sql'];
  processed?: number;
  leftInInbox?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, LOCAL, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function folderCounts(imap: ImapFlow): Promise<{ inbox: number; processed: number }> {
  const count = async (folder: string) => {
    const st = await imap.status(folder, { messages: true }).catch(() => false as const);
    return st ? (st.messages ?? 0) : 0;
  };
  const [inbox, processed] = await Promise.all([count('INBOX'), count(PROCESSED)]);
  return { inbox, processed };
}

async function phase(
  name: 'imap' | 'smtp',
  ctx: { server: Platform; mail: MailServers; smtpPort: number; imap: ImapFlow; mailPgids: Set<number> },
): Promise<PhaseRun> {
  const pid = ctx.server.child.pid ?? 0;
  const sent = new Map<string, Sent>();
  const before = name === 'imap' ? await folderCounts(ctx.imap) : { inbox: 0, processed: 0 };
  ctx.server.child.send('start');
  const cpu0 = cpuSeconds(pid);
  const sched0 = schedSeconds(pid);
  const mail0 = groupCpu(ctx.mailPgids);
  const self0 = process.cpuUsage();
  const machine0 = machineTicks();
  const firstSend = Date.now();
  let processed = before.processed;
  let inbox = before.inbox;
  let sending = true;
  // Progress every 5 s; for IMAP also the end: every message sent is in the processed folder.
  const progress = (async () => {
    let lastCount = -1;
    let lastChange = Date.now();
    let lastPrint = 0;
    for (;;) {
      await sleep(500);
      if (name === 'imap') ({ inbox, processed } = await folderCounts(ctx.imap));
      const done = processed - before.processed;
      if (done !== lastCount) {
        lastCount = done;
        lastChange = Date.now();
      }
      if (Date.now() - lastPrint >= 5000) {
        lastPrint = Date.now();
        console.log(
          `  ${((Date.now() - firstSend) / 1000).toFixed(0).padStart(4)} s: sent ${sent.size}` +
            (name === 'imap' ? `, in INBOX ${inbox}, processed ${done}` : '') +
            `; server CPU ${(cpuSeconds(pid) - cpu0).toFixed(0)} s, RSS ${mb(procKb(pid, 'VmRSS'))}; load ${load()}`,
        );
      }
      if (serverGone) return;
      if (sending) continue;
      if (name === 'smtp' || done >= sent.size) return;
      if (Date.now() - lastChange > STALL_MS) {
        note(`imap: nothing more processed for ${STALL_MS / 1000} s (${done} of ${sent.size})`);
        return;
      }
    }
  })();
  await sendAll({
    phase: name,
    port: name === 'imap' ? ctx.mail.smtp.port : ctx.smtpPort,
    to: name === 'imap' ? SUPPORT : FORWARD,
    sent,
  });
  sending = false;
  const lastAccepted = Math.max(0, ...[...sent.values()].map((s) => s.acceptedAt ?? 0));
  await progress;
  const end = Date.now();
  const self = process.cpuUsage(self0);
  const machine1 = machineTicks();
  const report = await ask(ctx.server.child);
  return {
    name,
    sent,
    firstSend,
    lastAccepted,
    end,
    cpuServer: cpuSeconds(pid) - cpu0,
    waitServer: schedSeconds(pid).wait - sched0.wait,
    cpuMail: new Map(
      [...groupCpu(ctx.mailPgids)].map(([k, v]) => [k, v - (mail0.get(k) ?? 0)] as [string, number]),
    ),
    cpuBench: (self.user + self.system) / 1e6,
    machineBusy: (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total),
    rssKb: procKb(pid, 'VmRSS'),
    hwmKb: procKb(pid, 'VmHWM'),
    loop: report?.loop,
    sql: report?.sql ?? [],
    ...(name === 'imap' && { processed: processed - before.processed, leftInInbox: inbox }),
  };
}

interface StoredRow {
  messageId: string;
  entries: Set<string>;
  messageRows: number;
  enqueuedAt: number | undefined;
}

/** Every inbound message's rows and queue entries, read once the server has stopped. */
async function readDatabase(store: { dataDir: string; databaseUrl: string | undefined }) {
  const { openDatabase } = await import('../src/db/database.js');
  const opened = await openDatabase(store);
  try {
    const rows = await opened.db
      .selectFrom('email_messages as m')
      .leftJoin('queue_entries as q', 'q.email_message_id', 'm.id')
      .select(['m.id as rowId', 'm.message_id', 'q.id as entryId', 'q.enqueued_at'])
      .where('m.direction', '=', 'in')
      .execute();
    const byId = new Map<string, StoredRow>();
    const messageRows = new Map<string, Set<string>>();
    for (const r of rows) {
      const id = (r.message_id ?? '').replace(/^<|>$/g, '');
      const s = byId.get(id) ?? { messageId: id, entries: new Set(), messageRows: 0, enqueuedAt: undefined };
      byId.set(id, s);
      const mrows = messageRows.get(id) ?? new Set();
      mrows.add(r.rowId);
      messageRows.set(id, mrows);
      s.messageRows = mrows.size;
      if (r.entryId && r.enqueued_at) {
        s.entries.add(r.entryId);
        const at = new Date(r.enqueued_at).getTime();
        s.enqueuedAt = s.enqueuedAt === undefined ? at : Math.min(s.enqueuedAt, at);
      }
    }
    return byId;
  } finally {
    await opened.close();
  }
}

interface Figures {
  ok: boolean;
  queued: string;
  latency: Summary;
  overall: number;
  steady: number;
  perMsgMs: number;
}

function report(p: PhaseRun, stored: Map<string, StoredRow>): Figures {
  const latency: number[] = [];
  const postfix: number[] = [];
  const queuedAt: number[] = [];
  let missing = 0;
  let late = 0;
  let duplicates = 0;
  for (const s of p.sent.values()) {
    if (s.acceptedAt) postfix.push(s.acceptedAt - s.sentAt);
    const row = stored.get(s.id);
    if (!row || row.enqueuedAt === undefined) {
      missing++;
      continue;
    }
    if (row.entries.size > 1 || row.messageRows > 1) duplicates++;
    latency.push(row.enqueuedAt - s.sentAt);
    queuedAt.push(row.enqueuedAt);
    if (row.enqueuedAt > p.lastAccepted + LATE_MS) late++;
  }
  queuedAt.sort((a, b) => a - b);
  const last = queuedAt.at(-1) ?? p.end;
  const overall = queuedAt.length / Math.max(0.001, (last - p.firstSend) / 1000);
  const lo = pct(queuedAt, 0.1);
  const hi = pct(queuedAt, 0.9);
  const steady =
    queuedAt.length >= 20 ? (0.8 * queuedAt.length) / Math.max(0.001, (hi - lo) / 1000) : Number.NaN;
  const sendS = (p.lastAccepted - p.firstSend) / 1000;
  const runS = (p.end - p.firstSend) / 1000;
  const title =
    p.name === 'imap'
      ? `phase imap: Postfix → Dovecot (LMTP) → the platform's IMAP reader (IDLE) → stored, queued, moved to ${PROCESSED}`
      : "phase smtp: straight to the platform's SMTP listener (250 once stored and queued)";
  console.log(`\n${title}`);
  console.log(
    `  sent ${p.sent.size} of ${MESSAGES} in ${sendS.toFixed(1)} s (${(p.sent.size / Math.max(0.001, sendS)).toFixed(0)}/s taken, ` +
      `${CONNECTIONS} connections, ${RATE > 0 ? `asked ${RATE}/s` : 'as fast as taken'}); queued ${queuedAt.length}, ` +
      `missing ${missing}, queued more than ${LATE_MS / 1000} s after the last 250: ${late}, duplicated ${duplicates}`,
  );
  console.log(`  send → queue entry (enqueued_at − X-Bench-Sent): ${fmt(summarise(latency))}`);
  console.log(
    `  send → ${p.name === 'imap' ? "Postfix's" : "the listener's"} 250:                       ${fmt(summarise(postfix))}`,
  );
  console.log(
    `  queued per second: ${overall.toFixed(1)} over the run (first send → last queue entry, ` +
      `${((last - p.firstSend) / 1000).toFixed(1)} s), ${steady.toFixed(1)} steady (10th → 90th percentile of entries)`,
  );
  if (p.processed !== undefined)
    console.log(`  in ${PROCESSED}: ${p.processed}; left in INBOX: ${p.leftInInbox}`);
  const perMsg = (p.cpuServer / Math.max(1, queuedAt.length)) * 1000;
  console.log(
    `  server: CPU ${p.cpuServer.toFixed(1)} s (${perMsg.toFixed(1)} ms per message, ${((p.cpuServer / runS) * 100).toFixed(0)}% of a core over ${runS.toFixed(0)} s); ` +
      `main thread waiting for a CPU ${p.waitServer.toFixed(1)} s; RSS ${mb(p.rssKb)} at the end, peak ${mb(p.hwmKb)}; event loop delay ` +
      (p.loop
        ? `p50 ${p.loop.p50.toFixed(1)} ms, p99 ${p.loop.p99.toFixed(1)} ms, max ${p.loop.max.toFixed(0)} ms`
        : 'not reported'),
  );
  console.log(
    `  Postfix + Dovecot CPU ${total(p.cpuMail).toFixed(1)} s (${[...p.cpuMail]
      .filter(([, v]) => v >= 0.05)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(
        ', ',
      )}); this bench ${p.cpuBench.toFixed(1)} s; the machine ${(p.machineBusy * 100).toFixed(0)}% busy ` +
      `(${cpus().length} cores); load average at the end ${load()}`,
  );
  if (p.sql.length) {
    const n = Math.max(1, queuedAt.length);
    const count = p.sql.reduce((a, [, c]) => a + c, 0);
    const wall = p.sql.reduce((a, [, , t]) => a + t, 0);
    console.log(
      `  statements (BENCH_SQL=1): ${(count / n).toFixed(1)} per message, ${(wall / n).toFixed(1)} ms of wall time per message; the most costly:`,
    );
    for (const [text, c, t] of [...p.sql].sort((a, b) => b[2] - a[2]).slice(0, 16))
      console.log(
        `    ${(c / n).toFixed(2).padStart(5)} × ${((t / c) * 1000).toFixed(0).padStart(5)} µs = ${(t / n).toFixed(2).padStart(5)} ms  ${text}`,
      );
  }
  return {
    ok: missing === 0 && late === 0 && duplicates === 0 && p.sent.size === MESSAGES,
    queued: `${queuedAt.length} / ${p.sent.size}, ${late} late, ${duplicates} twice`,
    latency: summarise(latency),
    overall,
    steady,
    perMsgMs: perMsg,
  };
}

async function bench(): Promise<void> {
  const { createStore } = await import('../src/db/test-store.js');
  const log = serverLog();
  const loadBefore = load();
  const mail = await startMailServers({ users: [SUPPORT, FORWARD, `customer@${CUSTOMER_DOMAIN}`] });
  const store = await createStore(DB);
  const smtpPort = await freePort();
  let server: Platform | undefined;
  let closing = false;
  let ok = true;
  try {
    server = await startPlatform({
      ...store,
      password: PASSWORD,
      logLevel: process.env.LOG_LEVEL ?? 'warn',
      onLogLine: log.line,
      entry: fileURLToPath(import.meta.url),
      env: { EMAIL_ROLE: 'server', EMAIL_SMTP_PORT: String(smtpPort), EMAIL_SMTP_HOST: LOCAL },
      prof: PROF,
      ipc: true,
    });
    server.child.once('exit', (code, signal) => {
      if (!closing) {
        serverGone = `the server exited (${signal ?? code}) during the run`;
        note(serverGone);
      }
    });
    const admin = new HttpClient({ baseUrl: server.url, manageCookies: true });
    const session = await admin.login({ username: 'admin', password: PASSWORD });
    const ws = session.workspace.id;
    const team = await admin.teams(ws).create({ name: 'Bench Email' });
    const campaign = await admin
      .campaigns(ws)
      .create({ name: 'Bench Email', kind: 'email', teamIds: [team.id] });
    const login = mail.user(SUPPORT);
    const imapBox = await admin.emailMailboxes(ws).create({
      name: 'Bench support',
      campaignId: campaign.id,
      address: SUPPORT,
      inbound: 'imap',
      imap: {
        host: mail.imap.host,
        port: mail.imap.port,
        security: 'none',
        verifyCertificate: true,
        user: login.user,
        password: login.password,
        processedFolder: PROCESSED,
      },
    });
    await admin
      .emailMailboxes(ws)
      .create({ name: 'Bench forward', campaignId: campaign.id, address: FORWARD, inbound: 'smtp' });
    // The reader connected (health ok) before any mail is sent.
    for (let i = 0; ; i++) {
      const box = await admin.emailMailboxes(ws).get(imapBox.id);
      if (box.health.state === 'ok') break;
      if (i > 300) throw new Error(`the IMAP reader did not connect: ${JSON.stringify(box.health)}`);
      await sleep(100);
    }
    console.log(
      `bench:email: ${MESSAGES} messages per phase (${PHASES.join(', ')}), ~2 kB text, every ${ATTACH_EVERY}th with a 50 kB attachment; ` +
        `one server process (${DB === 'postgres' ? 'PostgreSQL' : 'PGlite'}); ${new Date().toISOString()}`,
    );
    console.log(
      `machine: ${cpus().length} cores shared by the server, Postfix, Dovecot${DB === 'postgres' ? ', PostgreSQL' : ''} and this bench; load average before ${loadBefore}`,
    );
    const imap = await mail.connect(SUPPORT);
    const mailPgids = new Set(
      readFileSync(`${mail.dir}/pgids`, 'utf8').split(/\s+/).filter(Boolean).map(Number),
    );
    const runs: PhaseRun[] = [];
    try {
      for (const name of PHASES as Array<'imap' | 'smtp'>)
        runs.push(await phase(name, { server, mail, smtpPort, imap, mailPgids }));
    } finally {
      await imap.logout().catch(() => imap.close());
    }
    closing = true;
    await stopPlatform(server);
    const stored = await readDatabase(store);
    const figures = runs.map((r) => ({ name: r.name, ...report(r, stored) }));
    ok = figures.every((f) => f.ok);
    const row = (label: string, cell: (f: Figures & { name: string }) => string) =>
      console.log(`${label.padEnd(34)} ${figures.map((f) => cell(f).padEnd(34)).join(' ')}`);
    console.log('');
    row('figure', (f) => f.name);
    row('queued / sent, late, twice', (f) => f.queued);
    row(
      'send → queue p50 / p95 / max',
      (f) => `${ms(f.latency.p50)} / ${ms(f.latency.p95)} / ${ms(f.latency.max)}`,
    );
    row('queued per second (run / steady)', (f) => `${f.overall.toFixed(1)} / ${f.steady.toFixed(1)}`);
    row('server CPU per message', (f) => `${f.perMsgMs.toFixed(1)} ms`);
    console.log(
      `\n(read from the ${DB === 'postgres' ? 'PostgreSQL' : 'PGlite'} database after the server stopped; ` +
        `server log lines warn ${log.counts.warn}, error ${log.counts.error}; load average now ${load()})`,
    );
    for (const [what, n] of trouble) console.log(`  bench error: ${n} × ${what}`);
    if (!ok || trouble.size > 0) process.exitCode = 1;
  } finally {
    closing = true;
    if (server) await stopPlatform(server);
    await mail.stop();
    await store.drop();
  }
}

// Last, once every constant above exists.
if (process.env.EMAIL_ROLE === 'server') await serve();
else await bench();
