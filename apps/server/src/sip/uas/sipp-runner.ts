import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs a SIPp scenario (Debian's sip-tester) against the server; SIPp exits 0 when every call passed. */
export function sipp(
  scenario: string,
  port: number,
  transport: 'u1' | 't1',
  calls = 20,
  /** The number dialled ([service] in the scenario). */
  service?: string,
  /**
   * More SIPp options: -au/-ap credentials for [authentication]; -p for a local port of the
   * caller's choosing; -timeout for a longer limit on the whole run than 20 s.
   */
  extra: string[] = [],
): Promise<{ status: number | null; output: string }> {
  const args = ['-sf', path.join(here, 'sipp', scenario), '-m', String(calls), '-r', '50', '-t', transport];
  if (service) args.push('-s', service);
  args.push(...extra);
  if (!extra.includes('-p')) args.push('-p', String(20000 + Math.floor(Math.random() * 20000)));
  if (!extra.includes('-timeout')) args.push('-timeout', '20s');
  args.push('-i', '127.0.0.1', '-nostdin', `127.0.0.1:${port}`);
  return run(args);
}

/**
 * SIPp as the far end (a carrier's trunk, an agent's phone): it listens on a free port and plays
 * `scenario` for the next `calls` calls it receives (`extra`: more options, `-d` for a pause).
 * `result` settles when it exits.
 */
export function sippServer(
  scenario: string,
  calls = 1,
  timeout = '30s',
  extra: string[] = [],
): { port: number; result: Promise<{ status: number | null; output: string }> } {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const args = ['-sf', path.join(here, 'sipp', scenario), '-m', String(calls), '-t', 'u1', ...extra];
  args.push('-i', '127.0.0.1', '-p', String(port), '-timeout', timeout, '-nostdin');
  return { port, result: run(args) };
}

function run(args: string[]): Promise<{ status: number | null; output: string }> {
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, output })));
}
