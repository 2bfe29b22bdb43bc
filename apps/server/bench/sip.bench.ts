// npm run bench:sip: SIPp callers against the platform's SIP port, stepping the call rate. Each
// call is answered (an RTP leg in a media worker, a queue entry, hold music), held HOLD_MS and
// hung up. Prints, per step, calls set up per second with no failures, the calls held at once,
// INVITE-to-200 times (p50/p95), and the CPU of the signalling process and of the media workers.
//
// "held at once" is counted, not computed from the rate: the most RTP legs open at once in the
// platform's media workers (their sockets, from /proc every SAMPLE_MS, above each worker's idle
// count), and "left" is the legs still open 1 s after SIPp has finished (0 unless legs leak).
//
// Environment: STEPS (call rates, default 50,100,200,300), SECONDS (per step, default 10),
// HOLD_MS (default 2000); a smoke run: STEPS=5 SECONDS=3 HOLD_MS=1000.
// SIP_PROF=<dir>: V8 CPU profiles of the server and its media workers, written when it stops.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '@parley/client';
import { cpuSeconds, mediaWorkers, openSockets, startPlatform, stopPlatform } from './platform.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const STEPS = (process.env.STEPS ?? '50,100,200,300').split(',').map(Number);
const SECONDS = Number(process.env.SECONDS ?? 10);
const HOLD_MS = Number(process.env.HOLD_MS ?? 2000);
const SAMPLE_MS = 100;
const PASSWORD = 'bench-password-123';
const NUMBER = '+61290007000';

const rttDir = mkdtempSync(path.join(tmpdir(), 'parley-bench-rtt-'));

/** INVITE-to-200 times (ms) SIPp wrote for the last run (-trace_rtt), then forgets them. */
function takeRtts(): number[] {
  const out: number[] = [];
  for (const f of readdirSync(rttDir)) {
    const lines = readFileSync(path.join(rttDir, f), 'utf8').split('\n').slice(1);
    for (const l of lines) {
      const v = Number(l.split(';')[1]);
      if (Number.isFinite(v) && l.trim()) out.push(v);
    }
    rmSync(path.join(rttDir, f));
  }
  return out.sort((a, b) => a - b);
}

/** Runs SIPp to the end (asynchronously, so the legs can be sampled meanwhile). */
function runSipp(port: number, rate: number): Promise<{ output: string; seconds: number }> {
  const started = Date.now();
  const calls = rate * SECONDS;
  const sipp = spawn(
    'sipp',
    [
      '-sf',
      path.join(here, '../src/sip/uas/sipp/uac-bench-call.xml'),
      '-s',
      NUMBER,
      '-r',
      String(rate),
      '-m',
      String(calls),
      '-d',
      String(HOLD_MS),
      '-t',
      'u1',
      '-i',
      '127.0.0.1',
      '-p',
      String(20000 + Math.floor(Math.random() * 20000)),
      '-mp',
      String(40000 + Math.floor(Math.random() * 10000)),
      '-timeout',
      `${SECONDS * 3 + 30}s`,
      '-nostdin',
      '-trace_rtt',
      '-rtt_freq',
      '1',
      `127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: rttDir },
  );
  let output = '';
  sipp.stdout.setEncoding('utf8').on('data', (d: string) => {
    output += d;
  });
  sipp.stderr.setEncoding('utf8').on('data', (d: string) => {
    output += d;
  });
  return new Promise((resolve) => {
    sipp.on('error', (err) => resolve({ output: String(err), seconds: (Date.now() - started) / 1000 }));
    sipp.on('close', () => resolve({ output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** RTP legs open in the media workers now: their sockets above their idle counts. */
const legsOpen = (idle: Map<number, number>) =>
  [...idle].reduce((n, [pid, base]) => n + Math.max(0, openSockets(pid) - base), 0);

const cumulative = (output: string, name: string) =>
  Number(new RegExp(`${name}\\s*\\|[^|]*\\|\\s*(\\d+)`).exec(output)?.[1] ?? Number.NaN);

const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-bench-sip-'));
const server = await startPlatform({ dataDir, password: PASSWORD, prof: process.env.SIP_PROF });
try {
  const admin = new HttpClient({ baseUrl: server.url, manageCookies: true });
  const session = await admin.login({ username: 'admin', password: PASSWORD });
  const ws = session.workspace.id;
  const care = (await admin.campaigns(ws).list()).find((c) => c.name === 'Customer Care');
  if (!care) throw new Error('no Customer Care campaign');
  await admin.numbers(ws).create({ number: NUMBER, name: 'Bench line', campaignId: care.id });

  console.log(`bench:sip: ${SECONDS} s per step, each call held ${HOLD_MS} ms (music), no agents`);
  console.log(
    'rate/s | calls | ok   | failed | set-ups/s | held at once | left | 200 p50 / p95    | server CPU | workers CPU',
  );
  for (const rate of STEPS) {
    const pid = server.child.pid ?? 0;
    const workers = mediaWorkers(pid);
    const cpu0 = cpuSeconds(pid);
    const w0 = workers.reduce((s, p) => s + cpuSeconds(p), 0);
    const idle = new Map(workers.map((w) => [w, openSockets(w)]));
    let held = 0;
    const sampler = setInterval(() => {
      held = Math.max(held, legsOpen(idle));
    }, SAMPLE_MS);
    const { output, seconds } = await runSipp(server.sipPort, rate);
    clearInterval(sampler);
    const cpu = (cpuSeconds(pid) - cpu0) / seconds;
    const wcpu = (workers.reduce((s, p) => s + cpuSeconds(p), 0) - w0) / seconds;
    const ok = cumulative(output, 'Successful call');
    const failed = cumulative(output, 'Failed call');
    const rtts = takeRtts();
    const pct = (q: number) => rtts[Math.min(rtts.length - 1, Math.floor(q * rtts.length))] ?? Number.NaN;
    const setupTimes = `${pct(0.5)} / ${pct(0.95)} ms`;
    const setups = ok / Math.max(1, seconds - HOLD_MS / 1000);
    await new Promise((r) => setTimeout(r, 1000));
    const left = legsOpen(idle);
    console.log(
      `${String(rate).padStart(6)} | ${String(rate * SECONDS).padStart(5)} | ${String(ok).padStart(4)} | ${String(failed).padStart(6)} | ${setups.toFixed(0).padStart(9)} | ${String(held).padStart(12)} | ${String(left).padStart(4)} | ${setupTimes.padStart(16)} | ${(cpu * 100).toFixed(0).padStart(9)}% | ${(wcpu * 100).toFixed(0).padStart(10)}%`,
    );
    if (process.env.BENCH_DEBUG || !(failed === 0))
      console.log(output.slice(0, 1500), output.split('\n').slice(-40).join('\n'));
  }
} finally {
  await stopPlatform(server);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rttDir, { recursive: true, force: true });
}
