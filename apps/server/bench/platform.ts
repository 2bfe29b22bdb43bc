// The platform as its own process for the benches, and the /proc readings they take of it.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const TICK = 100; // USER_HZ: /proc stat times are in clock ticks of 1/100 s on Linux
export const LOCAL = '127.0.0.1';

export interface Platform {
  child: ChildProcess;
  url: string;
  sipPort: number;
}

/**
 * Starts the server from source on a data folder (PGlite, or PostgreSQL with `databaseUrl`).
 * `prof`: a folder for V8 CPU profiles of the server and its media workers (written at exit).
 * `logLines`: the server's JSON log lines go to this process's stderr; `onLogLine` gets each.
 * `entry`: a bench's own file to run instead of main.ts (it loads main.ts itself, with hooks that
 * report over the IPC channel `ipc` opens), with `env` on top (its role variable, limits).
 */
export function startPlatform(o: {
  dataDir: string;
  password: string;
  databaseUrl?: string | undefined;
  prof?: string | undefined;
  logLevel?: string;
  logLines?: boolean;
  onLogLine?: (line: string) => void;
  entry?: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  ipc?: boolean;
}): Promise<Platform> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: o.dataDir,
    PORT: '0',
    HOST: LOCAL,
    SIP_PORT: '0',
    SIP_ADDRESS: LOCAL,
    SIP_INVITE_RATE: '100000', // the bench is one source; the flood guard is not what it measures
    MEDIA_ADDRESSES: LOCAL,
    DEMO_PASSWORD: o.password,
    LOG_LEVEL: o.logLevel ?? 'error',
    ...o.env,
  };
  delete env.DATABASE_URL;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  const prof = o.prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(o.prof)}`] : [];
  const child = spawn(
    process.execPath,
    [
      ...(o.nodeArgs ?? []),
      ...prof,
      '--conditions=source',
      '--import',
      'tsx',
      o.entry ?? path.join(here, '../src/main.ts'),
    ],
    { env, stdio: o.ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'] },
  );
  const onLine =
    o.onLogLine ?? (o.logLines ? (line: string) => process.stderr.write(`${line}\n`) : undefined);
  if (onLine)
    child.stdout?.on('data', (d: Buffer) => {
      for (const line of String(d).split('\n')) if (line.startsWith('{')) onLine(line);
    });
  let out = '';
  return new Promise((resolve, reject) => {
    // Generous: starting from source (tsx) on a busy machine has taken over a minute.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 180_000);
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
    const started = (d: Buffer) => {
      out += d;
      const url = /Parley is running: (http:\/\/localhost:\d+)\//.exec(out)?.[1];
      const sip = /SIP \(UDP and TCP\): port (\d+)/.exec(out)?.[1];
      if (url && sip) {
        clearTimeout(timer);
        child.stdout?.off('data', started);
        out = '';
        resolve({ child, url: url.replace('localhost', LOCAL), sipPort: Number(sip) });
      }
    };
    child.stdout?.on('data', started);
  });
}

/** The server's log lines (warn and above by default): on stderr, and counted by level. */
export function serverLog() {
  const counts = { warn: 0, error: 0, lines: [] as string[] };
  return {
    counts,
    line(line: string): void {
      process.stderr.write(`${line.slice(0, 500)}\n`);
      const level = Number(/"level":(\d+)/.exec(line)?.[1]);
      if (level === 40) counts.warn++;
      if (level >= 50) counts.error++;
      if (counts.lines.length < 20) counts.lines.push(line.slice(0, 300));
    },
  };
}

/** Stops the server as an operator would (SIGTERM) and waits for it to exit. */
export async function stopPlatform(p: Platform): Promise<void> {
  if (p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await exited;
}

/** A process's CPU time (user + system) so far, in seconds. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

/** The media workers: the server's child processes running media-worker (not tsx's esbuild). */
export function mediaWorkers(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return (
          readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid) &&
          readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('media-worker')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * A process's open sockets. A media worker holds one UDP socket per RTP leg, so the count above
 * its idle count is the legs it carries. Gone processes and closed descriptors count nothing.
 */
export function openSockets(pid: number): number {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return 0;
  }
  let sockets = 0;
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed between the listing and the look
    }
  }
  return sockets;
}
