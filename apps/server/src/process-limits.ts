import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface OpenFileLimit {
  /** The soft limit now in force (what running out of descriptors means); undefined if unknown. */
  soft: number | undefined;
  hard: number | undefined;
  /** Whether this call raised the soft limit. */
  raised: boolean;
  /** For the start-up log: what was found or done. */
  note: string;
}

export interface LimitDeps {
  pid: number;
  /** The soft and hard open-file limits of this process; undefined where they cannot be read. */
  read(): { soft: number; hard: number } | undefined;
  /** Runs a program; throws when it cannot be run or fails. */
  run(file: string, args: string[]): void;
}

/** "Max open files  1024  524288  files" in /proc/self/limits (Linux). */
function readProcLimits(): { soft: number; hard: number } | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const m = line && /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(line);
    if (!m) return undefined;
    const n = (v: string | undefined) => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
    return { soft: n(m[1]), hard: n(m[2]) };
  } catch {
    return undefined;
  }
}

const systemDeps: LimitDeps = {
  pid: process.pid,
  read: readProcLimits,
  run: (file, args) => {
    execFileSync(file, args, { stdio: 'ignore', timeout: 5000 });
  },
};

/**
 * Raises this process's soft open-file limit to its hard limit. Node has no setrlimit; it raises
 * the limit itself at start, except where embedded or started with the limit locked, so this is
 * mostly a check. Otherwise util-linux `prlimit` changes it from outside.
 */
export function raiseOpenFileLimit(deps: LimitDeps = systemDeps): OpenFileLimit {
  const before = deps.read();
  if (!before) return { soft: undefined, hard: undefined, raised: false, note: 'open-file limit unknown' };
  if (before.soft >= before.hard) {
    return { ...before, raised: false, note: `open-file limit ${before.soft} (already the hard limit)` };
  }
  const hard = Number.isFinite(before.hard) ? String(before.hard) : 'unlimited';
  try {
    deps.run('prlimit', ['--pid', String(deps.pid), `--nofile=${hard}:${hard}`]);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return {
      ...before,
      raised: false,
      note: `open-file limit ${before.soft} (hard ${hard}); not raised: ${why}`,
    };
  }
  const after = deps.read() ?? before;
  const raised = after.soft > before.soft;
  return {
    ...after,
    raised,
    note: raised
      ? `open-file limit raised from ${before.soft} to ${after.soft}`
      : `open-file limit ${after.soft} (hard ${hard}); prlimit did not raise it`,
  };
}

/** Descriptors kept for all but accepted connections: the database, media workers, files, logs. */
export const OPEN_FILE_MARGIN = 1024;

/**
 * What to warn of when the soft limit is below the connection caps plus the margin: a flood could
 * then run the process out of descriptors (HTTP, the database) before a cap refuses it.
 */
export function openFileShortfall(
  soft: number | undefined,
  caps: { sipTcp: number; http: number },
): { needed: number; message: string } | undefined {
  const needed = caps.sipTcp + caps.http + OPEN_FILE_MARGIN;
  if (soft === undefined || soft >= needed) return undefined;
  return {
    needed,
    message:
      `open-file limit ${soft} is below the connection caps (SIP TCP ${caps.sipTcp}, HTTP ${caps.http}) ` +
      `plus ${OPEN_FILE_MARGIN}: raise the hard limit to at least ${needed}, or lower SIP_TCP_MAX_CONNECTIONS`,
  };
}
