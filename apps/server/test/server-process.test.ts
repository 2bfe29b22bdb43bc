import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sipp } from '../src/sip/uas/sipp-runner.js';
import { createStore, storeEnv, TEST_DB } from './helpers.js';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

async function waitFor(check: () => string | undefined, log: () => string, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const found = check();
    if (found) return found;
    if (Date.now() > end) throw new Error(`timed out; the server printed:\n${log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the server process', () => {
  test('starts on its database, prints URL and credentials, and stops cleanly on SIGTERM', async () => {
    const store = await createStore();
    const dataDir = store.dataDir;
    let proc: ReturnType<typeof run> | undefined;
    try {
      proc = run({ ...storeEnv(store), PORT: '0', SIP_PORT: '0', SIP_ADDRESS: '127.0.0.1' });
      const p = proc;
      const url = await waitFor(
        () => /Parley is running: (http:\/\/localhost:\d+)\//.exec(p.out())?.[1],
        () => p.out() + p.err(),
      );
      assert.match(p.out(), /agent1\s+\S+\s+agent\s+agent ID 1001 {2}PIN \d{6}/);
      assert.match(p.out(), /Customer web phone: http:\/\/localhost:\d+\/phone\//);
      assert.match(p.out(), /SIP \(UDP and TCP\): port [1-9]\d*/);
      const creds = statSync(path.join(dataDir, 'demo-credentials.txt'));
      assert.equal(creds.mode & 0o777, 0o600);
      const health = await fetch(`${url}/healthz`);
      assert.deepEqual(await health.json(), { status: 'ok' });
      // Logs are structured JSON lines.
      const firstLog = JSON.parse(
        p
          .out()
          .split('\n')
          .find((l) => l.startsWith('{')) ?? '{}',
      ) as { level?: number };
      assert.equal(typeof firstLog.level, 'number');
      assert.match(p.out(), new RegExp(`"database":"${TEST_DB}"`), 'it runs on the test database');
      // A SIP caller in the demo menu when the server is told to stop: it is hung up (our BYE).
      const sipPort = Number(/SIP \(UDP and TCP\): port (\d+)/.exec(p.out())?.[1]);
      const caller = sipp('uac-agent-hangs-up.xml', sipPort, 'u1', 1, '+61290001000');
      // The server logs the arrival once it has answered; its scenario takes a BYE at any moment after that.
      await waitFor(
        () => (p.out().includes('"msg":"call arrived"') ? 'yes' : undefined),
        () => p.out() + p.err(),
        20_000,
      );
      (p.child as ChildProcess).kill('SIGTERM');
      assert.equal(await p.exited, 0, `the server stopped cleanly:\n${(p.out() + p.err()).slice(-3000)}`);
      assert.match(p.out(), /"msg":"shutdown complete"/);
      const r = await caller;
      assert.equal(r.status, 0, `the caller got the BYE:\n${r.output.slice(-2000)}\n${p.out().slice(-3000)}`);
      const errors = p
        .out()
        .split('\n')
        .filter((l) => l.startsWith('{') && (JSON.parse(l) as { level: number }).level >= 50);
      assert.deepEqual(errors, [], 'a clean shutdown logs no errors');
    } finally {
      proc?.child.kill('SIGKILL');
      await proc?.exited;
      await store.drop();
    }
  });

  test('refuses to start with bad settings and lists every problem', async () => {
    const p = run({ PORT: 'eighty', LOG_LEVEL: 'chatty', DATABASE_URL: 'mysql://x' });
    assert.equal(await p.exited, 1);
    assert.match(p.err(), /PORT must be a whole number/);
    assert.match(p.err(), /LOG_LEVEL must be one of/);
    assert.match(p.err(), /DATABASE_URL must start with postgres:\/\//);
  });
});
